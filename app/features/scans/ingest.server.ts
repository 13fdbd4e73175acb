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

/**
 * A first sighting as it is stored (its store is the batch's). `scannedAt` is the device's
 * validated ISO 8601 text; `orderAmount` the decimal string ("350.00") or null.
 */
export interface ScanRowValues {
  clientEventId: string;
  campaignCodeId: number;
  scannedBy: string;
  scanType: string;
  scannedAt: string;
  orderAmount: string | null;
  /** Further sightings of the same id in the same batch, counted when the row is inserted. */
  repeats: number;
}

export interface UpsertedScan {
  id: number;
  clientEventId: string;
  inserted: boolean;
}

/**
 * A PostgreSQL array literal of values that need no quoting: UUIDs, integers, ISO timestamps,
 * decimal amounts and vocabulary words, every one already validated (OS-4). Cheaper than the
 * driver's generic array encoding, which escapes each element; `null` becomes NULL.
 */
function plainArrayLiteral(values: readonly (string | number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    out += v === null ? 'NULL' : v;
  }
  return out + '}';
}

/**
 * The OS-5 write for one or more distinct event ids of one store, with `scan_count + n` for the
 * codes of the newly inserted ones, as ONE statement:
 *
 *   WITH ins AS (INSERT INTO offline_scan_log (…) SELECT … FROM unnest(…)
 *                ON CONFLICT (client_event_id) DO UPDATE
 *                  SET dup_count = s.dup_count + EXCLUDED.dup_count + 1, last_dup_at = now(), …
 *                  WHERE s.store_id = EXCLUDED.store_id
 *                RETURNING id, …, (xmax = 0) AS inserted),
 *        … UPDATE campaign_code SET scan_count = scan_count + n (codes locked in id order) …
 *   SELECT json_agg(…) FROM ins
 *
 * A new id is inserted (`inserted`, with its in-batch repeats as dup_count); an id this store
 * already sent gets dup_count + 1 + repeats and keeps its first sighting's data; an id another
 * store sent returns no row (EVENT_ID_CONFLICT). Never a unique violation: a concurrent insert of
 * the same id makes this statement wait for it and then take the DO UPDATE branch.
 *
 * Being one statement, it is atomic on its own (a caller without a transaction gets autocommit),
 * and the code rows every batch of a store touches are locked only from here to the commit,
 * with no client round trip in between. Lock order, the same in every batch so none can deadlock
 * on another: the scan rows in client_event_id order (the rows travel sorted), then the codes in
 * id order (`locked`, FOR NO KEY UPDATE — the lock the UPDATE takes anyway; it does not wait for
 * the FOR KEY SHARE locks other batches' inserts hold on the same codes through the foreign key).
 *
 * The rows travel as one array literal per column (seven parameters and the store instead of
 * eight per row) and come back as one JSON array `[[client_event_id, id, inserted], …]`: up to
 * 500 events are the hot path of the scans API (ADR 0012), and one JSON text parses far faster
 * than 500 driver rows.
 */
export async function upsertScanRows(
  db: Db,
  storeId: number,
  rows: readonly ScanRowValues[],
): Promise<UpsertedScan[]> {
  if (rows.length === 0) return [];
  const ordered = [...rows].sort((a, b) =>
    a.clientEventId < b.clientEventId ? -1 : a.clientEventId > b.clientEventId ? 1 : 0,
  );
  const column = (pick: (r: ScanRowValues) => string | number | null) =>
    plainArrayLiteral(ordered.map(pick));
  const { rows: written } = await sql<{ written: [string, number, boolean][] | null }>`
    WITH ins AS (
      INSERT INTO offline_scan_log AS s
        (client_event_id, campaign_code_id, store_id, scanned_by, scan_type, scanned_at,
         order_amount, dup_count, last_dup_at)
      SELECT v.client_event_id, v.campaign_code_id, ${storeId}::int, v.scanned_by, v.scan_type,
             v.scanned_at, v.order_amount, v.repeats,
             CASE WHEN v.repeats > 0 THEN now() END
      FROM unnest(
        ${column((r) => r.clientEventId)}::uuid[],
        ${column((r) => r.campaignCodeId)}::int[],
        ${ordered.map((r) => r.scannedBy)}::text[],
        ${column((r) => r.scanType)}::text[],
        ${column((r) => r.scannedAt)}::timestamptz[],
        ${column((r) => r.orderAmount)}::numeric[],
        ${column((r) => r.repeats)}::int[]
      ) WITH ORDINALITY AS v (client_event_id, campaign_code_id, scanned_by,
                              scan_type, scanned_at, order_amount, repeats, n)
      ORDER BY v.n
      ON CONFLICT (client_event_id) DO UPDATE
        SET dup_count = s.dup_count + excluded.dup_count + 1,
            last_dup_at = now(),
            updated_at = now()
        WHERE s.store_id = excluded.store_id
      RETURNING s.id, s.client_event_id, s.campaign_code_id, (s.xmax = 0) AS inserted
    ), fresh AS (
      SELECT campaign_code_id AS id, count(*)::int AS n
      FROM ins WHERE inserted GROUP BY campaign_code_id
    ), locked AS MATERIALIZED (
      SELECT c.id, fresh.n FROM campaign_code c JOIN fresh ON fresh.id = c.id
      ORDER BY c.id
      FOR NO KEY UPDATE OF c
    ), counted AS (
      UPDATE campaign_code AS c
      SET scan_count = c.scan_count + locked.n, updated_at = now()
      FROM locked WHERE c.id = locked.id
      RETURNING c.id
    )
    SELECT json_agg(json_build_array(client_event_id, id, inserted)) AS written FROM ins
  `.execute(db);
  return (written[0]?.written ?? []).map(([clientEventId, id, inserted]) => ({
    id,
    clientEventId,
    inserted,
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
