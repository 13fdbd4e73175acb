// Kysely's migration signature: a migration must not depend on the generated DB types.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely } from 'kysely';

/**
 * Indexes of the operations dashboards (ADR 0016). Each one lets a dashboard query read only the
 * rows of its time range, from the index alone (index-only scans: every column the query touches
 * is a key or INCLUDE column).
 */
export async function up(db: Kysely<any>): Promise<void> {
  // DA-1 buckets: PAYMENT attempts by created_at with everything the classification reads
  await sql`
    CREATE INDEX idx_payment_transaction_dashboard ON payment_transaction (created_at)
      INCLUDE (store_id, provider, status, authorized_at, failure_code)
      WHERE kind = 'PAYMENT'
  `.execute(db);
  // DA-1 failure reasons: only the failed attempts (a few per cent of the rows); the predicate is
  // the DA-1 "failed attempt" fragment of payment-outcome.server.ts, written the same way
  await sql`
    CREATE INDEX idx_payment_transaction_failed ON payment_transaction (created_at)
      INCLUDE (store_id, provider, failure_code)
      WHERE kind = 'PAYMENT'
        AND (status = 'FAILED'
             OR (status = 'CANCELED' AND authorized_at IS NULL
                 AND failure_code IS DISTINCT FROM 'expired_on_confirmation'))
  `.execute(db);
  // DA-2 success rate and p95 over the last 24 h, terminal liveness
  await sql`
    CREATE INDEX idx_iiko_sync_log_finished_dashboard ON iiko_sync_log (finished_at)
      INCLUDE (job_id, success, duration_ms)
  `.execute(db);
  // DA-2 queue depth and oldest pending job per type
  await sql`
    CREATE INDEX idx_iiko_sync_job_pending_type ON iiko_sync_job (job_type, created_at)
      WHERE status = 'PENDING'
  `.execute(db);
  // DA-2 FAILED jobs awaiting retry, newest first
  await sql`
    CREATE INDEX idx_iiko_sync_job_failed_updated ON iiko_sync_job (updated_at DESC, id DESC)
      WHERE status = 'FAILED'
  `.execute(db);
  // overview totals by created_at, optionally of one store
  await sql`
    CREATE INDEX idx_order_created_dashboard ON "order" (created_at)
      INCLUDE (store_id, status, final_amount, discount_amount, coupon_discount, coupon_instance_id)
  `.execute(db);
  // overview top products: the lines of the range's orders without visiting the heap
  await sql`
    CREATE INDEX idx_order_item_order_dashboard ON order_item (order_id)
      INCLUDE (product_id, quantity, line_total, discount_amount)
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX idx_order_item_order_dashboard`.execute(db);
  await sql`DROP INDEX idx_order_created_dashboard`.execute(db);
  await sql`DROP INDEX idx_iiko_sync_job_failed_updated`.execute(db);
  await sql`DROP INDEX idx_iiko_sync_job_pending_type`.execute(db);
  await sql`DROP INDEX idx_iiko_sync_log_finished_dashboard`.execute(db);
  await sql`DROP INDEX idx_payment_transaction_failed`.execute(db);
  await sql`DROP INDEX idx_payment_transaction_dashboard`.execute(db);
}
