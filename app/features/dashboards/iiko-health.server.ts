import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { IIKO_JOB_TYPES, type IikoJobType } from '~/utils/vocabularies';
import { DASHBOARD_TIME_ZONE, type DashboardRange } from './dashboard-params';
import {
  refreshRollup,
  rollupAsOf,
  ROLLUP_MAX_STALENESS_MS,
  type RefreshOptions,
} from './rollup.service.server';

/** The iiko sync health dashboard (DA-2). */

/** DA-3 iiko_sync_failures fires above 3 failed attempts per 60 min; the chart draws this line. */
export const IIKO_FAILED_PER_HOUR_THRESHOLD = 3;
/** A store counts as alive when a STOP_LIST attempt for it succeeded this recently (ADR 0016). */
export const TERMINAL_ALIVE_WINDOW_MINUTES = 15;
const RECENT_FAILURES = 20;
const FAILED_JOBS_LIMIT = 20;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface IikoTypeStats {
  jobType: IikoJobType;
  /** PENDING jobs now. */
  pending: number;
  /** Seconds since the oldest PENDING job was created; null without one. */
  oldestPendingSeconds: number | null;
  /** Attempts finished in the last 24 h. */
  attempts: number;
  successes: number;
  /** successes ÷ attempts; null without attempts. */
  successRate: number | null;
  /** percentile_cont(0.95) of duration_ms over the last 24 h; null without attempts. */
  p95DurationMs: number | null;
}

