import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { PageHeader } from '~/components/ui/page-header';
import { DashboardFilters } from '~/features/dashboards/components/dashboard-filters';
import { DataAsOf } from '~/features/dashboards/components/data-as-of';
import { Stat } from '~/features/dashboards/components/stat';
import { parseDashboardParams, toMoscowInput } from '~/features/dashboards/dashboard-params';
import { overviewDashboard } from '~/features/dashboards/overview.server';
import { dashboardReader } from '~/features/dashboards/reader.server';
import { reuseRecent } from '~/features/dashboards/reuse.server';
import { listDashboardStores } from '~/features/dashboards/stores.server';
import { metaTitle, useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'dashboards.overview.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const params = parseDashboardParams(request.url, { defaultDays: 7 });
  const reader = dashboardReader(context.db);
  const [overview, stores] = await reuseRecent(`overview ${JSON.stringify(params)}`, () =>
    Promise.all([
      overviewDashboard(reader.db, params, reader.opts),
      listDashboardStores(reader.db),
    ]),
  );
  return json({
    overview,
    stores,
    filters: {
      from: toMoscowInput(params.from),
      to: toMoscowInput(params.to),
      storeId: params.storeId,
    },
  });
}

export default function AdminDashboardsOverviewRoute() {
  const { overview, stores, filters } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const none = t('dashboards.noValue');
  return (
    <>
      <PageHeader
        title={t('dashboards.overview.title')}
        description={t('dashboards.overview.description')}
      />
      <DashboardFilters action="/admin/dashboards" stores={stores} {...filters} />
      <DataAsOf asOf={overview.asOf} />
      <div className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat
          label={t('dashboards.overview.paidOrders')}
          value={overview.paidOrders}
          hint={`${t('dashboards.overview.placedOrders')}: ${overview.placedOrders}`}
          testId="overview-paid-orders"
        />
        <Stat
          label={t('dashboards.overview.revenue')}
          value={formatRub(overview.revenue, lang)}
          hint={t('dashboards.overview.revenueNote')}
          testId="overview-revenue"
        />
        <Stat
          label={t('dashboards.overview.aov')}
          value={
            overview.averageOrderValue === null ? none : formatRub(overview.averageOrderValue, lang)
          }
        />
        <Stat
          label={t('dashboards.overview.couponRedemptions')}
          value={overview.couponRedemptions}
          hint={`${t('dashboards.overview.couponDiscount')}: ${formatRub(overview.couponDiscount, lang)} · ${t('dashboards.overview.discountTotal')}: ${formatRub(overview.discountTotal, lang)}`}
        />
      </div>
      <Card>
        <CardHeader title={t('dashboards.overview.topProducts')} />
        <CardBody className="overflow-x-auto p-0">
          {overview.topProducts.length === 0 ? (
            <p className="px-4 py-6 text-sm text-stone-500">{t('dashboards.empty')}</p>
          ) : (
            <table className="min-w-full text-sm">
              <thead className="bg-stone-50 text-left text-xs text-stone-500">
                <tr>
                  <th className="px-4 py-2">{t('dashboards.overview.col.product')}</th>
                  <th className="px-4 py-2 text-right">{t('dashboards.overview.col.quantity')}</th>
                  <th className="px-4 py-2 text-right">{t('dashboards.overview.col.revenue')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {overview.topProducts.map((p) => (
                  <tr key={p.productId}>
                    <td className="px-4 py-2">{lang === 'zh' && p.nameZh ? p.nameZh : p.nameRu}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{p.quantity}</td>
                    <td className="px-4 py-2 text-right tabular-nums">
                      {formatRub(p.revenue, lang)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </CardBody>
      </Card>
    </>
  );
}
