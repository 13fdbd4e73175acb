import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import type { CampaignStatus } from '~/utils/vocabularies';

/** Queries of scan ingestion (OS-4, OS-5); the transactions are in ingest.service.server.ts. */

export interface CodeForScan {
  id: number;
  code: string;
  isActive: boolean;
  campaignStatus: CampaignStatus;
  startAt: Date;
  endAt: Date;
}

/** The codes a batch names, with what OS-4 checks about them, by code. */
export async function lookupCodesForScans(
  db: Db,
  codes: readonly string[],
): Promise<Map<string, CodeForScan>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('campaign_code')
    .innerJoin('campaign', 'campaign.id', 'campaign_code.campaign_id')
    .select([
      'campaign_code.id',
      'campaign_code.code',
      'campaign_code.is_active',
      'campaign.status',
      'campaign.start_at',
      'campaign.end_at',
    ])
    .where('campaign_code.code', 'in', [...codes])
    .execute();
  return new Map(
    rows.map((r) => [
      r.code,
      {
        id: r.id,
        code: r.code,
        isActive: r.is_active,
        campaignStatus: r.status as CampaignStatus,
        startAt: new Date(r.start_at),
        endAt: new Date(r.end_at),
      },
    ]),
  );
}

/** A first sighting as it is stored. `order_amount` is the decimal string ("350.00") or null. */
export interface ScanRowValues {
  clientEventId: string;
  campaignCodeId: number;
  storeId: number;
  scannedBy: string;
  scanType: string;
  scannedAt: Date;
  orderAmount: string | null;
  /** Further sightings of the same id in the same batch, counted when the row is inserted. */
  repeats: number;
}

export interface UpsertedScan {
  id: number;
  clientEventId: string;
  campaignCodeId: number;
  inserted: boolean;
}

/**
 * The OS-5 write for one or more distinct event ids:
 *
 *   INSERT INTO offline_scan_log (…) SELECT … FROM unnest(…)
 *   ON CONFLICT (client_event_id) DO UPDATE
 *     SET dup_count = offline_scan_log.dup_count + EXCLUDED.dup_count + 1, last_dup_at = now(), …
 *     WHERE offline_scan_log.store_id = EXCLUDED.store_id
 *   RETURNING id, (xmax = 0) AS inserted
 *
 * A new id is inserted (`inserted`, with its in-batch repeats as dup_count); an id this store
 * already sent gets dup_count + 1 + repeats and keeps its first sighting's data; an id another
 * store sent returns no row (EVENT_ID_CONFLICT). Never a unique violation: a concurrent insert of
 * the same id makes this statement wait for it and then take the DO UPDATE branch.
 *
 * The rows travel as one array per column (nine parameters instead of nine per row) and are
 * written in client_event_id order, so two batches sharing ids lock them in the same order and
 * cannot deadlock on each other.
 */
