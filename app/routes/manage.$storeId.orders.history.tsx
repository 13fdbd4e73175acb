import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireStoreAccess } from '~/auth/guards.server';
import { Alert } from '~/components/ui/alert';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { OrderHistory } from '~/features/order-board/components/order-history';
import { HISTORY_LIST, parseOrderSearch } from '~/features/order-board/order-board.schema';
import { listOrderHistory } from '~/features/order-board/order-board.server';
import { scopeForActor } from '~/features/order-board/order-board.service.server';
import { metaTitle, useT } from '~/i18n/use-t';
import { clampPage, pageWindow } from '~/utils/search-params';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'orderBoard.history.title');

/** The store's orders by business date, searchable by number or phone digits. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, storeId } = await requireStoreAccess(request, params.storeId);
  const list = HISTORY_LIST.parse(request);
  const search = parseOrderSearch(list.q);
  // the scope is this store; a store filter in the URL means nothing here
  const filters = { ...list.filters, store: undefined };
  const query = {
    scope: scopeForActor(user, storeId),
    filters,
    search,
    sort: list.sort,
    dir: list.dir,
  };
  let result = await listOrderHistory(context.db, { ...query, ...pageWindow(list) });
  const page = clampPage(list.page, result.total, list.pageSize);
  if (page !== list.page) {
    result = await listOrderHistory(context.db, { ...query, ...pageWindow({ ...list, page }) });
  }
  return json({
    rows: result.rows,
    params: { q: list.q, sort: list.sort, dir: list.dir, filters },
    pagination: { page, pageSize: list.pageSize, total: result.total },
    storeId,
    unsupportedSearch: search?.kind === 'unsupported',
  });
}

export default function ManageStoreOrderHistoryRoute() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const base = `/manage/${data.storeId}/orders`;
  return (
    <>
      <PageHeader
        title={t('orderBoard.history.title')}
        description={t('orderBoard.history.description')}
        actions={
          <ButtonLink to={base} variant="secondary">
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
        basePath={base}
      />
    </>
  );
}
