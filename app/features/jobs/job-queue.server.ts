import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import type { StaffActor } from '~/features/audit/audit.server';
import { isUniqueViolation } from '~/utils/pg-errors';
import { sanitize } from '~/utils/sanitize';
import type { ClaimedJob, JobOutcome, JobStatus, JobType } from './job-types';

/**
 * The job queue on `iiko_sync_job` (IK-2 … IK-7). Every operation is a single SQL statement, so it
 * is atomic without opening a transaction: the attempt's log row and the job's new state commit
 * together (IK-4), and `enqueueJob` can join the caller's transaction (an ORDER_PUSH is enqueued
 * in the transaction that records the payment hold). The database enforces the invariants: the
 * partial unique indexes deduplicate jobs and allow one RUNNING job per resource, and every state
 * change is a conditional UPDATE on the attempt it belongs to.
 */

/** IK-5; ORDER_PUSH has fewer attempts because a payment hold waits on it. */
export const DEFAULT_MAX_ATTEMPTS: Record<JobType, number> = {
  ORDER_PUSH: 3,
  STOP_LIST: 4,
  MENU_IMPORT: 4,
};

/** Column rule of `iiko_sync_job.priority`: orders first, then stock, then the menu. */
export const DEFAULT_PRIORITY: Record<JobType, number> = {
  ORDER_PUSH: 100,
  STOP_LIST: 50,
  MENU_IMPORT: 0,
};

/** A claim holds the job this long; a worker that neither finishes nor renews it is lost (IK-6). */
export const LEASE_MS = 5 * 60_000;

const MAX_LAST_ERROR = 2000;
const MAX_SUMMARY = 5000;
const MAX_LOCKED_BY = 100;

// --- enqueue ------------------------------------------------------------------------------------

export interface EnqueueJobInput {
  type: JobType;
  /** `order:<id>`, `store:<id>`, `org:<uuid>`. */
  resourceId: string;
  payload?: Record<string, unknown>;
  priority?: number;
  maxAttempts?: number;
  /** Not before this instant (default: now). */
  runAt?: Date;
  /** The admin behind a manual "run now". */
  createdByUserId?: number | null;
}

/**
 * IK-2: `INSERT … ON CONFLICT DO NOTHING`. The partial unique indexes allow one PENDING job per
 * (type, resource) and one ORDER_PUSH per order ever, so a duplicate enqueue is a no-op.
 * Returns the new job's id, or null when an equivalent job already exists.
 */
