import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import type { MatchMethod, OrderStatus } from '~/utils/vocabularies';

/**
 * The statements of scan matching (OS-6, OS-7, and manual unmatching); the transactions and the
 * lock order are in matching.service.server.ts.
 */

/** Orders a scan can be attributed to: paid and accepted, not cancelled or refunded (OS-6). */
export const MATCHABLE_ORDER_STATUSES = [
  'CONFIRMED',
  'PREPARING',
  'READY',
  'DELIVERING',
  'COMPLETED',
] as const satisfies readonly OrderStatus[];

/** OS-6: candidate orders were created within scanned_at ± 5 minutes (inclusive). */
export const AUTO_MATCH_WINDOW = sql.raw(`interval '5 minutes'`);

export type ScanScope = { kind: 'all' } | { kind: 'stores'; storeIds: readonly number[] };

export interface ScanForMatch {
  id: number;
  storeId: number;
  campaignCodeId: number;
  matched: boolean;
  orderId: number | null;
  matchMethod: MatchMethod | null;
  matchedAt: Date | null;
  reversedAt: Date | null;
}

/**
 * One scan inside the caller's scope (RB-2: a scan of another store is "not found"), optionally
 * locked.
 */
export async function getScanForMatch(
  db: Db,
  scanId: number,
  scope: ScanScope,
  opts: { lock?: boolean } = {},
): Promise<ScanForMatch | null> {
  let query = db
    .selectFrom('offline_scan_log')
    .select([
      'id',
      'store_id',
      'campaign_code_id',
      'matched',
      'order_id',
      'match_method',
      'matched_at',
      'reversed_at',
    ])
    .where('id', '=', scanId);
  if (scope.kind === 'stores') {
    query = query.where('store_id', 'in', scope.storeIds.length ? [...scope.storeIds] : [-1]);
  }
  if (opts.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    storeId: row.store_id,
    campaignCodeId: row.campaign_code_id,
    matched: row.matched,
    orderId: row.order_id,
    matchMethod: row.match_method as MatchMethod | null,
    matchedAt: row.matched_at ? new Date(row.matched_at) : null,
    reversedAt: row.reversed_at ? new Date(row.reversed_at) : null,
  };
}

export interface OrderForMatch {
  id: number;
  orderNumber: string;
  storeId: number;
  status: OrderStatus;
  campaignCodeId: number | null;
  finalAmount: string;
}

const ORDER_COLUMNS = [
  'id',
  'order_number',
  'store_id',
  'status',
  'campaign_code_id',
  'final_amount',
] as const;

function toOrderForMatch(row: {
  id: number;
  order_number: string;
  store_id: number;
  status: string;
  campaign_code_id: number | null;
  final_amount: string;
}): OrderForMatch {
  return {
    id: row.id,
    orderNumber: row.order_number,
    storeId: row.store_id,
    status: row.status as OrderStatus,
    campaignCodeId: row.campaign_code_id,
    finalAmount: row.final_amount,
  };
}

/** An order by its number, any store (the match itself refuses another store's order). */
export async function findOrderByNumber(
  db: Db,
  orderNumber: string,
): Promise<OrderForMatch | null> {
  const row = await db
    .selectFrom('order')
    .select(ORDER_COLUMNS)
    .where('order_number', '=', orderNumber)
    .executeTakeFirst();
  return row ? toOrderForMatch(row) : null;
}

