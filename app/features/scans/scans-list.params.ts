import {
  booleanFilter,
  dateFilter,
  defineListParams,
  enumFilter,
  idFilter,
  textFilter,
} from '~/utils/search-params';
import { SCAN_TYPES } from '~/utils/vocabularies';

/** Match state of a scan as the lists filter it; `reversed` = matched, then undone by OS-9. */
export const SCAN_MATCH_STATES = ['unmatched', 'matched', 'reversed'] as const;
export type ScanMatchState = (typeof SCAN_MATCH_STATES)[number];

/**
 * URL state of the scan logs: newest first, 50 a page (OS-10); bad values are ignored. `store`
 * is read only on the admin page (a manager's page is one store).
 */
export const SCAN_LIST = defineListParams({
  sortKeys: ['scanned', 'received'] as const,
  defaultSort: 'scanned',
  defaultDir: 'desc',
  defaultPageSize: 50,
  filters: {
    from: dateFilter(),
    to: dateFilter(),
    code: textFilter(32),
    match: enumFilter(SCAN_MATCH_STATES),
    type: enumFilter(SCAN_TYPES),
    dups: booleanFilter(),
    store: idFilter(),
  },
});

export type ScanListFilterValues = ReturnType<typeof SCAN_LIST.parse>['filters'];
export type ScanListSort = ReturnType<typeof SCAN_LIST.parse>['sort'];

/** The query string of the current filters, for the CSV link next to the list. */
export function filterQuery(filters: ScanListFilterValues, opts: { withStore: boolean }): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value === undefined || (name === 'store' && !opts.withStore)) continue;
    params.set(name, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}
