import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { formatBucket, formatPercent } from '~/components/charts/format';
import { ThresholdBarChart } from '~/components/charts/threshold-bar-chart';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { PageHeader } from '~/components/ui/page-header';
import { fillBuckets } from '~/features/dashboards/buckets';
import { DashboardFilters } from '~/features/dashboards/components/dashboard-filters';
import { DataAsOf } from '~/features/dashboards/components/data-as-of';
import { Stat } from '~/features/dashboards/components/stat';
import { parseDashboardParams, toMoscowInput } from '~/features/dashboards/dashboard-params';
import { iikoHealthDashboard } from '~/features/dashboards/iiko-health.server';
import { dashboardReader } from '~/features/dashboards/reader.server';
import { reuseRecent } from '~/features/dashboards/reuse.server';
import type { Translate } from '~/i18n/translate';
import { metaTitle, useLang, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'dashboards.iiko.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const params = parseDashboardParams(request.url, { defaultDays: 1 });
  const reader = dashboardReader(context.db);
  const dashboard = await reuseRecent(`iiko ${JSON.stringify(params)}`, () =>
    iikoHealthDashboard(reader.db, { range: params, ...reader.opts }),
  );
  const series = fillBuckets(dashboard.failedPerHour, params, 'hour', (start) => ({
    start,
    failed: 0,
  }));
  return json({
    ...dashboard,
    series,
    filters: { from: toMoscowInput(params.from), to: toMoscowInput(params.to) },
  });
}

function age(seconds: number | null, t: Translate): string {
  if (seconds === null) return t('dashboards.noValue');
  if (seconds < 120) return t('dashboards.iiko.seconds', { value: seconds });
  if (seconds < 7200) return t('dashboards.iiko.minutes', { value: Math.floor(seconds / 60) });
  return t('dashboards.iiko.hours', { value: Math.floor(seconds / 3600) });
}

const th = 'px-4 py-2';
const td = 'px-4 py-2';

