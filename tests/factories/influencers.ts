import crypto from 'node:crypto';
import { createStore } from './catalog';
import type { FactoryDb, Overrides, Row } from './support';
import { hoursFromNow, seq } from './support';

/** An ACTIVE INFLUENCER campaign running from yesterday for 30 days, code letter A. */
export async function createCampaign(
  db: FactoryDb,
  overrides: Overrides<'campaign'> = {},
): Promise<Row<'campaign'>> {
  const n = seq();
  return db
    .insertInto('campaign')
    .values({
      code: `CAMP_${n}`,
      name_ru: `Кампания ${n}`,
      type: 'INFLUENCER',
      status: 'ACTIVE',
      start_at: hoursFromNow(-24),
      end_at: hoursFromNow(24 * 30),
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function createInfluencer(
  db: FactoryDb,
  overrides: Overrides<'influencer'> = {},
): Promise<Row<'influencer'>> {
  const n = seq();
  return db
    .insertInto('influencer')
    .values({ name: `Блогер ${n}`, commission_rate: '10.00', ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * A code for (campaign, influencer), both created when not given. The code is the campaign's
 * letter + a number 1000–9999 (OS-1); pass `code` to choose it.
 */
export async function createCampaignCode(
  db: FactoryDb,
  overrides: Overrides<'campaign_code'> = {},
): Promise<Row<'campaign_code'>> {
  const campaign =
    overrides.campaign_id === undefined
      ? await createCampaign(db)
      : await db
          .selectFrom('campaign')
          .select(['id', 'code_letter'])
          .where('id', '=', overrides.campaign_id)
          .executeTakeFirstOrThrow();
  const influencerId = overrides.influencer_id ?? (await createInfluencer(db)).id;
  const code = overrides.code ?? `${campaign.code_letter}${1000 + (seq() % 9000)}`;
  return db
    .insertInto('campaign_code')
    .values({ campaign_id: campaign.id, influencer_id: influencerId, code, ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** An unmatched POS scan received now; creates the code and the store when not given. */
export async function createScan(
  db: FactoryDb,
  overrides: Overrides<'offline_scan_log'> = {},
): Promise<Row<'offline_scan_log'>> {
  const campaignCodeId = overrides.campaign_code_id ?? (await createCampaignCode(db)).id;
  const storeId = overrides.store_id ?? (await createStore(db)).id;
  return db
    .insertInto('offline_scan_log')
    .values({
      client_event_id: crypto.randomUUID(),
      campaign_code_id: campaignCodeId,
      store_id: storeId,
      scanned_by: 'cashier-1',
      scan_type: 'POS',
      scanned_at: new Date(),
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
