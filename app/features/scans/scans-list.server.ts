import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { fromDecimal } from '~/utils/money';
import type { MatchMethod, ScanType } from '~/utils/vocabularies';
import { MATCHABLE_ORDER_STATUSES, type ScanScope } from './matching.server';
import type { ScanListFilterValues, ScanListSort, ScanMatchState } from './scans-list.params';

/**
 * Reading offline_scan_log for the scan logs (issue 6 item 4). Scope is an argument: ADMIN reads
 * every store, a STORE_MANAGER's page passes its verified store (RB-2).
 */

/** Chain-wide lists use Moscow time (C-3); a store's own page uses the store's zone. */
export const CHAIN_TIME_ZONE = 'Europe/Moscow';

export interface ScanFilters {
  /** Calendar dates 'YYYY-MM-DD' of scanned_at, inclusive, in the list's time zone. */
  from?: string;
  to?: string;
  code?: string;
  match?: ScanMatchState;
  type?: ScanType;
  duplicatesOnly?: boolean;
  storeId?: number;
}

export function toScanFilters(values: ScanListFilterValues): ScanFilters {
  return {
    from: values.from,
    to: values.to,
    code: values.code?.trim().toUpperCase() || undefined,
    match: values.match,
    type: values.type,
    duplicatesOnly: values.dups === true ? true : undefined,
    storeId: values.store,
  };
}

interface ListQuery {
  scope: ScanScope;
  filters: ScanFilters;
  timeZone: string;
}

function scoped(db: Db, { scope, filters, timeZone }: ListQuery) {
  let query = db
    .selectFrom('offline_scan_log as s')
    .innerJoin('campaign_code as cc', 'cc.id', 's.campaign_code_id');
  if (scope.kind === 'stores') {
    // an empty list must match nothing, not everything
    query = query.where('s.store_id', 'in', scope.storeIds.length ? [...scope.storeIds] : [-1]);
  }
  if (filters.storeId) query = query.where('s.store_id', '=', filters.storeId);
  if (filters.from) {
    query = query.where(
      's.scanned_at',
      '>=',
      sql<Date>`(${filters.from}::date)::timestamp at time zone ${timeZone}`,
    );
  }
  if (filters.to) {
    query = query.where(
      's.scanned_at',
      '<',
      sql<Date>`(${filters.to}::date + 1)::timestamp at time zone ${timeZone}`,
    );
  }
  if (filters.code) query = query.where('cc.code', '=', filters.code);
  if (filters.type) query = query.where('s.scan_type', '=', filters.type);
  if (filters.duplicatesOnly) query = query.where('s.dup_count', '>', 0);
  switch (filters.match) {
    case 'unmatched':
      query = query.where('s.matched', '=', false);
      break;
    case 'matched':
      query = query.where('s.matched', '=', true).where('s.reversed_at', 'is', null);
      break;
    case 'reversed':
      query = query.where('s.reversed_at', 'is not', null);
      break;
  }
  return query;
}

export interface ScanListRow {
  id: number;
  clientEventId: string;
  scannedAt: Date;
  receivedAt: Date;
  storeId: number;
  storeCode: string;
  code: string;
  campaignCode: string;
  influencerName: string;
  scanType: ScanType;
  scannedBy: string;
  orderAmountKopecks: number | null;
  dupCount: number;
  lastDupAt: Date | null;
  matched: boolean;
  matchMethod: MatchMethod | null;
  matchedAt: Date | null;
  matchedByName: string | null;
  orderId: number | null;
  orderNumber: string | null;
  orderFinalKopecks: number | null;
  reversedAt: Date | null;
}

function rowsQuery(db: Db, query: ListQuery) {
  return scoped(db, query)
    .innerJoin('campaign as camp', 'camp.id', 'cc.campaign_id')
    .innerJoin('influencer as inf', 'inf.id', 'cc.influencer_id')
    .innerJoin('store as st', 'st.id', 's.store_id')
    .leftJoin('order as o', 'o.id', 's.order_id')
    .leftJoin('users as u', 'u.id', 's.matched_by_user_id')
    .select([
      's.id',
      's.client_event_id',
      's.scanned_at',
      's.created_at',
      's.store_id',
      'st.code as store_code',
      'cc.code',
      'camp.code as campaign_code',
      'inf.name as influencer_name',
      's.scan_type',
      's.scanned_by',
      's.order_amount',
      's.dup_count',
      's.last_dup_at',
      's.matched',
      's.match_method',
      's.matched_at',
      'u.display_name as matched_by_name',
      's.order_id',
      'o.order_number',
      'o.final_amount as order_final_amount',
      's.reversed_at',
    ]);
}

type RawRow = Awaited<ReturnType<ReturnType<typeof rowsQuery>['execute']>>[number];

const date = (value: Date | string | null): Date | null => (value ? new Date(value) : null);

function toRow(r: RawRow): ScanListRow {
  return {
    id: r.id,
    clientEventId: r.client_event_id,
    scannedAt: new Date(r.scanned_at),
    receivedAt: new Date(r.created_at),
    storeId: r.store_id,
    storeCode: r.store_code,
    code: r.code,
    campaignCode: r.campaign_code,
    influencerName: r.influencer_name,
    scanType: r.scan_type as ScanType,
    scannedBy: r.scanned_by,
    orderAmountKopecks: r.order_amount === null ? null : fromDecimal(r.order_amount),
    dupCount: r.dup_count,
    lastDupAt: date(r.last_dup_at),
    matched: r.matched,
    matchMethod: r.match_method as MatchMethod | null,
    matchedAt: date(r.matched_at),
    matchedByName: r.matched_by_name,
    orderId: r.order_id,
    orderNumber: r.order_number,
    orderFinalKopecks: r.order_final_amount === null ? null : fromDecimal(r.order_final_amount),
    reversedAt: date(r.reversed_at),
  };
}

