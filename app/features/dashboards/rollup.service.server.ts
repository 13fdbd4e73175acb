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
 * Called by the worker every ROLLUP_MAX_STALENESS_MS (periodic task `dashboards.refresh_rollups`)
 * and, when the dashboards read the primary, by the dashboard data functions before they read. On
 * a read-only replica (DATABASE_REPLICA_URL) the data functions only read (ADR 0016, amended).
 * Refreshes never queue behind one another: a caller that finds a refresh of the same source
 * running reads the rollup as it is.
 */

export const ROLLUP_SOURCES = ['payments', 'orders', 'iiko'] as const;
export type RollupSource = (typeof ROLLUP_SOURCES)[number];

const OVERLAP_MINUTES = 10;
const LOCK_CLASS = 727_274_016;

interface SourceSpec {
  /** Hours (UTC) of the source rows written at or after $since. */
  dirtyHours: (since: Date | null) => RawBuilder<{ hour: Date }>;
  /** Rebuilds the rollup rows of the hours in [from, to). */
  rebuild: (db: Db, run: { from: Date; to: Date }) => Promise<void>;
}

const revenueStatuses = sql.join(REVENUE_ORDER_STATUSES.map((s) => sql.lit(s)));

const HOUR_MS = 3_600_000;

/** `date_trunc('hour', <column>, 'UTC')`: the rollup hour of a source row. */
function hourOf(column: string) {
  return sql`date_trunc('hour', ${sql.ref(column)}, 'UTC')`;
}

/**
 * Consecutive hours grouped into runs [from, to). Each run is rebuilt with range predicates on
 * the source's time column, so the planner sees how many rows the run holds: one hour is an
 * index range scan and nested loops, a rebuild of all history a hash join.
 */
export function hourRuns(hours: readonly Date[]): { from: Date; to: Date }[] {
  const sorted = [...new Set(hours.map((h) => h.getTime()))].sort((a, b) => a - b);
  const runs: { from: Date; to: Date }[] = [];
  for (const t of sorted) {
    const last = runs.at(-1);
    if (last && last.to.getTime() === t) last.to = new Date(t + HOUR_MS);
    else runs.push({ from: new Date(t), to: new Date(t + HOUR_MS) });
  }
  return runs;
}

