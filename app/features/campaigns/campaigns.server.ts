import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { fromDecimal, toDecimal, type Kopecks } from '~/utils/money';
import type { CampaignStatus, CampaignType } from '~/utils/vocabularies';
import type { CampaignDetail, CampaignValues } from './campaigns.schema';
import { textMatches } from '~/features/search/text-search.server';

/** Campaign queries (executor first; transactions live in campaigns.service.server.ts). */

const SORT_COLUMNS = {
  start: 'campaign.start_at',
  code: 'campaign.code',
  name: 'campaign.name_ru',
  status: 'campaign.status',
  created: 'campaign.created_at',
} as const;

export interface CampaignListItem {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  type: CampaignType;
  status: CampaignStatus;
  start_at: string;
  end_at: string;
  code_letter: string;
  budget_kopecks: number | null;
  code_count: number;
  order_count: number;
  gmv_kopecks: number;
}

export async function listCampaigns(
  db: Db,
  args: {
    q?: string;
    status?: CampaignStatus;
    type?: CampaignType;
    sort: keyof typeof SORT_COLUMNS;
    dir: 'asc' | 'desc';
    limit: number;
    offset: number;
  },
): Promise<{ rows: CampaignListItem[]; total: number }> {
  let base = db.selectFrom('campaign');
  if (args.status) base = base.where('campaign.status', '=', args.status);
  if (args.type) base = base.where('campaign.type', '=', args.type);
  if (args.q) {
    base = base.where(
      textMatches(
        ['campaign.code', 'campaign.name_ru', 'campaign.name_zh', 'campaign.name_en'],
        args.q,
      ),
    );
  }
  const { total } = await base
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await base
    .leftJoin('campaign_code', 'campaign_code.campaign_id', 'campaign.id')
    .select((eb) => [
      'campaign.id',
      'campaign.code',
      'campaign.name_ru',
      'campaign.name_zh',
      'campaign.name_en',
      'campaign.type',
      'campaign.status',
      'campaign.start_at',
      'campaign.end_at',
      'campaign.code_letter',
      'campaign.budget_amount',
      eb.fn.count<string>('campaign_code.id').as('code_count'),
      sql<string>`coalesce(sum(campaign_code.order_count), 0)`.as('order_count'),
      sql<string>`coalesce(sum(campaign_code.total_gmv), 0)`.as('gmv'),
    ])
    .groupBy('campaign.id')
    .orderBy(SORT_COLUMNS[args.sort], args.dir)
    .orderBy('campaign.id', args.dir)
    .limit(args.limit)
    .offset(args.offset)
    .execute();
  return {
    total: Number(total),
    rows: rows.map((r) => ({
      id: r.id,
      code: r.code,
      name_ru: r.name_ru,
      name_zh: r.name_zh,
      name_en: r.name_en,
      type: r.type as CampaignType,
      status: r.status as CampaignStatus,
      start_at: new Date(r.start_at).toISOString(),
      end_at: new Date(r.end_at).toISOString(),
      code_letter: r.code_letter,
      budget_kopecks: r.budget_amount === null ? null : fromDecimal(r.budget_amount),
      code_count: Number(r.code_count),
      order_count: Number(r.order_count),
      gmv_kopecks: fromDecimal(String(r.gmv)),
    })),
  };
}

