import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { currentAlertStates, type AlertState } from '~/features/alerts/alert-state.server';
import { DASHBOARD_TIME_ZONE, type Bucket } from './dashboard-params';
import {
  failedAttemptSql,
  failureRate,
  outcomeCountsSql,
  paymentAttemptWhereSql,
  type PaymentOutcomeFilter,
} from './payment-outcome.server';

/** The payments dashboard (DA-1): failure rate per Moscow hour or day, reasons, totals. */

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
}

export interface PaymentsDashboardFilter extends PaymentOutcomeFilter {
  bucket: Bucket;
}

const REASON_LIMIT = 20;

/** DA-1 counts per bucket; empty buckets are not returned (the chart fills the gaps). */
export async function paymentBuckets(
  db: Db,
  filter: PaymentsDashboardFilter,
): Promise<PaymentBucketRow[]> {
  const c = outcomeCountsSql();
  // date_trunc with a zone cuts at Moscow midnight / hour, whatever the session time zone is
  const { rows } = await sql<{ start: Date; failed: number; succeeded: number; abandoned: number }>`
    select date_trunc(${filter.bucket}, created_at, ${DASHBOARD_TIME_ZONE}) as start,
           ${c.failed} as failed, ${c.succeeded} as succeeded, ${c.abandoned} as abandoned
    from payment_transaction
    where ${paymentAttemptWhereSql(filter)}
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

/** Failed attempts (DA-1 definition) grouped by failure_code. */
export async function paymentFailureReasons(
  db: Db,
  filter: PaymentOutcomeFilter,
): Promise<{ code: string | null; count: number }[]> {
  const { rows } = await sql<{ code: string | null; count: number }>`
    select failure_code as code, count(*)::int as count
    from payment_transaction
    where ${paymentAttemptWhereSql(filter)} and ${failedAttemptSql()}
    group by failure_code
    order by count(*) desc, failure_code
    limit ${REASON_LIMIT}
  `.execute(db);
  return rows;
}

/** Everything the payments page shows, for the route and the benchmark alike. */
export async function paymentsDashboard(
  db: Db,
  filter: PaymentsDashboardFilter,
): Promise<PaymentsDashboard> {
  const [buckets, reasons, alerts] = await Promise.all([
    paymentBuckets(db, filter),
    paymentFailureReasons(db, filter),
    currentAlertStates(db),
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
  };
}
