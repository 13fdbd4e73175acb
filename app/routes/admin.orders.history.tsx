import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { Alert } from '~/components/ui/alert';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { OrderHistory } from '~/features/order-board/components/order-history';
import { HISTORY_LIST, parseOrderSearch } from '~/features/order-board/order-board.schema';
import { listOrderHistory } from '~/features/order-board/order-board.server';
import { scopeForActor } from '~/features/order-board/order-board.service.server';
import { listVisibleStores } from '~/features/stores/store-scope.server';
import { metaTitle, useT } from '~/i18n/use-t';
import { clampPage, pageWindow } from '~/utils/search-params';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'orderBoard.history.title');

/** Every store's orders; `?refund=pending` is PY-9's "refund pending" list. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const list = HISTORY_LIST.parse(request);
  const search = parseOrderSearch(list.q);
  const query = {
    scope: scopeForActor(user),
    filters: list.filters,
    search,
    sort: list.sort,
    dir: list.dir,
  };
  let result = await listOrderHistory(context.db, { ...query, ...pageWindow(list) });
  const page = clampPage(list.page, result.total, list.pageSize);
  if (page !== list.page) {
    result = await listOrderHistory(context.db, { ...query, ...pageWindow({ ...list, page }) });
  }
  const stores = await listVisibleStores(context.db, user);
  return json({
    rows: result.rows,
    params: { q: list.q, sort: list.sort, dir: list.dir, filters: list.filters },
    pagination: { page, pageSize: list.pageSize, total: result.total },
    stores: stores.map((s) => ({ id: s.id, code: s.code })),
    unsupportedSearch: search?.kind === 'unsupported',
  });
}

export default function AdminOrderHistoryRoute() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHeader
        title={t('orderBoard.history.title')}
        description={t('orderBoard.history.description')}
        actions={
          <ButtonLink to="/admin/orders" variant="secondary">
            {t('orderBoard.board.board')}
          </ButtonLink>
        }
      />
      {data.unsupportedSearch ? (
        <Alert tone="warning" className="mb-4">
          {t('orderBoard.search.unsupported')}
        </Alert>
      ) : null}
      <OrderHistory
        rows={data.rows}
        params={data.params}
        pagination={data.pagination}
        basePath="/admin/orders"
        stores={data.stores}
      />
    </>
  );
}