export async function getOrderForMatch(
  db: Db,
  orderId: number,
  opts: { lock?: boolean } = {},
): Promise<OrderForMatch | null> {
  let query = db.selectFrom('order').select(ORDER_COLUMNS).where('id', '=', orderId);
  if (opts.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toOrderForMatch(row) : null;
}

/**
 * OS-7, first statement: `UPDATE offline_scan_log … WHERE id = $1 AND matched = false`. No row
 * means the scan was matched meanwhile (or is unknown). A unique violation of
 * idx_offline_scan_code_order_unique means the code already has a scan on this order.
 */
export async function claimScan(
  db: Db,
  args: { scanId: number; orderId: number; method: MatchMethod; userId: number | null },
): Promise<{ campaignCodeId: number; storeId: number } | undefined> {
  const row = await db
    .updateTable('offline_scan_log')
    .set({
      matched: true,
      order_id: args.orderId,
      matched_at: sql<Date>`now()`,
      match_method: args.method,
      matched_by_user_id: args.method === 'MANUAL' ? args.userId : null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', args.scanId)
    .where('matched', '=', false)
    .returning(['campaign_code_id', 'store_id'])
    .executeTakeFirst();
  return row ? { campaignCodeId: row.campaign_code_id, storeId: row.store_id } : undefined;
}

/**
 * OS-7, second statement, with the store condition the rule states in words ("an order of the
 * same store"): `UPDATE "order" SET campaign_code_id = $2 WHERE id = $3 AND store_id = $4 AND
 * campaign_code_id IS NULL AND status IN (…)`. Returns final_amount, or undefined when nothing
 * changed (the caller reads the order to tell why).
 */
export async function attributeOrder(
  db: Db,
  args: { orderId: number; campaignCodeId: number; storeId: number },
): Promise<string | undefined> {
  const row = await db
    .updateTable('order')
    .set({ campaign_code_id: args.campaignCodeId, updated_at: sql<Date>`now()` })
    .where('id', '=', args.orderId)
    .where('store_id', '=', args.storeId)
    .where('campaign_code_id', 'is', null)
    .where('status', 'in', MATCHABLE_ORDER_STATUSES)
    .returning('final_amount')
    .executeTakeFirst();
  return row?.final_amount;
}

/**
 * The code's attribution counters (OS-7 +1, unmatching −1). Decrements stop at zero, as the
 * OS-9 reversal does, so a repair of inconsistent counters never fails a manager's click.
 */
export async function changeAttributionCounters(
  db: Db,
  args: { campaignCodeId: number; finalAmount: string; direction: 1 | -1 },
): Promise<void> {
  const set =
    args.direction === 1
      ? {
          order_count: sql<number>`order_count + 1`,
          total_gmv: sql<string>`total_gmv + ${args.finalAmount}::numeric`,
        }
      : {
          order_count: sql<number>`greatest(order_count - 1, 0)`,
          total_gmv: sql<string>`greatest(total_gmv - ${args.finalAmount}::numeric, 0)`,
        };
  await db
    .updateTable('campaign_code')
    .set({ ...set, updated_at: sql<Date>`now()` })
    .where('id', '=', args.campaignCodeId)
    .execute();
}

/**
 * Unmatching, the reverse of OS-7: the scan goes back to "unmatched" (order, time, method, user
 * and any OS-9 reversal cleared; the audit row keeps them). False when it was not matched.
 */
export async function releaseScan(db: Db, scanId: number): Promise<boolean> {
  const row = await db
    .updateTable('offline_scan_log')
    .set({
      matched: false,
      order_id: null,
      matched_at: null,
      match_method: null,
      matched_by_user_id: null,
      reversed_at: null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', scanId)
    .where('matched', '=', true)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Takes the code off the order again, only if it is still this code. */
export async function detachOrder(
  db: Db,
  args: { orderId: number; campaignCodeId: number },
): Promise<void> {
  await db
    .updateTable('order')
    .set({ campaign_code_id: null, updated_at: sql<Date>`now()` })
    .where('id', '=', args.orderId)
    .where('campaign_code_id', '=', args.campaignCodeId)
    .execute();
}

/**
 * Whether the store has any order that could take a code (matchable status, not attributed)
 * created between `from` − 5 minutes and `to` + 5 minutes: when it has none, no scan of that
 * span can have a candidate and the per-scan search is skipped. One range scan of the
 * (store_id, created_at) index.
 */
export async function hasOpenOrdersAround(
  db: Db,
  args: { storeId: number; from: Date; to: Date },
): Promise<boolean> {
  const row = await db
    .selectFrom('order')
    .select('id')
    .where('store_id', '=', args.storeId)
    .where('created_at', '>=', sql<Date>`${args.from}::timestamptz - ${AUTO_MATCH_WINDOW}`)
    .where('created_at', '<=', sql<Date>`${args.to}::timestamptz + ${AUTO_MATCH_WINDOW}`)
    .where('campaign_code_id', 'is', null)
    .where('status', 'in', MATCHABLE_ORDER_STATUSES)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export interface AutoMatchPair {
  scanId: number;
  orderId: number;
}

/**
 * OS-6 candidates: unmatched scans with an amount whose store has exactly one order in a
 * matchable status, not attributed, with final_amount = order_amount and created within
 * scanned_at ± 5 minutes. Either the given scans (at acceptance) or the unmatched scans scanned
 * in the last 24 hours (the periodic matcher), oldest first. The `LIMIT 2` per scan is enough to
 * tell one candidate from several; the lateral search uses the (store_id, final_amount,
 * created_at) index of "order".
 */
export async function listAutoMatchPairs(
  db: Db,
  filter: { scanIds: readonly number[] } | { recentLimit: number },
): Promise<AutoMatchPair[]> {
  if ('scanIds' in filter && filter.scanIds.length === 0) return [];
  const which =
    'scanIds' in filter
      ? sql`s.id = ANY(${[...filter.scanIds]}::int[])`
      : sql`s.scanned_at > now() - interval '24 hours'`;
  const limit = 'scanIds' in filter ? filter.scanIds.length : filter.recentLimit;
  const { rows } = await sql<{ scan_id: number; order_ids: number[] }>`
    SELECT s.id AS scan_id, c.order_ids
    FROM offline_scan_log AS s
    CROSS JOIN LATERAL (
      SELECT array_agg(o.id) AS order_ids
      FROM (
        SELECT o.id
        FROM "order" AS o
        WHERE o.store_id = s.store_id
          AND o.final_amount = s.order_amount
          AND o.created_at BETWEEN s.scanned_at - ${AUTO_MATCH_WINDOW}
                               AND s.scanned_at + ${AUTO_MATCH_WINDOW}
          AND o.campaign_code_id IS NULL
          AND o.status IN (${sql.join([...MATCHABLE_ORDER_STATUSES])})
        LIMIT 2
      ) AS o
    ) AS c
    WHERE ${which}
      AND s.matched = false
      AND s.order_amount IS NOT NULL
      AND cardinality(c.order_ids) = 1
    ORDER BY s.scanned_at, s.id
    LIMIT ${limit}
  `.execute(db);
  return rows.map((r) => ({ scanId: r.scan_id, orderId: r.order_ids[0]! }));
}
