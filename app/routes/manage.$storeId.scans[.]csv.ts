import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireStoreAccess } from '~/auth/guards.server';
import { csvResponse, scansCsv } from '~/features/scans/scans-csv.server';
import { SCAN_LIST } from '~/features/scans/scans-list.params';
import { getStoreTimeZone, toScanFilters } from '~/features/scans/scans-list.server';

/** GET /manage/$storeId/scans.csv?<the list's filters>: this store's scans for Excel. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, storeId } = await requireStoreAccess(request, params.storeId);
  const timeZone = await getStoreTimeZone(context.db, storeId);
  if (!timeZone) throw new Response('Not Found', { status: 404, statusText: 'Not Found' });
  const list = SCAN_LIST.parse(request);
  const body = await scansCsv(context.db, user.language, {
    scope: { kind: 'stores', storeIds: [storeId] },
    filters: { ...toScanFilters(list.filters), storeId: undefined },
    timeZone,
  });
  return csvResponse(body, 'scans');
}
