import type { Kysely } from 'kysely';
import type { Db } from '~db/database.server';
import type { DB } from '~db/types.generated';
import { writeStaffAudit, type StaffActor } from '~/features/audit/audit.server';
import {
  DEFAULT_PRIORITY,
  enqueueJob,
  retryFailedJob,
  type RetryJobResult,
} from '~/features/jobs/job-queue.server';
import { acceptIikoValues, MenuNotFoundError } from '~/features/menu/menu.service.server';
import { getEnv } from '~/utils/env.server';
import type { IikoJobType } from '~/utils/vocabularies';
import { findActiveJob, listStopListStores } from './iiko-admin.server';

/**
 * The iiko sync pages' writes (ADMIN, RB-1): manual retry (IK-7), "run now", "import menu now",
 * "stop lists now" and "accept iiko values" (IK-9). Every enqueue by an admin writes an
 * `iiko_job.enqueue` audit row in the same transaction (RB-4).
 */

/**
 * An import an admin asked for runs before the periodic STOP_LIST (50) and MENU_IMPORT (0) jobs,
 * but after ORDER_PUSH (100): a pushed order has a payment hold waiting on it.
 */
export const MANUAL_IMPORT_PRIORITY = 75;

/** IK-2: the MENU_IMPORT resource, `org:<IIKO_ORGANIZATION_ID>` (`org:default` when unset). */
export function menuImportResource(): string {
  return `org:${getEnv().IIKO_ORGANIZATION_ID ?? 'default'}`;
}

export type EnqueueOutcome =
  | { status: 'ENQUEUED'; jobId: number }
  /** A PENDING or RUNNING job of the same type and resource exists; this is it. */
  | { status: 'ALREADY_QUEUED'; jobId: number };

async function enqueueByAdmin(
  trx: Db,
  actor: StaffActor,
  input: {
    type: IikoJobType;
    resourceId: string;
    payload?: Record<string, unknown>;
    priority?: number;
    reason: string;
  },
): Promise<EnqueueOutcome | null> {
  // A job already waiting or running for the resource does the same work: show it instead of
  // queueing another behind it.
  const active = await findActiveJob(trx, input.type, input.resourceId);
  if (active) return { status: 'ALREADY_QUEUED', jobId: active.id };
  const priority = input.priority ?? DEFAULT_PRIORITY[input.type];
  // ON CONFLICT DO NOTHING (idx_iiko_sync_job_pending_unique): a concurrent enqueue that won the
  // PENDING slot makes this a no-op, and the winner is then the job to show.
  const jobId = await enqueueJob(trx, {
    type: input.type,
    resourceId: input.resourceId,
    payload: input.payload,
    priority,
    createdByUserId: actor.userId,
  });
  if (jobId === null) {
    const winner = await findActiveJob(trx, input.type, input.resourceId);
    return winner ? { status: 'ALREADY_QUEUED', jobId: winner.id } : null;
  }
  await writeStaffAudit(trx, actor, {
    action: 'iiko_job.enqueue',
    entityType: 'iiko_sync_job',
    entityId: jobId,
    after: { job_type: input.type, resource_id: input.resourceId, priority },
    reason: input.reason,
  });
  return { status: 'ENQUEUED', jobId };
}

/** IK-7: FAILED → PENDING with an audit row; ORDER_PUSH and non-FAILED jobs are refused. */
export function retryJob(db: Db, actor: StaffActor, jobId: number): Promise<RetryJobResult> {
  return retryFailedJob(db, actor, jobId);
}

export type RunNowOutcome =
  | EnqueueOutcome
  | { status: 'NOT_FOUND' }
  /** An order is pushed once (idx_iiko_sync_job_order_push_unique); never by hand. */
  | { status: 'ORDER_PUSH' }
  /** The duplicate vanished before it could be read (it finished meanwhile): try again. */
  | { status: 'RACE' };

/** IK-7 "run now": a new job of the same type, resource and payload as an existing one. */
export function runJobNow(
  db: Kysely<DB>,
  actor: StaffActor,
  jobId: number,
): Promise<RunNowOutcome> {
  return db.transaction().execute(async (trx) => {
    const job = await trx
      .selectFrom('iiko_sync_job')
      .select(['job_type', 'resource_id', 'payload'])
      .where('id', '=', jobId)
      .executeTakeFirst();
    if (!job) return { status: 'NOT_FOUND' };
    if (job.job_type === 'ORDER_PUSH') return { status: 'ORDER_PUSH' };
    const payload =
      job.payload && typeof job.payload === 'object' && !Array.isArray(job.payload)
        ? (job.payload as Record<string, unknown>)
        : {};
    const outcome = await enqueueByAdmin(trx, actor, {
      type: job.job_type as IikoJobType,
      resourceId: job.resource_id,
      payload,
      reason: `run_now:${jobId}`,
    });
    return outcome ?? { status: 'RACE' };
  });
}

/** "Import menu now": MENU_IMPORT for the organisation at MANUAL_IMPORT_PRIORITY. */
export async function importMenuNow(
  db: Kysely<DB>,
  actor: StaffActor,
  resourceId: string = menuImportResource(),
): Promise<EnqueueOutcome | { status: 'RACE' }> {
  const outcome = await db.transaction().execute((trx) =>
    enqueueByAdmin(trx, actor, {
      type: 'MENU_IMPORT',
      resourceId,
      priority: MANUAL_IMPORT_PRIORITY,
      reason: 'import_now',
    }),
  );
  return outcome ?? { status: 'RACE' };
}

export interface StopListsOutcome {
  /** Active stores with a terminal group. */
  stores: number;
  enqueued: number[];
  alreadyQueued: number[];
}

/** "Stop lists now": STOP_LIST for every active store with a terminal group (IK-2, IK-11). */
export function stopListsNow(db: Kysely<DB>, actor: StaffActor): Promise<StopListsOutcome> {
  return db.transaction().execute(async (trx) => {
    const stores = await listStopListStores(trx);
    const result: StopListsOutcome = { stores: stores.length, enqueued: [], alreadyQueued: [] };
    for (const store of stores) {
      const outcome = await enqueueByAdmin(trx, actor, {
        type: 'STOP_LIST',
        resourceId: `store:${store.id}`,
        reason: 'stop_lists_now',
      });
      if (outcome?.status === 'ENQUEUED') result.enqueued.push(outcome.jobId);
      else if (outcome) result.alreadyQueued.push(outcome.jobId);
    }
    return result;
  });
}

/**
 * IK-9 "accept iiko values": the menu's own service clears is_manual_override and takes iiko's
 * price and name in one transaction with its audit row.
 */
export async function acceptIikoValuesOf(
  db: Kysely<DB>,
  actor: StaffActor,
  productId: number,
): Promise<'OK' | 'NOT_FOUND'> {
  try {
    await acceptIikoValues(db, actor, productId);
    return 'OK';
  } catch (err) {
    if (err instanceof MenuNotFoundError) return 'NOT_FOUND';
    throw err;
  }
}