export async function upsertScanRows(
  db: Db,
  rows: readonly ScanRowValues[],
): Promise<UpsertedScan[]> {
  if (rows.length === 0) return [];
  const ordered = [...rows].sort((a, b) =>
    a.clientEventId < b.clientEventId ? -1 : a.clientEventId > b.clientEventId ? 1 : 0,
  );
  const column = <T>(pick: (r: ScanRowValues) => T) => ordered.map(pick);
  const written = await db
    .insertInto('offline_scan_log')
    .columns([
      'client_event_id',
      'campaign_code_id',
      'store_id',
      'scanned_by',
      'scan_type',
      'scanned_at',
      'order_amount',
      'dup_count',
      'last_dup_at',
    ])
    .expression(
      sql`
        SELECT v.client_event_id, v.campaign_code_id, v.store_id, v.scanned_by, v.scan_type,
               v.scanned_at, v.order_amount, v.repeats,
               CASE WHEN v.repeats > 0 THEN now() END
        FROM unnest(
          ${column((r) => r.clientEventId)}::uuid[],
          ${column((r) => r.campaignCodeId)}::int[],
          ${column((r) => r.storeId)}::int[],
          ${column((r) => r.scannedBy)}::text[],
          ${column((r) => r.scanType)}::text[],
          ${column((r) => r.scannedAt.toISOString())}::timestamptz[],
          ${column((r) => r.orderAmount)}::numeric[],
          ${column((r) => r.repeats)}::int[]
        ) WITH ORDINALITY AS v (client_event_id, campaign_code_id, store_id, scanned_by,
                                scan_type, scanned_at, order_amount, repeats, n)
        ORDER BY v.n
      `,
    )
    .onConflict((oc) =>
      oc
        .column('client_event_id')
        .doUpdateSet({
          dup_count: sql<number>`offline_scan_log.dup_count + excluded.dup_count + 1`,
          last_dup_at: sql<Date>`now()`,
          updated_at: sql<Date>`now()`,
        })
        .whereRef('offline_scan_log.store_id', '=', 'excluded.store_id'),
    )
    .returning([
      'id',
      'client_event_id',
      'campaign_code_id',
      sql<boolean>`(xmax = 0)`.as('inserted'),
    ])
    .execute();
  return written.map((r) => ({
    id: r.id,
    clientEventId: r.client_event_id,
    campaignCodeId: r.campaign_code_id,
    inserted: r.inserted,
  }));
}

/**
 * OS-4's "already stored → duplicate" for events that failed validation: adds `sightings` to the
 * dup_count of each id this store already sent and returns those rows; ids unknown for this store
 * (new, or another store's) return nothing and are answered `rejected`.
 */
export async function addDuplicateSightings(
  db: Db,
  storeId: number,
  sightings: readonly { clientEventId: string; count: number }[],
): Promise<Map<string, number>> {
  if (sightings.length === 0) return new Map();
  const ordered = [...sightings].sort((a, b) =>
    a.clientEventId < b.clientEventId ? -1 : a.clientEventId > b.clientEventId ? 1 : 0,
  );
  const ids = ordered.map((s) => s.clientEventId);
  const counts = ordered.map((s) => s.count);
  const { rows } = await sql<{ id: number; client_event_id: string }>`
    UPDATE offline_scan_log AS s
    SET dup_count = s.dup_count + v.n, last_dup_at = now(), updated_at = now()
    FROM unnest(${ids}::uuid[], ${counts}::int[]) AS v (client_event_id, n)
    WHERE s.client_event_id = v.client_event_id AND s.store_id = ${storeId}
    RETURNING s.id, s.client_event_id
  `.execute(db);
  return new Map(rows.map((r) => [r.client_event_id, r.id]));
}

/**
 * `scan_count + n` for the codes of newly inserted scans (OS-5), in the inserting transaction.
 * With several codes the rows are locked in id order first: batches naming the same codes in
 * another order would otherwise be able to deadlock on them. The lock is FOR NO KEY UPDATE, the
 * one the UPDATE takes anyway: it does not wait for the FOR KEY SHARE locks that other batches'
 * inserts hold on the same codes through the foreign key (FOR UPDATE would, and deadlock).
 */
export async function addScanCounts(db: Db, counts: ReadonlyMap<number, number>): Promise<void> {
  const ids = [...counts.keys()].sort((a, b) => a - b);
  if (ids.length === 0) return;
  if (ids.length > 1) {
    await db
      .selectFrom('campaign_code')
      .select('id')
      .where('id', 'in', ids)
      .orderBy('id')
      .forNoKeyUpdate()
      .execute();
  }
  const ns = ids.map((id) => counts.get(id)!);
  await sql`
    UPDATE campaign_code AS c
    SET scan_count = c.scan_count + v.n, updated_at = now()
    FROM unnest(${ids}::int[], ${ns}::int[]) AS v (id, n)
    WHERE c.id = v.id
  `.execute(db);
}