export default function AdminDashboardsIikoRoute() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const points = data.series.map((b) => ({
    label: formatBucket(b.start, 'hour', lang),
    value: b.failed,
  }));
  const time = (iso: string) => new Date(iso).toLocaleString(lang, { timeZone: 'Europe/Moscow' });
  return (
    <>
      <PageHeader
        title={t('dashboards.iiko.title')}
        description={t('dashboards.iiko.description')}
      />
      <DashboardFilters action="/admin/dashboards/iiko" {...data.filters} />
      <DataAsOf asOf={data.asOf} />
      <div className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat
          label={t('dashboards.iiko.col.successRate')}
          value={formatPercent(data.overall.successRate, lang)}
        />
        <Stat
          label={t('dashboards.iiko.col.pending')}
          value={data.overall.pending}
          hint={`${t('dashboards.iiko.col.oldest')}: ${age(data.overall.oldestPendingSeconds, t)}`}
        />
        <Stat
          label={t('dashboards.iiko.terminals')}
          value={t('dashboards.iiko.terminalsValue', {
            alive: data.terminals.alive,
            connected: data.terminals.connected,
          })}
          hint={t('dashboards.iiko.terminalsNote')}
          testId="iiko-terminals"
        />
        <Stat
          label={t('dashboards.iiko.conflicts')}
          value={data.overrideConflicts}
          testId="iiko-conflicts"
        />
      </div>
      <Card className="mb-6">
        <CardHeader title={t('dashboards.iiko.failedPerHour')} />
        <CardBody>
          <ThresholdBarChart
            id="iiko-failed-per-hour"
            points={points}
            threshold={data.threshold}
            seriesName={t('dashboards.iiko.failed')}
            thresholdLabel={t('dashboards.iiko.threshold')}
            xLabel={t('dashboards.chart.time')}
          />
        </CardBody>
      </Card>
      <Card className="mb-6">
        <CardHeader title={t('dashboards.iiko.queue')} />
        <CardBody className="overflow-x-auto p-0">
          <table className="min-w-full text-sm">
            <thead className="bg-stone-50 text-left text-xs text-stone-500">
              <tr>
                <th className={th}>{t('dashboards.iiko.col.type')}</th>
                <th className={`${th} text-right`}>{t('dashboards.iiko.col.pending')}</th>
                <th className={`${th} text-right`}>{t('dashboards.iiko.col.oldest')}</th>
                <th className={`${th} text-right`}>{t('dashboards.iiko.col.attempts')}</th>
                <th className={`${th} text-right`}>{t('dashboards.iiko.col.successRate')}</th>
                <th className={`${th} text-right`}>{t('dashboards.iiko.col.p95')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {data.types.map((row) => (
                <tr key={row.jobType}>
                  <td className={td}>{t(`dashboards.jobType.${row.jobType}`)}</td>
                  <td className={`${td} text-right tabular-nums`}>{row.pending}</td>
                  <td className={`${td} text-right tabular-nums`}>
                    {age(row.oldestPendingSeconds, t)}
                  </td>
                  <td className={`${td} text-right tabular-nums`}>{row.attempts}</td>
                  <td className={`${td} text-right tabular-nums`}>
                    {formatPercent(row.successRate, lang)}
                  </td>
                  <td className={`${td} text-right tabular-nums`}>
                    {row.p95DurationMs === null
                      ? t('dashboards.noValue')
                      : t('dashboards.iiko.ms', { value: Math.round(row.p95DurationMs) })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </CardBody>
      </Card>
      <Card className="mb-6">
        <CardHeader title={t('dashboards.iiko.recentFailures')} />
        <CardBody className="overflow-x-auto p-0">
          {data.recentFailures.length === 0 ? (
            <p className="px-4 py-6 text-sm text-stone-500">{t('dashboards.empty')}</p>
          ) : (
            <table className="min-w-full text-sm" data-testid="iiko-recent-failures">
              <thead className="bg-stone-50 text-left text-xs text-stone-500">
                <tr>
                  <th className={th}>{t('dashboards.iiko.col.time')}</th>
                  <th className={th}>{t('dashboards.iiko.col.job')}</th>
                  <th className={th}>{t('dashboards.iiko.col.code')}</th>
                  <th className={th}>{t('dashboards.iiko.col.message')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {data.recentFailures.map((f) => (
                  <tr key={f.logId}>
                    <td className={`${td} whitespace-nowrap`}>{time(f.finishedAt)}</td>
                    <td className={td}>
                      <Link
                        to={`/admin/iiko/jobs/${f.jobId}`}
                        className="text-brand-700 hover:underline"
                      >
                        #{f.jobId} · {t(`dashboards.jobType.${f.jobType as 'STOP_LIST'}`)} ·{' '}
                        {f.resourceId} · {f.attemptNumber}
                      </Link>
                    </td>
                    <td className={`${td} font-mono text-xs`}>
                      {f.errorCode ?? (f.httpStatus ? `HTTP ${f.httpStatus}` : '—')}
                    </td>
                    <td className={`${td} text-stone-600`}>{f.errorMessage ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </CardBody>
      </Card>
      <Card>
        <CardHeader
          title={t('dashboards.iiko.failedJobs')}
          description={t('dashboards.iiko.failedJobsTotal', { total: data.failedJobs.total })}
        />
        <CardBody className="overflow-x-auto p-0">
          {data.failedJobs.rows.length === 0 ? (
            <p className="px-4 py-6 text-sm text-stone-500">{t('dashboards.empty')}</p>
          ) : (
            <table className="min-w-full text-sm">
              <thead className="bg-stone-50 text-left text-xs text-stone-500">
                <tr>
                  <th className={th}>{t('dashboards.iiko.col.time')}</th>
                  <th className={th}>{t('dashboards.iiko.col.job')}</th>
                  <th className={th}>{t('dashboards.iiko.col.message')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {data.failedJobs.rows.map((j) => (
                  <tr key={j.jobId}>
                    <td className={`${td} whitespace-nowrap`}>{time(j.updatedAt)}</td>
                    <td className={td}>
                      <Link
                        to={`/admin/iiko/jobs/${j.jobId}`}
                        className="text-brand-700 hover:underline"
                      >
                        #{j.jobId} · {t(`dashboards.jobType.${j.jobType as 'STOP_LIST'}`)} ·{' '}
                        {j.resourceId}
                      </Link>
                    </td>
                    <td className={`${td} text-stone-600`}>{j.lastError ?? ''}</td>
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