export async function enqueueJob(db: Db, input: EnqueueJobInput): Promise<number | null> {
  const row = await db
    .insertInto('iiko_sync_job')
    .values({
      job_type: input.type,
      resource_id: input.resourceId,
      // jsonb: serialised here so arrays inside the payload are never mistaken for PG arrays
      payload: JSON.stringify(input.payload ?? {}),
      priority: input.priority ?? DEFAULT_PRIORITY[input.type],
      max_attempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS[input.type],
      next_run_at: input.runAt ?? sql<Date>`now()`,
      created_by_user_id: input.createdByUserId ?? null,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

// --- claim --------------------------------------------------------------------------------------

interface JobRow {
  id: number;
  job_type: string;
  resource_id: string;
  payload: unknown;
  priority: number;
  attempt_count: number;
  max_attempts: number;
  started_at: Date;
  lease_until: Date;
  locked_by: string;
  created_by_user_id: number | null;
}

function toClaimedJob(row: JobRow): ClaimedJob {
  const payload = row.payload;
  return {
    id: row.id,
    type: row.job_type as JobType,
    resourceId: row.resource_id,
    payload:
      payload && typeof payload === 'object' && !Array.isArray(payload)
        ? (payload as Record<string, unknown>)
        : {},
    priority: row.priority,
    attemptCount: row.attempt_count,
    maxAttempts: row.max_attempts,
    startedAt: row.started_at,
    leaseUntil: row.lease_until,
    lockedBy: row.locked_by,
    createdByUserId: row.created_by_user_id,
  };
}

/**
 * IK-3: claims the most urgent due job of the given types whose resource has no RUNNING job, safe
 * for any number of workers (SKIP LOCKED). Returns null when nothing is due — including when a
 * concurrent claim of the same resource won the `idx_iiko_sync_job_running_unique` race.
 */
export async function claimJob(
  db: Db,
  workerId: string,
  types: readonly JobType[],
): Promise<ClaimedJob | null> {
  if (types.length === 0) return null;
  try {
    const { rows } = await sql<JobRow>`
      update iiko_sync_job j
         set status = 'RUNNING', attempt_count = j.attempt_count + 1, started_at = now(),
             lease_until = now() + ${sql.raw(`interval '${LEASE_MS / 1000} seconds'`)},
             locked_by = ${workerId.slice(0, MAX_LOCKED_BY)}, updated_at = now()
       where j.id = (select c.id from iiko_sync_job c
                      where c.status = 'PENDING' and c.next_run_at <= now()
                        and c.job_type in (${sql.join(types)})
                        and not exists (select 1 from iiko_sync_job r
                                         where r.status = 'RUNNING'
                                           and r.job_type = c.job_type
                                           and r.resource_id = c.resource_id)
                      order by c.priority desc, c.next_run_at, c.id
                      limit 1 for update skip locked)
      returning j.id, j.job_type, j.resource_id, j.payload, j.priority, j.attempt_count,
                j.max_attempts, j.started_at, j.lease_until, j.locked_by, j.created_by_user_id
    `.execute(db);
    return rows[0] ? toClaimedJob(rows[0]) : null;
  } catch (err) {
    if (isUniqueViolation(err, 'idx_iiko_sync_job_running_unique')) return null;
    throw err;
  }
}

// --- finishing an attempt -----------------------------------------------------------------------

/**
 * IK-5: 1 min after the first failed attempt, 5 min after the second, 25 min after every later
 * one, each multiplied by a uniform jitter in [0.8, 1.2] so failed jobs do not retry in lockstep.
 */
export function retryDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  const base = failedAttempts <= 1 ? 60_000 : failedAttempts === 2 ? 300_000 : 1_500_000;
  return Math.round(base * (0.8 + 0.4 * random()));
}

const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;

/** Free text for a log column: credentials and phone numbers masked, cut at 500 characters. */
function sanitizeText(text: string): string {
  return sanitize(text.replace(BEARER, '$1 [REDACTED]')) as string;
}

/** iiko's `apiLogin` is a credential although its name is not one the log sanitizer knows. */
function maskLogins(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskLogins);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      /login/i.test(k) && v != null ? '[REDACTED]' : maskLogins(v),
    ]),
  );
}

/**
 * A request or response summary for `iiko_sync_log` (IK-4): a JSON document (optionally after a
 * prefix such as `POST /api/1/deliveries/create `) is sanitized field by field; other text as a
 * whole. The result is cut to 5000 characters.
 */
