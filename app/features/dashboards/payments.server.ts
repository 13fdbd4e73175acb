import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { currentAlertStates, type AlertState } from '~/features/alerts/alert-state.server';
import { DASHBOARD_TIME_ZONE, type Bucket } from './dashboard-params';
import { failureRate, type PaymentOutcomeFilter } from './payment-outcome.server';
import { refreshRollup, rollupAsOf, type RefreshOptions } from './rollup.service.server';

/**
 * The payments dashboard (DA-1): failure rate per Moscow hour or day, reasons, totals. The
 * classification is payment-outcome.server.ts's; the counts come from the hourly rollup of schema
 * `dashboards` (ADR 0016), so the range is whole hours (parseDashboardParams rounds it).
 */

export interface PaymentBucketRow {
  /** Start of the Moscow hour or day, ISO string (UTC). */
  start: string;
  failed: number;
  succeeded: number;
  abandoned: number;
  rate: number | null;
}

export interface PaymentsDashboard {
  buckets: PaymentBucketRow[];
  totals: { failed: number; succeeded: number; abandoned: number; rate: number | null };
  /** Failed attempts by failure_code (null code = no code recorded), most frequent first. */
  reasons: { code: string | null; count: number }[];
  alert: AlertState | null;
  /** The attempts written before this instant (ISO) are counted; null before the first refresh. */
  asOf: string | null;
}

export interface PaymentsDashboardFilter extends PaymentOutcomeFilter {
  bucket: Bucket;
}

const REASON_LIMIT = 20;

function rollupWhere(filter: PaymentOutcomeFilter) {
  const parts = [sql`r.hour >= ${filter.from}`, sql`r.hour < ${filter.to}`];
  if (filter.storeId !== undefined) parts.push(sql`r.store_id = ${filter.storeId}`);
  if (filter.provider !== undefined) parts.push(sql`r.provider = ${filter.provider}`);
  return sql.join(parts, sql` and `);
}

/**
 * DA-1 counts per Moscow hour or day over [from, to) (whole hours), from the hourly rollup
 * (refreshed by paymentsDashboard). Empty buckets are not returned (the chart fills the gaps).
 */
export async function paymentBuckets(
  db: Db,
  filter: PaymentsDashboardFilter,
): Promise<PaymentBucketRow[]> {
  // a Moscow day is 24 whole UTC hours, so days are sums of hours cut at Moscow midnight
  const { rows } = await sql<{ start: Date; failed: number; succeeded: number; abandoned: number }>`
    select date_trunc(${filter.bucket}, r.hour, ${DASHBOARD_TIME_ZONE}) as start,
           sum(r.failed)::int as failed, sum(r.succeeded)::int as succeeded,
           sum(r.abandoned)::int as abandoned
    from dashboards.payment_hour r
    where ${rollupWhere(filter)}
    group by 1
    order by 1
  `.execute(db);
  return rows.map((r) => ({
    start: r.start.toISOString(),
    failed: r.failed,
    succeeded: r.succeeded,
    abandoned: r.abandoned,
    rate: failureRate(r.failed, r.succeeded),
  }));
}

/** Failed attempts (DA-1 definition) grouped by failure_code, from the hourly rollup. */
export async function paymentFailureReasons(
  db: Db,
  filter: PaymentOutcomeFilter,
): Promise<{ code: string | null; count: number }[]> {
  const { rows } = await sql<{ code: string; count: number }>`
    select r.failure_code as code, sum(r.attempts)::int as count
    from dashboards.payment_failure_hour r
    where ${rollupWhere(filter)}
    group by r.failure_code
    order by 2 desc, 1
    limit ${REASON_LIMIT}
  `.execute(db);
  return rows.map((r) => ({ code: r.code === '' ? null : r.code, count: r.count }));
}

/** Everything the payments page shows, for the route and the benchmark alike. */
export async function paymentsDashboard(
  db: Db,
  filter: PaymentsDashboardFilter,
  opts: RefreshOptions = {},
): Promise<PaymentsDashboard> {
  await refreshRollup(db, 'payments', opts);
  const [buckets, reasons, alerts, asOf] = await Promise.all([
    paymentBuckets(db, filter),
    paymentFailureReasons(db, filter),
    currentAlertStates(db),
    rollupAsOf(db, 'payments'),
  ]);
  // the totals are the sum of the buckets: every row of the range falls in exactly one bucket
  const failed = buckets.reduce((n, b) => n + b.failed, 0);
  const succeeded = buckets.reduce((n, b) => n + b.succeeded, 0);
  const abandoned = buckets.reduce((n, b) => n + b.abandoned, 0);
  return {
    buckets,
    totals: { failed, succeeded, abandoned, rate: failureRate(failed, succeeded) },
    reasons,
    alert: alerts.find((a) => a.rule === 'payment_failure_rate') ?? null,
    asOf: asOf?.toISOString() ?? null,
  };
}
