import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { StoreList } from '~/features/stores/components/store-list';
import { storeListParams } from '~/features/stores/stores.schema';
import { listStoreCities, listStores } from '~/features/stores/stores.server';
import { metaTitle, useT } from '~/i18n/use-t';
import { clampPage, pageWindow } from '~/utils/search-params';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.stores');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const params = storeListParams.parse(request);
  const query = { q: params.q, ...params.filters, sort: params.sort, dir: params.dir };
  let result = await listStores(context.db, { ...query, ...pageWindow(params) });
  const page = clampPage(params.page, result.total, params.pageSize);
  if (page !== params.page) {
    // a page past the end (list shrank, or a hand-edited URL) shows the last page
    result = await listStores(context.db, { ...query, ...pageWindow({ ...params, page }) });
  }
  const cities = await listStoreCities(context.db);
  return json({
    stores: result.rows,
    cities,
    params: { q: params.q, sort: params.sort, dir: params.dir, filters: params.filters },
    pagination: { page, pageSize: params.pageSize, total: result.total },
  });
}

export default function AdminStoresIndexRoute() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHeader
        title={t('nav.admin.stores')}
        description={t('stores.list.description')}
        actions={
          <ButtonLink to="/admin/stores/new" variant="primary">
            {t('stores.list.new')}
          </ButtonLink>
        }
      />
      <StoreList
        stores={data.stores}
        cities={data.cities}
        params={data.params}
        pagination={data.pagination}
      />
    </>
  );
}
