import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireRole } from '~/auth/guards.server';
import { csvResponse, scansCsv } from '~/features/scans/scans-csv.server';
import { SCAN_LIST } from '~/features/scans/scans-list.params';
import { CHAIN_TIME_ZONE, toScanFilters } from '~/features/scans/scans-list.server';

/** GET /admin/scans.csv?<the list's filters>: every store's scans for Excel, newest first. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const params = SCAN_LIST.parse(request);
  const body = await scansCsv(context.db, user.language, {
    scope: { kind: 'all' },
    filters: toScanFilters(params.filters),
    timeZone: CHAIN_TIME_ZONE,
  });
  return csvResponse(body, 'scans');
}
