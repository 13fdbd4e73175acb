import { sql, type RawBuilder } from 'kysely';
import type { Db } from '~db/database.server';
import {
  abandonedAttemptSql,
  failedAttemptSql,
  succeededAttemptSql,
} from './payment-outcome.server';
import { REVENUE_ORDER_STATUSES } from './revenue-statuses';

/**
 * Brings the hourly rollups of schema `dashboards` up to date (ADR 0016). For each source, the
 * hours (UTC = Moscow hours) holding a row written since the last refresh are rebuilt from the
 * source rows; the others are kept. "Written since" is `updated_at` (set by the data layer on
 * every UPDATE, C-2) or, for the append-only iiko_sync_log, `created_at`, with an overlap of
 * OVERLAP_MINUTES: a row stamped by a transaction that committed after the previous refresh read
 * its snapshot is still caught, as long as that transaction was shorter than the overlap.
 *
 * Called by the dashboard data functions before they read. Refreshes never queue behind one
 * another: a caller that finds a refresh of the same source running reads the rollup as it is.
 */

export const ROLLUP_SOURCES = ['payments', 'orders', 'iiko'] as const;
export type RollupSource = (typeof ROLLUP_SOURCES)[number];

const OVERLAP_MINUTES = 10;
const LOCK_CLASS = 727_274_016;

interface SourceSpec {
  /** Hours (UTC) of the source rows written at or after $since. */
  dirtyHours: (since: Date | null) => RawBuilder<{ hour: Date }>;
  /** Rebuilds the rollup rows of the given hours. */
  rebuild: (db: Db, hours: Date[]) => Promise<void>;
}

const revenueStatuses = sql.join(REVENUE_ORDER_STATUSES.map((s) => sql.lit(s)));

/** `unnest($hours) h(hour)` joined to rows of `table.column` within each hour. */
function hoursJoin(hours: Date[]) {
  return sql`unnest(${hours}::timestamptz[]) as h(hour)`;
}

