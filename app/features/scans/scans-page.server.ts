import type { Db } from '~db/database.server';
import { pageWindow } from '~/utils/search-params';
import type { ScanLogRow, ScanSuggestion } from './components/scan-log';
import type { ScanScope } from './matching.server';
import { SCAN_LIST } from './scans-list.params';
import {
  countScans,
  listMatchSuggestions,
  listScans,
  listStoreOptions,
  toScanFilters,
  type ScanListRow,
} from './scans-list.server';

/** The loader data of both scan log pages (admin: all stores, manager: one store). */

const iso = (value: Date | null) => (value ? value.toISOString() : null);

function toLogRow(r: ScanListRow): ScanLogRow {
  return {
    id: r.id,
    clientEventId: r.clientEventId,
    scannedAt: r.scannedAt.toISOString(),
    receivedAt: r.receivedAt.toISOString(),
    storeCode: r.storeCode,
    code: r.code,
    campaignCode: r.campaignCode,
    influencerName: r.influencerName,
    scanType: r.scanType,
    scannedBy: r.scannedBy,
    orderAmountKopecks: r.orderAmountKopecks,
    dupCount: r.dupCount,
    lastDupAt: iso(r.lastDupAt),
    matched: r.matched,
    matchMethod: r.matchMethod,
    matchedAt: iso(r.matchedAt),
    matchedByName: r.matchedByName,
    orderNumber: r.orderNumber,
    orderFinalKopecks: r.orderFinalKopecks,
    reversedAt: iso(r.reversedAt),
  };
}

export async function loadScanLog(
  db: Db,
  args: { request: Request; scope: ScanScope; timeZone: string; withStoreFilter: boolean },
) {
  const params = SCAN_LIST.parse(args.request);
  const listFilters = args.withStoreFilter
    ? params.filters
    : { ...params.filters, store: undefined };
  const query = { scope: args.scope, filters: toScanFilters(listFilters), timeZone: args.timeZone };
  const [{ rows, total }, counts, stores] = await Promise.all([
    listScans(db, { ...query, sort: params.sort, dir: params.dir, ...pageWindow(params) }),
    countScans(db, query),
    args.withStoreFilter ? listStoreOptions(db) : Promise.resolve(undefined),
  ]);
  const suggestions = await listMatchSuggestions(
    db,
    rows.filter((r) => !r.matched).map((r) => r.id),
  );
  return {
    rows: rows.map(toLogRow),
    counts,
    filters: listFilters,
    sort: { sort: params.sort, dir: params.dir },
    pagination: { page: params.page, pageSize: params.pageSize, total },
    suggestions: Object.fromEntries(
      [...suggestions].map(([scanId, list]): [string, ScanSuggestion[]] => [
        String(scanId),
        list.map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })),
      ]),
    ),
    timeZone: args.timeZone,
    stores,
  };
}