export interface IikoFailedAttempt {
  logId: number;
  jobId: number;
  jobType: string;
  resourceId: string;
  attemptNumber: number;
  finishedAt: string;
  httpStatus: number | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface IikoFailedJob {
  jobId: number;
  jobType: string;
  resourceId: string;
  attemptCount: number;
  lastError: string | null;
  updatedAt: string;
}

export interface IikoHealthDashboard {
  failedPerHour: { start: string; failed: number }[];
  threshold: number;
  types: IikoTypeStats[];
  /** All job types together. */
  overall: { pending: number; oldestPendingSeconds: number | null; successRate: number | null };
  terminals: { connected: number; alive: number };
  recentFailures: IikoFailedAttempt[];
  failedJobs: { total: number; rows: IikoFailedJob[] };
  overrideConflicts: number;
  /**
   * The attempts rollup (success rate, p95) holds the attempts logged before this instant (ISO);
   * null before the first refresh. The queue, the failures and the terminals are read live.
   */
  asOf: string | null;
}

/** Failed attempts per Moscow hour by finished_at (index (success, finished_at)). */
export async function iikoFailedPerHour(
  db: Db,
  range: DashboardRange,
): Promise<{ start: string; failed: number }[]> {
  const { rows } = await sql<{ start: Date; failed: number }>`
    select date_trunc('hour', finished_at, ${DASHBOARD_TIME_ZONE}) as start, count(*)::int as failed
    from iiko_sync_log
    where success = false and finished_at >= ${range.from} and finished_at < ${range.to}
    group by 1
    order by 1
  `.execute(db);
  return rows.map((r) => ({ start: r.start.toISOString(), failed: r.failed }));
}

async function queueByType(db: Db, now: Date) {
  const { rows } = await sql<{ job_type: string; pending: number; oldest: Date | null }>`
    select job_type, count(*)::int as pending, min(created_at) as oldest
    from iiko_sync_job
    where status = 'PENDING'
    group by job_type
  `.execute(db);
  return new Map(
    rows.map((r) => [
      r.job_type,
      {
        pending: r.pending,
        oldestPendingSeconds: r.oldest
          ? Math.max(0, Math.floor((now.getTime() - r.oldest.getTime()) / 1000))
          : null,
      },
    ]),
  );
}

/**
 * Attempts, successes and p95 duration per job type over the attempts finished since `since`:
 * the whole hours from the hourly rollup (refreshed by iikoHealthDashboard), the part of the first
 * hour from iiko_sync_log itself. p95 is exact: the rollup keeps every duration.
 */
async function attemptsByType(db: Db, since: Date) {
  const edge = new Date(Math.ceil(since.getTime() / HOUR_MS) * HOUR_MS);
  const parts = sql`
    select r.job_type, r.attempts, r.successes, r.durations
    from dashboards.iiko_attempt_hour r
    where r.hour >= ${edge}
    union all
    select j.job_type, count(*)::int, (count(*) filter (where l.success))::int,
           array_agg(l.duration_ms)
    from iiko_sync_log l
    join iiko_sync_job j on j.id = l.job_id
    where l.finished_at >= ${since} and l.finished_at < ${edge}
    group by j.job_type
  `;
  // one ordered-set aggregate per type (FILTER) sorts each type's durations once; GROUP BY would
  // first sort every duration by type
  const p95 = sql.join(
    IIKO_JOB_TYPES.map(
      (type) =>
        sql`percentile_cont(0.95) within group (order by d.duration) filter (where p.job_type = ${type})`,
    ),
  );
  const [{ rows: counts }, { rows: p95Rows }] = await Promise.all([
    sql<{ job_type: string; attempts: number; successes: number }>`
      with parts as (${parts})
      select job_type, sum(attempts)::int as attempts, sum(successes)::int as successes
      from parts group by job_type
    `.execute(db),
    sql<{ p95: (number | null)[] }>`
      with parts as (${parts})
      select array[${p95}] as p95
      from parts p cross join lateral unnest(p.durations) as d(duration)
    `.execute(db),
  ]);
  const p95ByType = p95Rows[0]?.p95 ?? [];
  return new Map(
    counts.map((r) => [
      r.job_type,
      { ...r, p95: p95ByType[IIKO_JOB_TYPES.indexOf(r.job_type as IikoJobType)] ?? null },
    ]),
  );
}

type TypeAttempts = Awaited<ReturnType<typeof attemptsByType>>;
/** The last-24-h figures per Db instance (the process-wide one in the app), with their age. */
const attemptsCache = new WeakMap<object, { computedAt: number; value: TypeAttempts }>();

/**
 * attemptsByType over the last 24 h, reused for ROLLUP_MAX_STALENESS_MS like the rollups: p95
 * reads every duration of the window, so its cost follows the attempts per day.
 */
async function recentAttemptsByType(
  db: Db,
  now: Date,
  maxStalenessMs: number,
): Promise<TypeAttempts> {
  const hit = attemptsCache.get(db);
  if (hit && Date.now() - hit.computedAt < maxStalenessMs) return hit.value;
  const value = await attemptsByType(db, new Date(now.getTime() - DAY_MS));
  attemptsCache.set(db, { computedAt: Date.now(), value });
  return value;
}

async function terminalHealth(db: Db, now: Date): Promise<{ connected: number; alive: number }> {
  const aliveSince = new Date(now.getTime() - TERMINAL_ALIVE_WINDOW_MINUTES * 60_000);
  const { rows } = await sql<{ connected: number; alive: number }>`
    select count(*)::int as connected,
           (count(*) filter (where exists (
             select 1
             from iiko_sync_log l
             join iiko_sync_job j on j.id = l.job_id
             where l.finished_at >= ${aliveSince}
               and l.success
               and j.job_type = 'STOP_LIST'
               and j.resource_id = 'store:' || s.id
           )))::int as alive
    from store s
    where s.iiko_terminal_group_id is not null and s.is_active
  `.execute(db);
  return rows[0] ?? { connected: 0, alive: 0 };
}

async function recentFailures(db: Db): Promise<IikoFailedAttempt[]> {
  const { rows } = await sql<{
    id: number;
    job_id: number;
    job_type: string;
    resource_id: string;
    attempt_number: number;
    finished_at: Date;
    http_status: number | null;
    error_code: string | null;
    error_message: string | null;
  }>`
    select l.id, l.job_id, j.job_type, j.resource_id, l.attempt_number, l.finished_at,
           l.http_status, l.error_code, left(l.error_message, 300) as error_message
    from iiko_sync_log l
    join iiko_sync_job j on j.id = l.job_id
    where l.success = false
    order by l.finished_at desc, l.id desc
    limit ${RECENT_FAILURES}
  `.execute(db);
  return rows.map((r) => ({
    logId: r.id,
    jobId: r.job_id,
    jobType: r.job_type,
    resourceId: r.resource_id,
    attemptNumber: r.attempt_number,
    finishedAt: r.finished_at.toISOString(),
    httpStatus: r.http_status,
    errorCode: r.error_code,
    errorMessage: r.error_message,
  }));
}

/** FAILED jobs an admin may retry (IK-7: ORDER_PUSH jobs are never retried by hand). */
async function failedJobs(db: Db): Promise<{ total: number; rows: IikoFailedJob[] }> {
  const [{ rows: count }, { rows }] = await Promise.all([
    sql<{ total: number }>`
      select count(*)::int as total from iiko_sync_job
      where status = 'FAILED' and job_type <> 'ORDER_PUSH'
    `.execute(db),
    sql<{
      id: number;
      job_type: string;
      resource_id: string;
      attempt_count: number;
      last_error: string | null;
      updated_at: Date;
    }>`
      select id, job_type, resource_id, attempt_count, left(last_error, 300) as last_error, updated_at
      from iiko_sync_job
      where status = 'FAILED' and job_type <> 'ORDER_PUSH'
      order by updated_at desc, id desc
      limit ${FAILED_JOBS_LIMIT}
    `.execute(db),
  ]);
  return {
    total: count[0]?.total ?? 0,
    rows: rows.map((r) => ({
      jobId: r.id,
      jobType: r.job_type,
      resourceId: r.resource_id,
      attemptCount: r.attempt_count,
      lastError: r.last_error,
      updatedAt: r.updated_at.toISOString(),
    })),
  };
}

/** IK-9: overridden products whose iiko values differ from ours. */
export async function overrideConflictCount(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from product
    where is_manual_override and (iiko_price <> base_price or iiko_name <> name_ru)
  `.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * Everything the iiko page shows. `range` only drives the failed-per-hour chart; success rate and
 * p95 are always the last 24 h (DA-2), the queue and the lists are "now".
 */
export async function iikoHealthDashboard(
  db: Db,
  opts: { range: DashboardRange; now?: Date } & RefreshOptions,
): Promise<IikoHealthDashboard> {
  const now = opts.now ?? new Date();
  await refreshRollup(db, 'iiko', opts);
  const [failedPerHour, queue, attempts, terminals, recent, failed, conflicts, asOf] =
    await Promise.all([
      iikoFailedPerHour(db, opts.range),
      queueByType(db, now),
      recentAttemptsByType(db, now, opts.maxStalenessMs ?? ROLLUP_MAX_STALENESS_MS),
      terminalHealth(db, now),
      recentFailures(db),
      failedJobs(db),
      overrideConflictCount(db),
      rollupAsOf(db, 'iiko'),
    ]);
  const types: IikoTypeStats[] = IIKO_JOB_TYPES.map((jobType) => {
    const q = queue.get(jobType);
    const a = attempts.get(jobType);
    return {
      jobType,
      pending: q?.pending ?? 0,
      oldestPendingSeconds: q?.oldestPendingSeconds ?? null,
      attempts: a?.attempts ?? 0,
      successes: a?.successes ?? 0,
      successRate: a && a.attempts > 0 ? a.successes / a.attempts : null,
      p95DurationMs: a?.p95 ?? null,
    };
  });
  const totalAttempts = types.reduce((n, t) => n + t.attempts, 0);
  const totalSuccesses = types.reduce((n, t) => n + t.successes, 0);
  const oldest = types.map((t) => t.oldestPendingSeconds).filter((s): s is number => s !== null);
  return {
    failedPerHour,
    threshold: IIKO_FAILED_PER_HOUR_THRESHOLD,
    types,
    overall: {
      pending: types.reduce((n, t) => n + t.pending, 0),
      oldestPendingSeconds: oldest.length > 0 ? Math.max(...oldest) : null,
      successRate: totalAttempts > 0 ? totalSuccesses / totalAttempts : null,
    },
    terminals,
    recentFailures: recent,
    failedJobs: failed,
    overrideConflicts: conflicts,
    asOf: asOf?.toISOString() ?? null,
  };
}
