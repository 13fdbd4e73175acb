// Kysely's migration signature: a migration must not depend on the generated DB types.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { sql, type Kysely } from 'kysely';

/**
 * Hourly rollups of the operations dashboards (ADR 0016), in schema `dashboards` — derived data,
 * never a source of truth, outside the 38 tables of schema public. Each table is rebuilt hour by
 * hour from the source rows by app/features/dashboards/rollup.service.server.ts; an hour is
 * rebuilt when a source row of it was written since the last refresh (updated_at / created_at).
 * Hours are UTC hours, which are also Moscow hours (UTC+3, whole hours).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE SCHEMA dashboards`.execute(db);
  await sql`
    CREATE TABLE dashboards.refresh_state (
      source varchar(40) PRIMARY KEY,
      refreshed_through timestamptz NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  // DA-1 counts of PAYMENT attempts by the hour of created_at
  await sql`
    CREATE TABLE dashboards.payment_hour (
      hour timestamptz NOT NULL,
      store_id integer NOT NULL,
      provider varchar(20) NOT NULL,
      failed integer NOT NULL,
      succeeded integer NOT NULL,
      abandoned integer NOT NULL,
      PRIMARY KEY (hour, store_id, provider)
    )
  `.execute(db);
  // DA-1 failed attempts by failure_code ('' = no code recorded)
  await sql`
    CREATE TABLE dashboards.payment_failure_hour (
      hour timestamptz NOT NULL,
      store_id integer NOT NULL,
      provider varchar(20) NOT NULL,
      failure_code varchar(64) NOT NULL,
      attempts integer NOT NULL,
      PRIMARY KEY (hour, store_id, provider, failure_code)
    )
  `.execute(db);
  // overview totals by the hour of order.created_at
  await sql`
    CREATE TABLE dashboards.order_hour (
      hour timestamptz NOT NULL,
      store_id integer NOT NULL,
      placed integer NOT NULL,
      paid integer NOT NULL,
      revenue_kopecks bigint NOT NULL,
      coupon_orders integer NOT NULL,
      coupon_discount_kopecks bigint NOT NULL,
      discount_kopecks bigint NOT NULL,
      PRIMARY KEY (hour, store_id)
    )
  `.execute(db);
  // overview top products: lines of paid orders by the hour of order.created_at, per store and
  // chain-wide (the chain-wide view then sums a store count fewer rows)
  await sql`
    CREATE TABLE dashboards.product_hour (
      hour timestamptz NOT NULL,
      store_id integer NOT NULL,
      product_id integer NOT NULL,
      quantity integer NOT NULL,
      revenue_kopecks bigint NOT NULL,
      PRIMARY KEY (hour, store_id, product_id)
    )
  `.execute(db);
  await sql`
    CREATE TABLE dashboards.product_hour_all (
      hour timestamptz NOT NULL,
      product_id integer NOT NULL,
      quantity integer NOT NULL,
      revenue_kopecks bigint NOT NULL,
      PRIMARY KEY (hour, product_id)
    )
  `.execute(db);
  // DA-2 attempts by the hour of finished_at and job type; durations keep p95 exact
  await sql`
    CREATE TABLE dashboards.iiko_attempt_hour (
      hour timestamptz NOT NULL,
      job_type varchar(20) NOT NULL,
      attempts integer NOT NULL,
      successes integer NOT NULL,
      durations integer[] NOT NULL,
      PRIMARY KEY (hour, job_type)
    )
  `.execute(db);
  // change detection: the rows written since the last refresh, and the hour they belong to
  await sql`
    CREATE INDEX idx_payment_transaction_updated ON payment_transaction (updated_at)
      INCLUDE (created_at) WHERE kind = 'PAYMENT'
  `.execute(db);
  await sql`CREATE INDEX idx_order_updated ON "order" (updated_at) INCLUDE (created_at)`.execute(
    db,
  );
  await sql`
    CREATE INDEX idx_iiko_sync_log_created ON iiko_sync_log (created_at) INCLUDE (finished_at)
  `.execute(db);
  // DA-2 FAILED jobs awaiting retry: exactly the rows the dashboard counts and lists (IK-7: never
  // ORDER_PUSH), so the count is an index-only scan; replaces the wider index of 2026112601
  await sql`
    CREATE INDEX idx_iiko_sync_job_failed_retryable ON iiko_sync_job (updated_at DESC, id DESC)
      INCLUDE (job_type, resource_id, attempt_count)
      WHERE status = 'FAILED' AND job_type <> 'ORDER_PUSH'
  `.execute(db);
  await sql`DROP INDEX idx_iiko_sync_job_failed_updated`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX idx_iiko_sync_job_failed_updated ON iiko_sync_job (updated_at DESC, id DESC)
      WHERE status = 'FAILED'
  `.execute(db);
  await sql`DROP INDEX idx_iiko_sync_job_failed_retryable`.execute(db);
  await sql`DROP INDEX idx_iiko_sync_log_created`.execute(db);
  await sql`DROP INDEX idx_order_updated`.execute(db);
  await sql`DROP INDEX idx_payment_transaction_updated`.execute(db);
  await sql`DROP SCHEMA dashboards CASCADE`.execute(db);
}