export function sanitizeSummary(summary: string | undefined | null): string | null {
  if (summary == null || summary === '') return null;
  let text: string | null = null;
  const start = summary.search(/[[{]/);
  if (start >= 0) {
    try {
      const json = JSON.parse(summary.slice(start)) as unknown;
      const prefix = summary.slice(0, start);
      text = `${prefix ? sanitizeText(prefix) : ''}${JSON.stringify(sanitize(maskLogins(json)))}`;
    } catch {
      text = null;
    }
  }
  text ??= sanitizeText(summary);
  return text.length > MAX_SUMMARY ? text.slice(0, MAX_SUMMARY) : text;
}

function lastErrorOf(errorCode: string, message: string, prefix = ''): string {
  const text = `${prefix}${errorCode}: ${message}`;
  return text.length > MAX_LAST_ERROR ? text.slice(0, MAX_LAST_ERROR) : text;
}

export interface FinishedAttempt {
  jobId: number;
  attemptNumber: number;
  /** COMPLETED, PENDING (retry at nextRunAt), FAILED, or CANCELLED (superseded). */
  status: JobStatus;
  nextRunAt: Date;
}

type AttemptOwner =
  /** The worker that claimed the attempt. */
  | { lockedBy: string }
  /** The lease sweeper (IK-6): only once the lease has passed. */
  | { leaseExpired: true };

interface SettleInput {
  jobId: number;
  attemptNumber: number;
  maxAttempts: number;
  owner: AttemptOwner;
  outcome: JobOutcome;
  /** Measured by the worker; the sweeper derives it from `started_at`. */
  durationMs: number | null;
}

/**
 * Writes the attempt's one log row and the job's next state in one statement. The UPDATE only
 * matches while this attempt still owns the job (RUNNING, same attempt_count, same worker or an
 * expired lease), so a worker finishing after the sweeper recovered its job changes nothing and
 * the log keeps exactly one row per attempt.
 */
async function settleAttempt(db: Db, input: SettleInput): Promise<FinishedAttempt | null> {
  const { outcome } = input;
  const requestSummary = sanitizeSummary(outcome.requestSummary);
  const responseSummary = sanitizeSummary(outcome.responseSummary);
  const errorCode = outcome.ok ? null : outcome.errorCode.slice(0, 100);
  const errorMessage = outcome.ok ? null : sanitizeText(outcome.message);
  const httpStatus = Number.isInteger(outcome.httpStatus) ? outcome.httpStatus! : null;

  let next: ReturnType<typeof sql>;
  if (outcome.ok) {
    next = sql`status = 'COMPLETED', result = ${JSON.stringify(outcome.result)}::jsonb,
               finished_at = now(), last_error = null`;
  } else if (outcome.retryable && input.attemptNumber < input.maxAttempts) {
    const delayMs = retryDelayMs(input.attemptNumber);
    // A newer PENDING job for the resource supersedes this one (and holds the PENDING slot).
    const superseded = sql`exists (select 1 from iiko_sync_job p
                                    where p.status = 'PENDING' and p.job_type = j.job_type
                                      and p.resource_id = j.resource_id and p.id <> j.id)`;
    next = sql`status = case when ${superseded} then 'CANCELLED' else 'PENDING' end,
               next_run_at = case when ${superseded} then j.next_run_at
                                  else now() + ${delayMs}::integer * interval '1 millisecond' end,
               finished_at = case when ${superseded} then now() end,
               last_error = case when ${superseded}
                                 then ${lastErrorOf(errorCode!, errorMessage!, 'superseded after ')}
                                 else ${lastErrorOf(errorCode!, errorMessage!)} end`;
  } else {
    next = sql`status = 'FAILED', finished_at = now(),
               last_error = ${lastErrorOf(errorCode!, errorMessage!)}`;
  }
  const owned =
    'lockedBy' in input.owner
      ? sql`j.locked_by = ${input.owner.lockedBy}`
      : sql`j.lease_until < now()`;

  const statement = sql<{ id: number; status: JobStatus; next_run_at: Date }>`
    with settled as (
      update iiko_sync_job j
         set ${next}, lease_until = null, locked_by = null, updated_at = now()
       where j.id = ${input.jobId} and j.status = 'RUNNING'
         and j.attempt_count = ${input.attemptNumber} and ${owned}
      returning j.id, j.status, j.next_run_at, j.attempt_count, j.started_at
    ), logged as (
      insert into iiko_sync_log (job_id, attempt_number, started_at, finished_at, duration_ms,
                                 success, http_status, error_code, error_message,
                                 request_summary, response_summary)
      select s.id, s.attempt_count, s.started_at, now(),
             coalesce(${input.durationMs}::integer,
                      greatest(0, round(extract(epoch from now() - s.started_at) * 1000))::integer),
             ${outcome.ok}::boolean, ${httpStatus}::integer, ${errorCode}::varchar,
             ${errorMessage}::text, ${requestSummary}::text, ${responseSummary}::text
        from settled s
    )
    select id, status, next_run_at from settled
  `;

  // A PENDING job enqueued between the EXISTS check and the UPDATE makes the UPDATE violate
  // idx_iiko_sync_job_pending_unique; once more, the check sees it and cancels this one instead.
  for (let attempt = 1; ; attempt++) {
    try {
      const { rows } = await statement.execute(db);
      const row = rows[0];
      if (!row) return null;
      return {
        jobId: row.id,
        attemptNumber: input.attemptNumber,
        status: row.status,
        nextRunAt: row.next_run_at,
      };
    } catch (err) {
      if (attempt < 3 && isUniqueViolation(err, 'idx_iiko_sync_job_pending_unique')) continue;
      throw err;
    }
  }
}

/**
 * IK-4: records a worker's attempt (exactly one `iiko_sync_log` row, attempt_number =
 * attempt_count) and moves the job on: success → COMPLETED with `result`; retryable failure with
 * attempts left → PENDING after the IK-5 backoff, or CANCELLED when a newer PENDING job exists;
 * otherwise FAILED with `last_error`. Returns null when the attempt no longer owned the job (its
 * lease was recovered meanwhile); nothing is written then.
 */
export function finishJob(
  db: Db,
  job: ClaimedJob,
  outcome: JobOutcome,
  durationMs: number,
): Promise<FinishedAttempt | null> {
  return settleAttempt(db, {
    jobId: job.id,
    attemptNumber: job.attemptCount,
    maxAttempts: job.maxAttempts,
    owner: { lockedBy: job.lockedBy },
    outcome,
    durationMs: Math.max(0, Math.round(durationMs)),
  });
}

/**
 * IK-6: RUNNING jobs whose lease has passed (their worker died or hung) get a failed log row with
 * `WORKER_LOST` and are handled as a retryable failure. Returns the recovered attempts.
 */
export async function recoverExpiredLeases(db: Db, limit = 100): Promise<FinishedAttempt[]> {
  const expired = await db
    .selectFrom('iiko_sync_job')
    .select(['id', 'attempt_count', 'max_attempts', 'locked_by', 'lease_until'])
    .where('status', '=', 'RUNNING')
    .where('lease_until', '<', sql<Date>`now()`)
    .orderBy('lease_until')
    .limit(limit)
    .execute();
  const recovered: FinishedAttempt[] = [];
  for (const job of expired) {
    const finished = await settleAttempt(db, {
      jobId: job.id,
      attemptNumber: job.attempt_count,
      maxAttempts: job.max_attempts,
      owner: { leaseExpired: true },
      outcome: {
        ok: false,
        retryable: true,
        errorCode: 'WORKER_LOST',
        message: `lease of ${job.locked_by ?? 'unknown worker'} expired at ${job.lease_until?.toISOString()}`,
      },
      durationMs: null,
    });
    if (finished) recovered.push(finished);
  }
  return recovered;
}

// --- manual retry -------------------------------------------------------------------------------

export type RetryJobResult =
  | 'OK'
  | 'NOT_FOUND'
  /** Only FAILED jobs are retried by hand. */
  | 'NOT_FAILED'
  /** IK-7: a failed ORDER_PUSH already voided its order. */
  | 'ORDER_PUSH'
  /** The resource already has a PENDING job of this type; it will run anyway. */
  | 'ALREADY_PENDING';

/**
 * IK-7 (ADMIN): FAILED → PENDING with attempt_count 0, due now, and an `iiko_job.retry` audit row
 * written by the same statement. ORDER_PUSH jobs are never retried by hand.
 */
export async function retryFailedJob(
  db: Db,
  actor: StaffActor,
  jobId: number,
): Promise<RetryJobResult> {
  try {
    const { rows } = await sql<{ id: number }>`
      with retried as (
        update iiko_sync_job j
           set status = 'PENDING', attempt_count = 0, next_run_at = now(), finished_at = null,
               lease_until = null, locked_by = null, updated_at = now()
          from iiko_sync_job prev
         where prev.id = j.id and j.id = ${jobId}
           and j.status = 'FAILED' and j.job_type <> 'ORDER_PUSH'
        returning j.id, j.job_type, j.resource_id, prev.attempt_count as prev_attempt_count
      ), audited as (
        insert into audit_log (actor_type, actor_user_id, action, entity_type, entity_id,
                               before, after, request_id, ip)
        select 'USER', ${actor.userId}::integer, 'iiko_job.retry', 'iiko_sync_job', r.id::text,
               jsonb_build_object('status', 'FAILED', 'attempt_count', r.prev_attempt_count),
               jsonb_build_object('status', 'PENDING', 'attempt_count', 0,
                                  'job_type', r.job_type, 'resource_id', r.resource_id),
               ${actor.requestId?.slice(0, 64) ?? null}::varchar, ${actor.ip ?? null}::inet
          from retried r
      )
      select id from retried
    `.execute(db);
    if (rows.length > 0) return 'OK';
  } catch (err) {
    if (isUniqueViolation(err, 'idx_iiko_sync_job_pending_unique')) return 'ALREADY_PENDING';
    throw err;
  }
  const job = await db
    .selectFrom('iiko_sync_job')
    .select(['job_type', 'status'])
    .where('id', '=', jobId)
    .executeTakeFirst();
  if (!job) return 'NOT_FOUND';
  if (job.job_type === 'ORDER_PUSH') return 'ORDER_PUSH';
  return 'NOT_FAILED';
}
