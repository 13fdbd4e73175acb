import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { formatBucket, formatPercent } from '~/components/charts/format';
import { ThresholdLineChart } from '~/components/charts/threshold-line-chart';
import { Badge } from '~/components/ui/badge';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { PageHeader } from '~/components/ui/page-header';
import { fillBuckets } from '~/features/dashboards/buckets';
import { DashboardFilters } from '~/features/dashboards/components/dashboard-filters';
import { DataAsOf } from '~/features/dashboards/components/data-as-of';
import { Stat } from '~/features/dashboards/components/stat';
import { parseDashboardParams, toMoscowInput } from '~/features/dashboards/dashboard-params';
import { paymentsDashboard } from '~/features/dashboards/payments.server';
import { dashboardReader } from '~/features/dashboards/reader.server';
import { reuseRecent } from '~/features/dashboards/reuse.server';
import { listDashboardStores } from '~/features/dashboards/stores.server';
import { metaTitle, useLang, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'dashboards.payments.title');

/** DA-3 payment_failure_rate threshold: the chart's reference line. */
const RATE_THRESHOLD = 0.05;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const params = parseDashboardParams(request.url, { defaultDays: 1 });
  const reader = dashboardReader(context.db);
  const [dashboard, stores] = await reuseRecent(`payments ${JSON.stringify(params)}`, () =>
    Promise.all([
      paymentsDashboard(reader.db, params, reader.opts),
      listDashboardStores(reader.db),
    ]),
  );
  const series = fillBuckets(dashboard.buckets, params, params.bucket, (start) => ({
    start,
    failed: 0,
    succeeded: 0,
    abandoned: 0,
    rate: null,
  }));
  return json({
    ...dashboard,
    series,
    stores,
    filters: {
      from: toMoscowInput(params.from),
      to: toMoscowInput(params.to),
      bucket: params.bucket,
      storeId: params.storeId,
      provider: params.provider,
    },
  });
}

export default function AdminDashboardsPaymentsRoute() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const { totals, alert, filters } = data;
  const points = data.series.map((b) => ({
    label: formatBucket(b.start, filters.bucket, lang),
    value: b.rate,
  }));
  return (
    <>
      <PageHeader
        title={t('dashboards.payments.title')}
        description={t('dashboards.payments.description')}
      />
      {alert ? (
        <div
          data-testid="alert-payment_failure_rate"
          data-firing={alert.firing ? 'true' : 'false'}
          className="mb-4 flex flex-wrap items-center gap-3 rounded-lg border border-stone-200 bg-white px-4 py-3 text-sm"
        >
          <span className="font-medium text-stone-800">{t('dashboards.payments.alert.title')}</span>
          {alert.firing ? (
            <Badge tone="danger">
              {t('dashboards.payments.alert.firing', {
                since: alert.since
                  ? new Date(alert.since).toLocaleString(lang, { timeZone: 'Europe/Moscow' })
                  : '—',
              })}
            </Badge>
          ) : (
            <Badge tone="success">{t('dashboards.payments.alert.ok')}</Badge>
          )}
          <span className="text-stone-500">
            {t('dashboards.payments.alert.value', {
              value: formatPercent(alert.value, lang),
              threshold: formatPercent(alert.threshold, lang),
            })}
          </span>
        </div>
      ) : null}
      <DashboardFilters
        action="/admin/dashboards/payments"
        stores={data.stores}
        showBucket
        showProvider
        {...filters}
      />
      <DataAsOf asOf={data.asOf} />
      <div className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat
          label={t('dashboards.payments.rate')}
          value={formatPercent(totals.rate, lang)}
          testId="payments-rate"
        />
        <Stat label={t('dashboards.payments.failed')} value={totals.failed} />
        <Stat label={t('dashboards.payments.succeeded')} value={totals.succeeded} />
        <Stat label={t('dashboards.payments.abandoned')} value={totals.abandoned} />
      </div>
      <Card className="mb-6">
        <CardHeader title={t('dashboards.payments.rateChart')} />
        <CardBody>
          <ThresholdLineChart
            id="payments-failure-rate"
            points={points}
            threshold={RATE_THRESHOLD}
            seriesName={t('dashboards.payments.rate')}
            thresholdLabel={t('dashboards.payments.threshold')}
            xLabel={t('dashboards.chart.time')}
            formatValue={(v) => formatPercent(v, lang)}
          />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title={t('dashboards.payments.reasons')} />
        <CardBody className="overflow-x-auto p-0">
          {data.reasons.length === 0 ? (
            <p className="px-4 py-6 text-sm text-stone-500">{t('dashboards.empty')}</p>
          ) : (
            <table className="min-w-full text-sm">
              <thead className="bg-stone-50 text-left text-xs text-stone-500">
                <tr>
                  <th className="px-4 py-2">{t('dashboards.payments.col.code')}</th>
                  <th className="px-4 py-2 text-right">{t('dashboards.payments.col.count')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {data.reasons.map((r) => (
                  <tr key={r.code ?? ''}>
                    <td className="px-4 py-2 font-mono text-xs">
                      {r.code ?? t('dashboards.payments.noCode')}
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">{r.count}</td>
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