const SOURCES: Record<RollupSource, SourceSpec> = {
  payments: {
    dirtyHours: (since) => sql<{ hour: Date }>`
      select distinct date_trunc('hour', created_at, 'UTC') as hour
      from payment_transaction
      where kind = 'PAYMENT' ${since ? sql`and updated_at >= ${since}` : sql``}
    `,
    async rebuild(db, { from, to }) {
      await sql`delete from dashboards.payment_hour where hour >= ${from} and hour < ${to}`.execute(
        db,
      );
      await sql`delete from dashboards.payment_failure_hour where hour >= ${from} and hour < ${to}`.execute(
        db,
      );
      await sql`
        insert into dashboards.payment_hour (hour, store_id, provider, failed, succeeded, abandoned)
        select ${hourOf('p.created_at')}, p.store_id, p.provider,
               (count(*) filter (where ${failedAttemptSql('p')}))::int,
               (count(*) filter (where ${succeededAttemptSql('p')}))::int,
               (count(*) filter (where ${abandonedAttemptSql('p')}))::int
        from payment_transaction p
        where p.kind = 'PAYMENT' and p.created_at >= ${from} and p.created_at < ${to}
        group by 1, p.store_id, p.provider
      `.execute(db);
      await sql`
        insert into dashboards.payment_failure_hour (hour, store_id, provider, failure_code, attempts)
        select ${hourOf('p.created_at')}, p.store_id, p.provider, coalesce(p.failure_code, ''),
               count(*)::int
        from payment_transaction p
        where p.kind = 'PAYMENT' and p.created_at >= ${from} and p.created_at < ${to}
          and ${failedAttemptSql('p')}
        group by 1, p.store_id, p.provider, coalesce(p.failure_code, '')
      `.execute(db);
    },
  },
  orders: {
    dirtyHours: (since) => sql<{ hour: Date }>`
      select distinct date_trunc('hour', created_at, 'UTC') as hour
      from "order"
      ${since ? sql`where updated_at >= ${since}` : sql``}
    `,
    async rebuild(db, { from, to }) {
      await sql`delete from dashboards.order_hour where hour >= ${from} and hour < ${to}`.execute(
        db,
      );
      await sql`delete from dashboards.product_hour where hour >= ${from} and hour < ${to}`.execute(
        db,
      );
      await sql`delete from dashboards.product_hour_all where hour >= ${from} and hour < ${to}`.execute(
        db,
      );
      await sql`
        insert into dashboards.order_hour (hour, store_id, placed, paid, revenue_kopecks,
                                           coupon_orders, coupon_discount_kopecks, discount_kopecks)
        select ${hourOf('o.created_at')}, o.store_id, count(*)::int,
               (count(*) filter (where o.status in (${revenueStatuses})))::int,
               (coalesce(sum(o.final_amount) filter (where o.status in (${revenueStatuses})), 0) * 100)::int8,
               (count(*) filter (where o.status in (${revenueStatuses})
                                   and o.coupon_instance_id is not null))::int,
               (coalesce(sum(o.coupon_discount) filter (where o.status in (${revenueStatuses})), 0) * 100)::int8,
               (coalesce(sum(o.discount_amount) filter (where o.status in (${revenueStatuses})), 0) * 100)::int8
        from "order" o
        where o.created_at >= ${from} and o.created_at < ${to}
        group by 1, o.store_id
      `.execute(db);
      await sql`
        insert into dashboards.product_hour (hour, store_id, product_id, quantity, revenue_kopecks)
        select ${hourOf('o.created_at')}, o.store_id, oi.product_id, sum(oi.quantity)::int,
               (sum(oi.line_total - oi.discount_amount) * 100)::int8
        from "order" o
        join order_item oi on oi.order_id = o.id
        where o.created_at >= ${from} and o.created_at < ${to} and o.status in (${revenueStatuses})
        group by 1, o.store_id, oi.product_id
      `.execute(db);
      await sql`
        insert into dashboards.product_hour_all (hour, product_id, quantity, revenue_kopecks)
        select hour, product_id, sum(quantity)::int, sum(revenue_kopecks)::int8
        from dashboards.product_hour
        where hour >= ${from} and hour < ${to}
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
    async rebuild(db, { from, to }) {
      await sql`delete from dashboards.iiko_attempt_hour where hour >= ${from} and hour < ${to}`.execute(
        db,
      );
      await sql`
        insert into dashboards.iiko_attempt_hour (hour, job_type, attempts, successes, durations)
        select ${hourOf('l.finished_at')}, j.job_type, count(*)::int,
               (count(*) filter (where l.success))::int,
               array_agg(l.duration_ms order by l.duration_ms)
        from iiko_sync_log l
        join iiko_sync_job j on j.id = l.job_id
        where l.finished_at >= ${from} and l.finished_at < ${to}
        group by 1, j.job_type
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
  for (const run of hourRuns(rows.map((r) => r.hour))) await spec.rebuild(trx, run);
  await sql`
    insert into dashboards.refresh_state (source, refreshed_through, updated_at)
    values (${source}, ${startedAt}, now())
    on conflict (source) do update set refreshed_through = excluded.refreshed_through,
                                      updated_at = now()
  `.execute(trx);
}

/**
 * How far behind the source rows a dashboard may be: a refresh younger than this is not repeated.
 * Bounds the rebuild work (the current hour is rebuilt on every refresh while rows keep coming)
 * however many admins keep a dashboard open.
 */
export const ROLLUP_MAX_STALENESS_MS = 15_000;

export interface RefreshOptions {
  /** 0 = always refresh (tests that read right after a write). */
  maxStalenessMs?: number;
  /**
   * Read the rollups as they are, without refreshing: the connection is a read-only replica and
   * the worker refreshes them on the primary.
   */
  readOnly?: boolean;
}

/**
 * Refreshes the rollups of `source` unless they were refreshed within `maxStalenessMs`, in a
 * transaction of its own (or the caller's).
 */
export async function refreshRollup(
  db: Db,
  source: RollupSource,
  opts: RefreshOptions = {},
): Promise<void> {
  if (opts.readOnly) return;
  const maxStalenessMs = opts.maxStalenessMs ?? ROLLUP_MAX_STALENESS_MS;
  if (maxStalenessMs > 0) {
    const { rows } = await sql<{ fresh: boolean }>`
      select refreshed_through > now() - ${maxStalenessMs} * interval '1 millisecond' as fresh
      from dashboards.refresh_state where source = ${source}
    `.execute(db);
    if (rows[0]?.fresh) return;
  }
  if (db.isTransaction) {
    await refreshIn(db, source);
    return;
  }
  await db.transaction().execute((trx) => refreshIn(trx, source));
}

/** Every source, each in its own transaction; the worker's periodic task. */
export async function refreshAllRollups(db: Db, opts: RefreshOptions = {}): Promise<void> {
  for (const source of ROLLUP_SOURCES) await refreshRollup(db, source, opts);
}

/**
 * The source rows a source's rollups include: those written before this instant (the start of
 * its last refresh); null before the first refresh. On a replica the replay lag comes on top.
 */
export async function rollupAsOf(db: Db, source: RollupSource): Promise<Date | null> {
  const { rows } = await sql<{ refreshed_through: Date }>`
    select refreshed_through from dashboards.refresh_state where source = ${source}
  `.execute(db);
  return rows[0]?.refreshed_through ?? null;
}
