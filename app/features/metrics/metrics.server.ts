import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { outcomeCountsSql } from '~/features/dashboards/payment-outcome.server';

/**
 * Database-derived series of /metrics, read at scrape time (ADR 0017). Payment and iiko totals
 * count rows, so every process that is scraped reports the same true totals, whichever process
 * (web or worker) finished the attempt, and they survive restarts.
 */

export interface ProviderAttemptCounts {
  provider: string;
  /** DA-1 failed + succeeded attempts (abandoned ones are outside the rate and not counted). */
  attempts: number;
  failed: number;
}

/** All PAYMENT attempts with an outcome, by provider, classified as DA-1 does. */
export async function paymentAttemptTotals(db: Db): Promise<ProviderAttemptCounts[]> {
  const c = outcomeCountsSql();
  const { rows } = await sql<{ provider: string; failed: number; succeeded: number }>`
    select provider, ${c.failed} as failed, ${c.succeeded} as succeeded
    from payment_transaction
    where kind = 'PAYMENT'
    group by provider
  `.execute(db);
  return rows.map((r) => ({
    provider: r.provider,
    attempts: r.failed + r.succeeded,
    failed: r.failed,
  }));
}

export interface JobTypeCounts {
  type: string;
  attempts: number;
  failed: number;
}

/** Every iiko attempt (one iiko_sync_log row each, IK-4), by job type. */
export async function iikoAttemptTotals(db: Db): Promise<JobTypeCounts[]> {
  const rows = await db
    .selectFrom('iiko_sync_log as l')
    .innerJoin('iiko_sync_job as j', 'j.id', 'l.job_id')
    .select((eb) => [
      'j.job_type as type',
      eb.fn.countAll<string>().as('attempts'),
      sql<string>`count(*) filter (where not l.success)`.as('failed'),
    ])
    .groupBy('j.job_type')
    .execute();
  return rows.map((r) => ({
    type: r.type,
    attempts: Number(r.attempts),
    failed: Number(r.failed),
  }));
}

/** PENDING iiko jobs by type (DA-2 queue depth). */
export async function pendingJobsByType(db: Db): Promise<{ type: string; pending: number }[]> {
  const rows = await db
    .selectFrom('iiko_sync_job')
    .select((eb) => ['job_type as type', eb.fn.countAll<string>().as('pending')])
    .where('status', '=', 'PENDING')
    .groupBy('job_type')
    .execute();
  return rows.map((r) => ({ type: r.type, pending: Number(r.pending) }));
}