const SORT_COLUMNS = { scanned: 's.scanned_at', received: 's.created_at' } as const;

/** One page of scans and the number matching the filters. */
export async function listScans(
  db: Db,
  args: ListQuery & { sort: ScanListSort; dir: 'asc' | 'desc'; limit: number; offset: number },
): Promise<{ rows: ScanListRow[]; total: number }> {
  const [{ total }, rows] = await Promise.all([
    scoped(db, args)
      .select((eb) => eb.fn.countAll<string>().as('total'))
      .executeTakeFirstOrThrow(),
    rowsQuery(db, args)
      .orderBy(SORT_COLUMNS[args.sort], args.dir)
      .orderBy('s.id', args.dir)
      .limit(args.limit)
      .offset(args.offset)
      .execute(),
  ]);
  return { rows: rows.map(toRow), total: Number(total) };
}

/** The most rows one CSV export holds (newest first); a longer period needs narrower filters. */
export const EXPORT_LIMIT = 50_000;

export async function listScansForExport(db: Db, args: ListQuery): Promise<ScanListRow[]> {
  const rows = await rowsQuery(db, args)
    .orderBy('s.scanned_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(EXPORT_LIMIT)
    .execute();
  return rows.map(toRow);
}

export interface ScanCounts {
  total: number;
  unmatched: number;
  matched: number;
  reversed: number;
  /** Scans a device sent more than once. */
  withDuplicates: number;
  /** Σ dup_count: repeated sightings absorbed by OS-5. */
  repeats: number;
}

/** The summary line above the list, for the same filters. */
export async function countScans(db: Db, args: ListQuery): Promise<ScanCounts> {
  const row = await scoped(db, args)
    .select((eb) => [
      eb.fn.countAll<string>().as('total'),
      eb.fn.countAll<string>().filterWhere('s.matched', '=', false).as('unmatched'),
      eb.fn
        .countAll<string>()
        .filterWhere((w) => w.and([w('s.matched', '=', true), w('s.reversed_at', 'is', null)]))
        .as('matched'),
      eb.fn.countAll<string>().filterWhere('s.reversed_at', 'is not', null).as('reversed'),
      eb.fn.countAll<string>().filterWhere('s.dup_count', '>', 0).as('with_duplicates'),
      sql<string>`coalesce(sum(s.dup_count), 0)`.as('repeats'),
    ])
    .executeTakeFirstOrThrow();
  return {
    total: Number(row.total),
    unmatched: Number(row.unmatched),
    matched: Number(row.matched),
    reversed: Number(row.reversed),
    withDuplicates: Number(row.with_duplicates),
    repeats: Number(row.repeats),
  };
}

export interface MatchSuggestion {
  orderNumber: string;
  finalKopecks: number;
  createdAt: Date;
}

/** How far around the scan time the match form looks for orders to offer. */
const SUGGESTION_WINDOW = sql.raw(`interval '30 minutes'`);

/**
 * For the match forms of the unmatched scans on a page: up to five orders of the scan's store
 * that could still take a code (matchable status, not attributed), created within 30 minutes of
 * the scan, closest first. Only a hint: the manager may type any order number.
 */
export async function listMatchSuggestions(
  db: Db,
  scanIds: readonly number[],
): Promise<Map<number, MatchSuggestion[]>> {
  if (scanIds.length === 0) return new Map();
  const { rows } = await sql<{
    scan_id: number;
    order_number: string;
    final_amount: string;
    created_at: Date;
  }>`
    SELECT s.id AS scan_id, o.order_number, o.final_amount, o.created_at
    FROM offline_scan_log AS s
    CROSS JOIN LATERAL (
      SELECT o.order_number, o.final_amount, o.created_at
      FROM "order" AS o
      WHERE o.store_id = s.store_id
        AND o.created_at BETWEEN s.scanned_at - ${SUGGESTION_WINDOW}
                             AND s.scanned_at + ${SUGGESTION_WINDOW}
        AND o.campaign_code_id IS NULL
        AND o.status IN (${sql.join([...MATCHABLE_ORDER_STATUSES])})
      ORDER BY abs(extract(epoch FROM o.created_at - s.scanned_at)), o.id
      LIMIT 5
    ) AS o
    WHERE s.id = ANY(${[...scanIds]}::int[]) AND s.matched = false
  `.execute(db);
  const out = new Map<number, MatchSuggestion[]>();
  for (const r of rows) {
    const list = out.get(r.scan_id) ?? [];
    list.push({
      orderNumber: r.order_number,
      finalKopecks: fromDecimal(r.final_amount),
      createdAt: new Date(r.created_at),
    });
    out.set(r.scan_id, list);
  }
  return out;
}

/** The store's IANA zone (C-3), or null when the store does not exist. */
export async function getStoreTimeZone(db: Db, storeId: number): Promise<string | null> {
  const row = await db
    .selectFrom('store')
    .select('timezone')
    .where('id', '=', storeId)
    .executeTakeFirst();
  return row?.timezone ?? null;
}

/** Stores for the admin's store filter. */
export async function listStoreOptions(db: Db): Promise<{ id: number; code: string }[]> {
  return db.selectFrom('store').select(['id', 'code']).orderBy('code').execute();
}
