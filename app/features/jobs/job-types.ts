import type { AppLoadContext } from '@remix-run/node';
import type { IikoJobStatus, IikoJobType } from '~/utils/vocabularies';

/**
 * Types shared by the job queue (job-queue.server.ts), the worker runner (worker.server.ts) and
 * the job handlers. Jobs live in `iiko_sync_job` (IK-2 … IK-7).
 */

export type JobType = IikoJobType;
export type JobStatus = IikoJobStatus;

/** The process-wide database, the same one the request load context carries. */
type Database = AppLoadContext['db'];

/** A job as a worker claimed it (IK-3): status RUNNING, attempt_count already incremented. */
export interface ClaimedJob {
  id: number;
  type: JobType;
  /** `order:<id>`, `store:<id>`, `org:<uuid>`. */
  resourceId: string;
  payload: Record<string, unknown>;
  priority: number;
  /** The number of this attempt, 1-based; it is also the `iiko_sync_log.attempt_number`. */
  attemptCount: number;
  maxAttempts: number;
  startedAt: Date;
  leaseUntil: Date;
  lockedBy: string;
  createdByUserId: number | null;
}

/**
 * What one attempt of a job produced. Summaries are short descriptions of the HTTP exchange; the
 * queue sanitizes them (tokens, logins, phones) and cuts them to 5000 characters before storing.
 * `retryable` marks network errors, timeouts, HTTP 408/429/5xx and iiko's "still InProgress"
 * (IK-4); everything else fails the job at once.
 */
export type JobOutcome =
  | {
      ok: true;
      result: Record<string, unknown>;
      httpStatus?: number;
      requestSummary?: string;
      responseSummary?: string;
    }
  | {
      ok: false;
      retryable: boolean;
      errorCode: string;
      message: string;
      httpStatus?: number;
      requestSummary?: string;
      responseSummary?: string;
    };

export interface JobContext {
  db: Database;
  job: ClaimedJob;
  /** `locked_by` of the claim: identifies the worker loop in logs and in the job row. */
  workerId: string;
  /**
   * Aborted when the per-job timeout passes. Handlers pass it to every HTTP call and stop
   * promptly: after the timeout the attempt is recorded as failed and the job may run again.
   */
  signal: AbortSignal;
}

/** Runs one attempt. A handler that throws counts as a retryable `UNEXPECTED_ERROR`. */
export type JobHandler = (ctx: JobContext) => Promise<JobOutcome>;

export type JobHandlers = Partial<Record<JobType, JobHandler>>;
