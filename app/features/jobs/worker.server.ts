import { setTimeout as delay } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import type { DB } from '~db/types.generated';
import { logger } from '~/utils/logger.server';
import { sanitize } from '~/utils/sanitize';
import { jobHandlers } from './handlers.server';
import { claimJob, finishJob, LEASE_MS, type FinishedAttempt } from './job-queue.server';
import type { ClaimedJob, JobHandlers, JobOutcome, JobType } from './job-types';
import { periodicTasks as defaultPeriodicTasks, type PeriodicTask } from './periodic.server';

/**
 * The worker runner: N loops that claim and run jobs (IK-3, IK-4), plus the periodic tasks. It
 * runs inside the web process (scripts/server.ts) and as its own process (`npm run worker`,
 * scripts/worker.ts); any number of runners may share one database (CF-6).
 */

/** Below the lease, so a healthy worker always settles its attempt before the sweeper would. */
export const DEFAULT_JOB_TIMEOUT_MS = LEASE_MS - 60_000;
const IDLE_MIN_MS = 250;
const IDLE_MAX_MS = 2_000;
/** First key of the two-key advisory locks of periodic tasks (the second is the name's hash). */
const PERIODIC_LOCK_SPACE = 0x63746561; // "ctea"

export interface RunOptions {
  /** Handlers by job type (default: `jobHandlers`); only these types are claimed. */
  handlers?: JobHandlers;
  jobTimeoutMs?: number;
}

export interface StartWorkersOptions extends RunOptions {
  db: Kysely<DB>;
  /** Job loops; each uses one pooled connection at a time. */
  concurrency: number;
  /** Identifies this runner in `locked_by` (each loop appends `/<n>`). */
  workerId: string;
  /** Default: `periodicTasks`; pass [] for a runner without them. */
  periodicTasks?: readonly PeriodicTask[];
  /** Idle polling backs off from the first to the second value (default 250 ms → 2 s). */
  idleMs?: readonly [number, number];
}

export interface Workers {
  /** Stops claiming, lets running jobs and periodic runs finish, then resolves. */
  stop(): Promise<void>;
}

export interface JobRun {
  job: ClaimedJob;
  outcome: JobOutcome;
  /** Null when the attempt lost its lease before it was recorded. */
  finished: FinishedAttempt | null;
}

function handledTypes(handlers: JobHandlers, only?: readonly JobType[]): JobType[] {
  const types = (Object.keys(handlers) as JobType[]).filter((t) => handlers[t] !== undefined);
  return only ? types.filter((t) => only.includes(t)) : types;
}

function isOutcome(value: unknown): value is JobOutcome {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (v.ok === true) return typeof v.result === 'object' && v.result !== null;
  return (
    v.ok === false &&
    typeof v.retryable === 'boolean' &&
    typeof v.errorCode === 'string' &&
    typeof v.message === 'string'
  );
}

function errorMessage(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return sanitize(text) as string;
}

/** One attempt of a claimed job: the handler under a timeout, never throwing. */
async function attempt(
  db: Kysely<DB>,
  job: ClaimedJob,
  handlers: JobHandlers,
  timeoutMs: number,
): Promise<JobOutcome> {
  const handler = handlers[job.type];
  if (!handler) {
    return {
      ok: false,
      retryable: true,
      errorCode: 'NO_HANDLER',
      message: `no handler for ${job.type}`,
    };
  }
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<JobOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`job timed out after ${timeoutMs} ms`));
      resolve({
        ok: false,
        retryable: true,
        errorCode: 'TIMEOUT',
        message: `no result within ${timeoutMs} ms`,
      });
    }, timeoutMs);
  });
  try {
    const run = handler({ db, job, workerId: job.lockedBy, signal: controller.signal }).then(
      (outcome): JobOutcome =>
        isOutcome(outcome)
          ? outcome
          : {
              ok: false,
              retryable: true,
              errorCode: 'UNEXPECTED_ERROR',
              message: 'handler returned no valid outcome',
            },
    );
    return await Promise.race([run, timedOut]);
  } catch (err) {
    return {
      ok: false,
      retryable: true,
      errorCode: 'UNEXPECTED_ERROR',
      message: errorMessage(err),
    };
  } finally {
    clearTimeout(timer);
  }
}

async function runClaimed(
  db: Kysely<DB>,
  job: ClaimedJob,
  handlers: JobHandlers,
  timeoutMs: number,
): Promise<JobRun> {
  const started = performance.now();
  const outcome = await attempt(db, job, handlers, timeoutMs);
  const durationMs = performance.now() - started;
  const finished = await finishJob(db, job, outcome, durationMs);
  const fields = {
    jobId: job.id,
    jobType: job.type,
    resourceId: job.resourceId,
    attempt: job.attemptCount,
    workerId: job.lockedBy,
    durationMs: Math.round(durationMs),
    status: finished?.status ?? null,
  };
  if (!finished) {
    logger.warn(fields, 'job attempt finished after its lease was recovered; result discarded');
  } else if (outcome.ok) {
    logger.info(fields, 'job completed');
  } else {
    const level = finished.status === 'FAILED' ? 'error' : 'warn';
    logger[level](
      { ...fields, errorCode: outcome.errorCode, error: outcome.message },
      'job failed',
    );
  }
  return { job, outcome, finished };
}