const SOURCES: Record<RollupSource, SourceSpec> = {
  payments: {
    dirtyHours: (since) => sql<{ hour: Date }>`
      select distinct date_trunc('hour', created_at, 'UTC') as hour
      from payment_transaction
      where kind = 'PAYMENT' ${since ? sql`and updated_at >= ${since}` : sql``}
    `,
    async rebuild(db, hours) {
      await sql`delete from dashboards.payment_hour where hour = any(${hours}::timestamptz[])`.execute(
        db,
      );
      await sql`delete from dashboards.payment_failure_hour where hour = any(${hours}::timestamptz[])`.execute(
        db,
      );
      await sql`
        insert into dashboards.payment_hour (hour, store_id, provider, failed, succeeded, abandoned)
        select h.hour, p.store_id, p.provider,
               (count(*) filter (where ${failedAttemptSql('p')}))::int,
               (count(*) filter (where ${succeededAttemptSql('p')}))::int,
               (count(*) filter (where ${abandonedAttemptSql('p')}))::int
        from ${hoursJoin(hours)}
        join payment_transaction p
          on p.kind = 'PAYMENT' and p.created_at >= h.hour and p.created_at < h.hour + interval '1 hour'
        group by h.hour, p.store_id, p.provider
      `.execute(db);
      await sql`
        insert into dashboards.payment_failure_hour (hour, store_id, provider, failure_code, attempts)
        select h.hour, p.store_id, p.provider, coalesce(p.failure_code, ''), count(*)::int
        from ${hoursJoin(hours)}
        join payment_transaction p
          on p.kind = 'PAYMENT' and p.created_at >= h.hour and p.created_at < h.hour + interval '1 hour'
        where ${failedAttemptSql('p')}
        group by h.hour, p.store_id, p.provider, coalesce(p.failure_code, '')
      `.execute(db);
    },
  },
  orders: {
    dirtyHours: (since) => sql<{ hour: Date }>`
      select distinct date_trunc('hour', created_at, 'UTC') as hour
      from "order"
      ${since ? sql`where updated_at >= ${since}` : sql``}
    `,
    async rebuild(db, hours) {
      await sql`delete from dashboards.order_hour where hour = any(${hours}::timestamptz[])`.execute(
        db,
      );
      await sql`delete from dashboards.product_hour where hour = any(${hours}::timestamptz[])`.execute(
        db,
      );
      await sql`delete from dashboards.product_hour_all where hour = any(${hours}::timestamptz[])`.execute(
        db,
      );
      await sql`
        insert into dashboards.order_hour (hour, store_id, placed, paid, revenue_kopecks,
                                           coupon_orders, coupon_discount_kopecks, discount_kopecks)
        select h.hour, o.store_id, count(*)::int,
               (count(*) filter (where o.status in (${revenueStatuses})))::int,
               (coalesce(sum(o.final_amount) filter (where o.status in (${revenueStatuses})), 0) * 100)::int8,
               (count(*) filter (where o.status in (${revenueStatuses})
                                   and o.coupon_instance_id is not null))::int,
               (coalesce(sum(o.coupon_discount) filter (where o.status in (${revenueStatuses})), 0) * 100)::int8,
               (coalesce(sum(o.discount_amount) filter (where o.status in (${revenueStatuses})), 0) * 100)::int8
        from ${hoursJoin(hours)}
        join "order" o on o.created_at >= h.hour and o.created_at < h.hour + interval '1 hour'
        group by h.hour, o.store_id
      `.execute(db);
      await sql`
        insert into dashboards.product_hour (hour, store_id, product_id, quantity, revenue_kopecks)
        select h.hour, o.store_id, oi.product_id, sum(oi.quantity)::int,
               (sum(oi.line_total - oi.discount_amount) * 100)::int8
        from ${hoursJoin(hours)}
        join "order" o on o.created_at >= h.hour and o.created_at < h.hour + interval '1 hour'
        join order_item oi on oi.order_id = o.id
        where o.status in (${revenueStatuses})
        group by h.hour, o.store_id, oi.product_id
      `.execute(db);
      await sql`
        insert into dashboards.product_hour_all (hour, product_id, quantity, revenue_kopecks)
        select hour, product_id, sum(quantity)::int, sum(revenue_kopecks)::int8
        from dashboards.product_hour
        where hour = any(${hours}::timestamptz[])
        group by hour, product_id
      `.execute(db);
    },
  },
  iiko: {
    dirtyHours: (since) => sql<{ hour: Date }>`
      select distinct date_trunc('hour', finished_at, 'UTC') as hour
      from iiko_sync_log
      ${since ? sql`where created_at >= ${since}` : sql``}
    `,
    async rebuild(db, hours) {
      await sql`delete from dashboards.iiko_attempt_hour where hour = any(${hours}::timestamptz[])`.execute(
        db,
      );
      await sql`
        insert into dashboards.iiko_attempt_hour (hour, job_type, attempts, successes, durations)
        select h.hour, j.job_type, count(*)::int, (count(*) filter (where l.success))::int,
               array_agg(l.duration_ms order by l.duration_ms)
        from ${hoursJoin(hours)}
        join iiko_sync_log l on l.finished_at >= h.hour and l.finished_at < h.hour + interval '1 hour'
        join iiko_sync_job j on j.id = l.job_id
        group by h.hour, j.job_type
      `.execute(db);
    },
  },
};

async function refreshIn(trx: Db, source: RollupSource): Promise<void> {
  const { rows: locked } = await sql<{ ok: boolean }>`
    select pg_try_advisory_xact_lock(${LOCK_CLASS}, ${ROLLUP_SOURCES.indexOf(source)}) as ok
  `.execute(trx);
  if (!locked[0]?.ok) return;
  const { rows: state } = await sql<{ refreshed_through: Date; now: Date }>`
    select s.refreshed_through, now() as now
    from (select 1) one
    left join dashboards.refresh_state s on s.source = ${source}
  `.execute(trx);
  const startedAt = state[0]!.now;
  const last = state[0]?.refreshed_through ?? null;
  const since = last ? new Date(last.getTime() - OVERLAP_MINUTES * 60_000) : null;
  const spec = SOURCES[source];
  const { rows } = await spec.dirtyHours(since).execute(trx);
  if (rows.length > 0)
    await spec.rebuild(
      trx,
      rows.map((r) => r.hour),
    );
  await sql`
    insert into dashboards.refresh_state (source, refreshed_through, updated_at)
    values (${source}, ${startedAt}, now())
    on conflict (source) do update set refreshed_through = excluded.refreshed_through,
                                      updated_at = now()
  `.execute(trx);
}

/** Refreshes the rollups of `source` in a transaction of its own (or the caller's). */
export async function refreshRollup(db: Db, source: RollupSource): Promise<void> {
  if (db.isTransaction) {
    await refreshIn(db, source);
    return;
  }
  await db.transaction().execute((trx) => refreshIn(trx, source));
}
