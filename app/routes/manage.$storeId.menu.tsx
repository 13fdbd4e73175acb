import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireStoreAccess } from '~/auth/guards.server';
import { FilterSelect, ListFilters } from '~/components/data-table';
import { Alert } from '~/components/ui/alert';
import { PageHeader } from '~/components/ui/page-header';
import { SET_STOCK_INTENT, setStockSchema } from '~/features/availability/availability.schema';
import { listStoreAvailability } from '~/features/availability/availability.server';
import { setStockStatus } from '~/features/availability/availability.service.server';
import { AvailabilityTable } from '~/features/availability/components/availability-table';
import { metaTitle, useT } from '~/i18n/use-t';
import { defineListParams, enumFilter } from '~/utils/search-params';
import { STOCK_STATUSES } from '~/utils/vocabularies';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'availability.title');

const LIST = defineListParams({
  sortKeys: ['menu'] as const,
  defaultSort: 'menu',
  filters: { status: enumFilter(STOCK_STATUSES) },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { storeId } = await requireStoreAccess(request, params.storeId);
  const list = LIST.parse(request);
  const rows = await listStoreAvailability(context.db, {
    storeId,
    filters: { q: list.q, stockStatus: list.filters.status },
  });
  return json({ rows, q: list.q, status: list.filters.status ?? null });
}

/**
 * Stock marks only: store_product.stock_status of the verified store (RB-1 "Availability: RW own
 * stores"). Prices, listings and option items are chain-wide or admin-only and have no path here.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, storeId } = await requireStoreAccess(request, params.storeId);
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  if (formData.get('intent') !== SET_STOCK_INTENT) {
    return json({ error: { code: 'UNKNOWN_INTENT' } }, { status: 400 });
  }
  const submission = parseWithZod(formData, { schema: setStockSchema });
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 });

  const result = await setStockStatus(context.db, {
    storeId,
    productId: submission.value.productId,
    stockStatus: submission.value.stockStatus,
    actor: { userId: user.id, requestId: context.requestId, ip: context.clientIp },
  });
  // a product not listed in this store is not found here, whether it exists elsewhere or not (RB-2)
  if (!result.ok) throw new Response('Not Found', { status: 404, statusText: 'Not Found' });
  const url = new URL(request.url);
  url.searchParams.delete('index');
  url.searchParams.delete('_data');
  return redirect(`${url.pathname}${url.search}`);
}

export default function ManageStoreMenuRoute() {
  const { rows, q, status } = useLoaderData<typeof loader>();
  const t = useT();
  const out = rows.filter((r) => r.stockStatus === 'OUT_OF_STOCK').length;
  const low = rows.filter((r) => r.stockStatus === 'LOW_STOCK').length;
  return (
    <>
      <PageHeader title={t('availability.title')} description={t('availability.description')} />
      <Alert className="mb-4">
        <p>{t('availability.pricesNote')}</p>
        <p>{t('availability.optionsNote')}</p>
      </Alert>
      <ListFilters q={q} searchLabel={t('availability.search')}>
        <FilterSelect
          name="status"
          label={t('availability.filter.status')}
          value={status ?? undefined}
          options={STOCK_STATUSES.map((s) => ({ value: s, label: t(`availability.status.${s}`) }))}
        />
      </ListFilters>
      <p className="mb-2 text-sm text-stone-600">{t('availability.summary', { out, low })}</p>
      <AvailabilityTable rows={rows} />
    </>
  );
}
