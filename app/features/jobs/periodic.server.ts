import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { alertsEvaluateTask } from '~/features/alerts/alerts-task.server';
import {
  refreshAllRollups,
  ROLLUP_MAX_STALENESS_MS,
} from '~/features/dashboards/rollup.service.server';
import {
  expireOverdueCouponsEverywhere,
  inCouponExpiryWindow,
} from '~/features/coupons/expiry.service.server';
import { enqueueScheduledIikoJobs } from '~/features/iiko/iiko-schedule.server';
import { purgeExpiredIdempotencyRecords } from '~/features/idempotency/idempotency.server';
import { dispatchNotifications } from '~/features/notifications/dispatcher.service.server';
import { pruneRateLimitWindows } from '~/features/ratelimit/rate-limit.server';
import {
  reconcilePayments,
  sweepPaymentDeadlines,
} from '~/features/payments/payments.service.server';
import { matchUnmatchedScans } from '~/features/scans/matching.service.server';
import { getTelegramClient } from '~/integrations/telegram/telegram-client.server';
import { getOptionalYooKassaClient } from '~/integrations/yookassa/yookassa-client.server';
import { recoverExpiredLeases } from './job-queue.server';

/**
 * Periodic tasks run by every worker runner (worker.server.ts). Each run holds a PostgreSQL
 * advisory lock named after the task, so with several processes at most one runs a task at a
 * time; a process that finds the lock taken skips that turn. Tasks must therefore be safe to run
 * again at any moment (they work from the database state, never from memory).
 */
export interface PeriodicTaskContext {
  /** Aborted when the runner stops; long tasks end early at a safe point. */
  signal: AbortSignal;
}

export interface PeriodicTask {
  /** Unique; also the advisory lock's name. */
  name: string;
  everyMs: number;
  run: (db: Db, ctx: PeriodicTaskContext) => Promise<unknown>;
}

const PURGE_BATCH = 1000;

/**
 * Deletes in batches of 1000 so a large backlog never holds many row locks or one long
 * statement; returns how many rows went.
 */
async function deleteInBatches(
  signal: AbortSignal | undefined,
  batch: () => Promise<number>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await batch();
    total += deleted;
    if (deleted < PURGE_BATCH || signal?.aborted) return total;
  }
}

/** C-10: sessions are removed 7 days after they expired or were revoked. */
export function purgeOldSessions(db: Db, signal?: AbortSignal): Promise<number> {
  return deleteInBatches(signal, async () => {
    const cutoff = sql<Date>`now() - interval '7 days'`;
    const result = await db
      .deleteFrom('session')
      .where(
        'id',
        'in',
        db
          .selectFrom('session')
          .select('id')
          .where((eb) => eb.or([eb('expires_at', '<', cutoff), eb('revoked_at', '<', cutoff)]))
          .limit(PURGE_BATCH),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

/** C-10: verification codes are removed 30 days after they were issued. */
export function purgeOldVerificationCodes(db: Db, signal?: AbortSignal): Promise<number> {
  return deleteInBatches(signal, async () => {
    const result = await db
      .deleteFrom('verification_code')
      .where(
        'id',
        'in',
        db
          .selectFrom('verification_code')
          .select('id')
          .where('created_at', '<', sql<Date>`now() - interval '30 days'`)
          .limit(PURGE_BATCH),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

export const periodicTasks: PeriodicTask[] = [
  // PY-10: open payment attempts converge on the provider's state (a no-op without YooKassa)
  {
    name: 'payments.reconcile',
    everyMs: 60_000,
    run: async (db, { signal }) => {
      const client = getOptionalYooKassaClient();
      return client ? reconcilePayments(db, client, { signal }) : null;
    },
  },
  // OR-4: unpaid orders are cancelled after orders.payment_timeout_minutes
  {
    name: 'orders.payment_deadline',
    everyMs: 60_000,
    run: (db) => sweepPaymentDeadlines(db, getOptionalYooKassaClient()),
  },
  // NT-1, NT-5: the Telegram outbox (a no-op until TELEGRAM_API_BASE_URL and the token are set)
  {
    name: 'notifications.dispatch',
    everyMs: 2_000,
    run: async (db, { signal }) => {
      const client = getTelegramClient();
      return client ? dispatchNotifications(db, client, { signal }) : null;
    },
  },
  // CP-13: nightly at 03:00 Europe/Moscow (checked every minute; reads of "my coupons" expire too)
  {
    name: 'coupons.expire_daily',
    everyMs: 60_000,
    run: async (db, { signal }) =>
      inCouponExpiryWindow(new Date()) ? expireOverdueCouponsEverywhere(db, { signal }) : null,
  },
  // OS-6: unmatched scans of the last 24 h are matched once their order is confirmed
  { name: 'scans.auto_match', everyMs: 60_000, run: (db) => matchUnmatchedScans(db) },
  // DA-3: payment_failure_rate and iiko_sync_failures
  alertsEvaluateTask,
  // ADR 0016 (amended): the dashboards' rollups stay fresh on the primary, so dashboards reading a
  // read-only replica (DATABASE_REPLICA_URL) lag by at most this plus the replication lag
  {
    name: 'dashboards.refresh_rollups',
    everyMs: ROLLUP_MAX_STALENESS_MS,
    run: (db) => refreshAllRollups(db, { maxStalenessMs: 0 }),
  },
  // IK-2: MENU_IMPORT and per-store STOP_LIST jobs at their configured intervals (no-op without iiko)
  { name: 'iiko.schedule', everyMs: 30_000, run: (db) => enqueueScheduledIikoJobs(db) },
  // IK-6: well inside the 5-minute lease, so a lost job waits at most ~5.5 min to be retried.
  { name: 'jobs.recover_expired_leases', everyMs: 30_000, run: (db) => recoverExpiredLeases(db) },
  {
    name: 'retention.idempotency_records',
    everyMs: 60 * 60_000,
    run: (db) => purgeExpiredIdempotencyRecords(db),
  },
  // ended rate-limit windows count nothing any more (the longest window is an hour)
  {
    name: 'retention.rate_limit_windows',
    everyMs: 5 * 60_000,
    run: (db) => pruneRateLimitWindows(db),
  },
  {
    name: 'retention.sessions',
    everyMs: 60 * 60_000,
    run: (db, { signal }) => purgeOldSessions(db, signal),
  },
  {
    name: 'retention.verification_codes',
    everyMs: 60 * 60_000,
    run: (db, { signal }) => purgeOldVerificationCodes(db, signal),
  },
];