/**
 * Claims and runs due jobs one after another until none is due (or `limit` ran); for tests and
 * one-off maintenance.
 */
export async function runDueJobsOnce(
  db: Kysely<DB>,
  {
    workerId,
    types,
    handlers = jobHandlers,
    jobTimeoutMs = DEFAULT_JOB_TIMEOUT_MS,
    limit = 1000,
  }: RunOptions & { workerId: string; types?: readonly JobType[]; limit?: number },
): Promise<JobRun[]> {
  const claimable = handledTypes(handlers, types);
  const runs: JobRun[] = [];
  while (runs.length < limit) {
    const job = await claimJob(db, workerId, claimable);
    if (!job) break;
    runs.push(await runClaimed(db, job, handlers, jobTimeoutMs));
  }
  return runs;
}

/**
 * Runs a periodic task if no other runner holds its advisory lock; 'skipped' otherwise. The
 * session-level lock lives on one dedicated connection for the length of the run (the task
 * itself uses the pool) and dies with that connection if the process does.
 */
export async function runPeriodicTask(
  db: Kysely<DB>,
  task: PeriodicTask,
  signal: AbortSignal = new AbortController().signal,
): Promise<'ran' | 'skipped'> {
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ locked: boolean }>`
      select pg_try_advisory_lock(${PERIODIC_LOCK_SPACE}::integer, hashtext(${task.name})) as locked
    `.execute(conn);
    if (!rows[0]?.locked) return 'skipped';
    try {
      await task.run(db, { signal });
      return 'ran';
    } finally {
      await sql`select pg_advisory_unlock(${PERIODIC_LOCK_SPACE}::integer, hashtext(${task.name}))`
        .execute(conn)
        .catch((err: unknown) =>
          logger.warn({ err, task: task.name }, 'periodic task lock release failed'),
        );
    }
  });
}

/**
 * Starts `concurrency` job loops and the periodic tasks. Idle loops poll with a backoff from 250
 * ms to 2 s; a database error is logged and retried after the longest pause, so a database
 * restart never stops the runner.
 */
export function startWorkers(options: StartWorkersOptions): Workers {
  const {
    db,
    workerId,
    handlers = jobHandlers,
    jobTimeoutMs = DEFAULT_JOB_TIMEOUT_MS,
    periodicTasks = defaultPeriodicTasks,
    idleMs: [idleMin, idleMax] = [IDLE_MIN_MS, IDLE_MAX_MS],
  } = options;
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const types = handledTypes(handlers);
  const stopping = new AbortController();
  const pause = (ms: number) =>
    delay(ms, undefined, { signal: stopping.signal }).catch(() => undefined);

  async function loop(loopId: string): Promise<void> {
    let idle = idleMin;
    while (!stopping.signal.aborted) {
      let job: ClaimedJob | null;
      try {
        job = await claimJob(db, loopId, types);
      } catch (err) {
        logger.error({ err, workerId: loopId }, 'job claim failed');
        await pause(idleMax);
        continue;
      }
      if (!job) {
        await pause(idle);
        idle = Math.min(idle * 2, idleMax);
        continue;
      }
      idle = idleMin;
      try {
        await runClaimed(db, job, handlers, jobTimeoutMs);
      } catch (err) {
        // the attempt could not be recorded; the lease sweeper will (IK-6)
        logger.error({ err, jobId: job.id, workerId: loopId }, 'job result could not be saved');
        await pause(idleMax);
      }
    }
  }

  const periodicRuns = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  function schedule(task: PeriodicTask, inMs: number): void {
    if (stopping.signal.aborted) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = runPeriodicTask(db, task, stopping.signal)
        .then((result) => logger.debug({ task: task.name, result }, 'periodic task'))
        .catch((err: unknown) => logger.error({ err, task: task.name }, 'periodic task failed'))
        .finally(() => {
          periodicRuns.delete(run);
          schedule(task, task.everyMs);
        });
      periodicRuns.add(run);
    }, inMs);
    timers.add(timer);
  }

  const id = workerId.slice(0, 90);
  const loops = Array.from({ length: concurrency }, (_, i) => loop(`${id}/${i + 1}`));
  // spread the first runs so runners started together do not all contend for the same locks
  for (const task of periodicTasks) schedule(task, Math.random() * Math.min(task.everyMs, 5_000));
  logger.info({ workerId: id, concurrency, jobTypes: types }, 'workers started');

  let stopped: Promise<void> | null = null;
  return {
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        await Promise.all(loops);
        while (periodicRuns.size > 0) await Promise.all([...periodicRuns]);
        logger.info({ workerId: id }, 'workers stopped');
      })();
      return stopped;
    },
  };
}
