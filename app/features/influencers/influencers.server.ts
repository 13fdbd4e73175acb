import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { fromDecimal, type Kopecks } from '~/utils/money';
import type { CampaignStatus, InfluencerStatus } from '~/utils/vocabularies';
import { commissionKopecks, conversionHundredths } from './commission';
import type { InfluencerDetail, InfluencerValues } from './influencers.schema';
import { textMatches } from '~/features/search/text-search.server';

/** Influencer and campaign-code queries (executor first; transactions in the service). */

const SORT_COLUMNS = {
  name: 'influencer.name',
  followers: 'influencer.follower_count',
  rate: 'influencer.commission_rate',
  created: 'influencer.created_at',
} as const;

export interface InfluencerListItem {
  id: number;
  name: string;
  social_platform: string | null;
  social_handle: string | null;
  follower_count: number | null;
  commission_rate: string;
  status: InfluencerStatus;
  code_count: number;
  scan_count: number;
  order_count: number;
  gmv_kopecks: number;
}

export async function listInfluencers(
  db: Db,
  args: {
    q?: string;
    status?: InfluencerStatus;
    sort: keyof typeof SORT_COLUMNS;
    dir: 'asc' | 'desc';
    limit: number;
    offset: number;
  },
): Promise<{ rows: InfluencerListItem[]; total: number }> {
  let base = db.selectFrom('influencer');
  if (args.status) base = base.where('influencer.status', '=', args.status);
  if (args.q) {
    base = base.where(
      textMatches(
        ['influencer.name', 'influencer.social_handle', 'influencer.phone', 'influencer.email'],
        args.q,
      ),
    );
  }
  const { total } = await base
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await base
    .leftJoin('campaign_code', 'campaign_code.influencer_id', 'influencer.id')
    .select((eb) => [
      'influencer.id',
      'influencer.name',
      'influencer.social_platform',
      'influencer.social_handle',
      'influencer.follower_count',
      'influencer.commission_rate',
      'influencer.status',
      eb.fn.count<string>('campaign_code.id').as('code_count'),
      sql<string>`coalesce(sum(campaign_code.scan_count), 0)`.as('scan_count'),
      sql<string>`coalesce(sum(campaign_code.order_count), 0)`.as('order_count'),
      sql<string>`coalesce(sum(campaign_code.total_gmv), 0)`.as('gmv'),
    ])
    .groupBy('influencer.id')
    .orderBy(SORT_COLUMNS[args.sort], (ob) =>
      (args.dir === 'asc' ? ob.asc() : ob.desc()).nullsLast(),
    )
    .orderBy('influencer.id', args.dir)
    .limit(args.limit)
    .offset(args.offset)
    .execute();
  return {
    total: Number(total),
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      social_platform: r.social_platform,
      social_handle: r.social_handle,
      follower_count: r.follower_count,
      commission_rate: r.commission_rate,
      status: r.status as InfluencerStatus,
      code_count: Number(r.code_count),
      scan_count: Number(r.scan_count),
      order_count: Number(r.order_count),
      gmv_kopecks: fromDecimal(String(r.gmv)),
    })),
  };
}