export async function getCampaignDetail(
  db: Db,
  campaignId: number,
  opts: { lock?: boolean } = {},
): Promise<CampaignDetail | null> {
  let query = db
    .selectFrom('campaign')
    .select([
      'id',
      'code',
      'name_ru',
      'name_zh',
      'name_en',
      'description',
      'type',
      'status',
      'start_at',
      'end_at',
      'code_letter',
      'budget_amount',
    ])
    .where('id', '=', campaignId);
  if (opts.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return null;
  const { budget_amount, ...rest } = row;
  return {
    ...rest,
    type: rest.type as CampaignType,
    status: rest.status as CampaignStatus,
    start_at: new Date(rest.start_at).toISOString(),
    end_at: new Date(rest.end_at).toISOString(),
    budget_kopecks: budget_amount === null ? null : fromDecimal(budget_amount),
  };
}

function columns(values: CampaignValues) {
  return {
    code: values.code,
    name_ru: values.name_ru,
    name_zh: values.name_zh,
    name_en: values.name_en,
    description: values.description,
    type: values.type,
    start_at: values.start_at,
    end_at: values.end_at,
    code_letter: values.code_letter,
    budget_amount: values.budget_kopecks === null ? null : toDecimal(values.budget_kopecks),
  };
}

/** New campaigns start as DRAFT (the column default); status only moves by transitions. */
export async function insertCampaign(db: Db, values: CampaignValues): Promise<number> {
  const row = await db
    .insertInto('campaign')
    .values(columns(values))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCampaignRow(
  db: Db,
  campaignId: number,
  values: CampaignValues,
): Promise<void> {
  await db
    .updateTable('campaign')
    .set({ ...columns(values), updated_at: sql`now()` })
    .where('id', '=', campaignId)
    .execute();
}

/**
 * The conditional UPDATE of a lifecycle step: it changes the row only while it is still in
 * `from`, so of two concurrent transitions of one campaign exactly one touches the row.
 */
export async function setCampaignStatus(
  db: Db,
  campaignId: number,
  from: CampaignStatus,
  to: CampaignStatus,
): Promise<boolean> {
  const row = await db
    .updateTable('campaign')
    .set({ status: to, updated_at: sql`now()` })
    .where('id', '=', campaignId)
    .where('status', '=', from)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function campaignExists(db: Db, campaignId: number): Promise<boolean> {
  const row = await db
    .selectFrom('campaign')
    .select('id')
    .where('id', '=', campaignId)
    .executeTakeFirst();
  return row !== undefined;
}

export interface CampaignCouponStats {
  issued: number;
  redeemed: number;
  discountKopecks: Kopecks;
}

/**
 * Coupons attributed to a campaign: instances issued with source_type CAMPAIGN and source_ref =
 * the campaign's code (domain §1.3). "Redeemed" counts those now USED (a cancelled order restores
 * its coupon, CP-12, so it stops counting); "discount given" sums coupon_discount of their orders.
 */
export async function getCampaignCouponStats(
  db: Db,
  campaignCode: string,
): Promise<CampaignCouponStats> {
  const row = await db
    .selectFrom('coupon_instance')
    .leftJoin('order', (join) =>
      join
        .onRef('order.id', '=', 'coupon_instance.used_order_id')
        .on('coupon_instance.status', '=', 'USED'),
    )
    .select((eb) => [
      eb.fn.countAll<string>().as('issued'),
      sql<string>`count(*) FILTER (WHERE coupon_instance.status = 'USED')`.as('redeemed'),
      sql<string>`coalesce(sum("order".coupon_discount), 0)`.as('discount'),
    ])
    .where('coupon_instance.source_type', '=', 'CAMPAIGN')
    .where('coupon_instance.source_ref', '=', campaignCode)
    .executeTakeFirstOrThrow();
  return {
    issued: Number(row.issued),
    redeemed: Number(row.redeemed),
    discountKopecks: fromDecimal(String(row.discount)),
  };
}

export interface AttributedOrder {
  id: number;
  order_number: string;
  status: string;
  final_kopecks: number;
  created_at: string;
  code: string;
  store_code: string;
}

/** The newest orders attributed to the campaign's codes by scan matching (OS-6, OS-7). */
export async function listAttributedOrders(
  db: Db,
  campaignId: number,
  limit = 20,
): Promise<AttributedOrder[]> {
  const rows = await db
    .selectFrom('order')
    .innerJoin('campaign_code', 'campaign_code.id', 'order.campaign_code_id')
    .innerJoin('store', 'store.id', 'order.store_id')
    .select([
      'order.id',
      'order.order_number',
      'order.status',
      'order.final_amount',
      'order.created_at',
      'campaign_code.code',
      'store.code as store_code',
    ])
    .where('campaign_code.campaign_id', '=', campaignId)
    .orderBy('order.created_at', 'desc')
    .orderBy('order.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    order_number: r.order_number,
    status: r.status,
    final_kopecks: fromDecimal(r.final_amount),
    created_at: new Date(r.created_at).toISOString(),
    code: r.code,
    store_code: r.store_code,
  }));
}

export interface CampaignOption {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  status: CampaignStatus;
  code_letter: string;
}

/** Campaigns a new code can be generated for (every one not ENDED), newest first. */
export async function listOpenCampaigns(db: Db): Promise<CampaignOption[]> {
  const rows = await db
    .selectFrom('campaign')
    .select(['id', 'code', 'name_ru', 'name_zh', 'name_en', 'status', 'code_letter'])
    .where('status', '<>', 'ENDED')
    .orderBy('start_at', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({ ...r, status: r.status as CampaignStatus }));
}