export async function getInfluencerDetail(
  db: Db,
  influencerId: number,
  opts: { lock?: boolean } = {},
): Promise<InfluencerDetail | null> {
  let query = db
    .selectFrom('influencer')
    .select([
      'id',
      'name',
      'phone',
      'email',
      'social_platform',
      'social_handle',
      'follower_count',
      'commission_rate',
      'status',
      'notes',
    ])
    .where('id', '=', influencerId);
  if (opts.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? { ...row, status: row.status as InfluencerStatus } : null;
}

export async function insertInfluencer(db: Db, values: InfluencerValues): Promise<number> {
  const row = await db
    .insertInto('influencer')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateInfluencerRow(
  db: Db,
  influencerId: number,
  values: InfluencerValues,
): Promise<void> {
  await db
    .updateTable('influencer')
    .set({ ...values, updated_at: sql`now()` })
    .where('id', '=', influencerId)
    .execute();
}

/** One code's all-time performance (OS-8), from the counters scan matching keeps. */
export interface PerformanceRow {
  code_id: number;
  code: string;
  is_active: boolean;
  campaign_id: number;
  campaign_code: string;
  campaign_name_ru: string;
  campaign_name_zh: string | null;
  campaign_name_en: string | null;
  campaign_status: CampaignStatus;
  influencer_id: number;
  influencer_name: string;
  commission_rate: string;
  scan_count: number;
  order_count: number;
  gmv_kopecks: Kopecks;
  /** rhu(gmv × rate × 100, 10 000) at the influencer's current rate. */
  commission_kopecks: Kopecks;
  /** order_count ÷ scan_count in hundredths of a percent; null without scans. */
  conversion_hundredths: number | null;
}

export async function listPerformance(
  db: Db,
  filter: { campaignId?: number; influencerId?: number } = {},
): Promise<PerformanceRow[]> {
  let query = db
    .selectFrom('campaign_code')
    .innerJoin('campaign', 'campaign.id', 'campaign_code.campaign_id')
    .innerJoin('influencer', 'influencer.id', 'campaign_code.influencer_id')
    .select([
      'campaign_code.id as code_id',
      'campaign_code.code',
      'campaign_code.is_active',
      'campaign_code.scan_count',
      'campaign_code.order_count',
      'campaign_code.total_gmv',
      'campaign.id as campaign_id',
      'campaign.code as campaign_code',
      'campaign.name_ru as campaign_name_ru',
      'campaign.name_zh as campaign_name_zh',
      'campaign.name_en as campaign_name_en',
      'campaign.status as campaign_status',
      'influencer.id as influencer_id',
      'influencer.name as influencer_name',
      'influencer.commission_rate',
    ]);
  if (filter.campaignId !== undefined)
    query = query.where('campaign_code.campaign_id', '=', filter.campaignId);
  if (filter.influencerId !== undefined)
    query = query.where('campaign_code.influencer_id', '=', filter.influencerId);
  const rows = await query
    .orderBy('campaign.start_at', 'desc')
    .orderBy('campaign.id', 'desc')
    .orderBy('influencer.name')
    .orderBy('campaign_code.id')
    .limit(5000)
    .execute();
  return rows.map(({ total_gmv, ...r }) => {
    const gmv = fromDecimal(total_gmv);
    return {
      ...r,
      campaign_status: r.campaign_status as CampaignStatus,
      gmv_kopecks: gmv,
      commission_kopecks: commissionKopecks(gmv, r.commission_rate),
      conversion_hundredths: conversionHundredths(r.order_count, r.scan_count),
    };
  });
}

export interface CampaignCodeRow {
  id: number;
  code: string;
  campaign_id: number;
  influencer_id: number;
  is_active: boolean;
}

const CODE_COLUMNS = ['id', 'code', 'campaign_id', 'influencer_id', 'is_active'] as const;

export async function getCodeForPair(
  db: Db,
  campaignId: number,
  influencerId: number,
): Promise<CampaignCodeRow | null> {
  const row = await db
    .selectFrom('campaign_code')
    .select(CODE_COLUMNS)
    .where('campaign_id', '=', campaignId)
    .where('influencer_id', '=', influencerId)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * OS-1's insert: `ON CONFLICT (campaign_id, influencer_id) DO NOTHING`, so a second request for the
 * pair (even a concurrent one, which waits for the first to commit) inserts nothing and returns
 * undefined. A clash of the random code with another pair's code is NOT absorbed: it raises the
 * unique violation of campaign_code_code_unique, which the caller retries with a new number.
 */
export async function insertCodeIfAbsent(
  db: Db,
  values: { campaignId: number; influencerId: number; code: string },
): Promise<CampaignCodeRow | undefined> {
  return db
    .insertInto('campaign_code')
    .values({
      campaign_id: values.campaignId,
      influencer_id: values.influencerId,
      code: values.code,
    })
    .onConflict((oc) => oc.columns(['campaign_id', 'influencer_id']).doNothing())
    .returning(CODE_COLUMNS)
    .executeTakeFirst();
}

export async function getCampaignForCodes(
  db: Db,
  campaignId: number,
): Promise<{ id: number; code_letter: string; status: CampaignStatus } | null> {
  const row = await db
    .selectFrom('campaign')
    .select(['id', 'code_letter', 'status'])
    .where('id', '=', campaignId)
    .executeTakeFirst();
  return row ? { ...row, status: row.status as CampaignStatus } : null;
}

/** Flips is_active of one of the influencer's codes; the row before the change, or null. */
export async function setCodeActive(
  db: Db,
  args: { codeId: number; influencerId: number; active: boolean },
): Promise<CampaignCodeRow | null> {
  const before = await db
    .selectFrom('campaign_code')
    .select(CODE_COLUMNS)
    .where('id', '=', args.codeId)
    .where('influencer_id', '=', args.influencerId)
    .forUpdate()
    .executeTakeFirst();
  if (!before) return null;
  if (before.is_active !== args.active) {
    await db
      .updateTable('campaign_code')
      .set({ is_active: args.active, updated_at: sql`now()` })
      .where('id', '=', args.codeId)
      .execute();
  }
  return before;
}

export interface CodeCard {
  code: string;
  is_active: boolean;
  influencer_name: string;
  campaign_code: string;
  campaign_name_ru: string;
  campaign_name_zh: string | null;
  campaign_name_en: string | null;
  start_at: string;
  end_at: string;
}

export async function getCodeCard(
  db: Db,
  args: { influencerId: number; codeId: number },
): Promise<CodeCard | null> {
  const row = await db
    .selectFrom('campaign_code')
    .innerJoin('campaign', 'campaign.id', 'campaign_code.campaign_id')
    .innerJoin('influencer', 'influencer.id', 'campaign_code.influencer_id')
    .select([
      'campaign_code.code',
      'campaign_code.is_active',
      'influencer.name as influencer_name',
      'campaign.code as campaign_code',
      'campaign.name_ru as campaign_name_ru',
      'campaign.name_zh as campaign_name_zh',
      'campaign.name_en as campaign_name_en',
      'campaign.start_at',
      'campaign.end_at',
    ])
    .where('campaign_code.id', '=', args.codeId)
    .where('campaign_code.influencer_id', '=', args.influencerId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    ...row,
    start_at: new Date(row.start_at).toISOString(),
    end_at: new Date(row.end_at).toISOString(),
  };
}
