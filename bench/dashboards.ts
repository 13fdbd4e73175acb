import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import { createDatabase } from '../db/database.server';
import { migrateToLatest } from '../db/migrate';
import type { DB } from '../db/types.generated';
import { parseDashboardParams } from '../app/features/dashboards/dashboard-params';
import { iikoHealthDashboard } from '../app/features/dashboards/iiko-health.server';
import { overviewDashboard } from '../app/features/dashboards/overview.server';
import { paymentsDashboard } from '../app/features/dashboards/payments.server';
import {
  refreshRollup,
  ROLLUP_MAX_STALENESS_MS,
  ROLLUP_SOURCES,
  type RefreshOptions,
} from '../app/features/dashboards/rollup.service.server';
import { cleanUpOnSignals, isInterrupted, onCleanup, runCleanup, runBench } from './lib/cleanup';
import { fixed, ms, note, percentile, ratioLine, say, table } from './lib/format';
import { createScratchDatabase, openBenchServer } from './lib/server';

/**
 * `npm run bench:dashboards`: the median time of each dashboard loader's data function (the same
 * functions the routes call, with the routes' default filters) on a small and a large database,
 * and the ratio large ÷ small. The goal is that a dashboard stays fast as history accumulates:
 * ratio ≤ 3 for every loader, and under 300 ms on the large database.
 *
 * Each size is a scratch database, migrated, filled with `INSERT … SELECT generate_series` (so
 * 1M rows take a minute, not hours), then VACUUM ANALYZE:
 *  - N orders over the last 30 days in 8 stores (one line each over 30 products, a status mix
 *    where about 90 % count as revenue) and one PAYMENT attempt per order: ~2 % FAILED, ~1 %
 *    declined (CANCELED without hold), ~3 % abandoned (expired_on_confirmation), ~1 % voided
 *    after the hold, ~1 % PENDING, the rest captured;
 *  - N iiko jobs with one attempt each over the same 30 days (70 % STOP_LIST of the 6 connected
 *    stores, 20 % ORDER_PUSH, 10 % MENU_IMPORT), ~3 % failed attempts, a third of whose jobs end
 *    FAILED; a handful of PENDING jobs (the queue does not grow with history).
 *
 * The loaders run as the routes run them: each first refreshes its rollup (schema `dashboards`,
 * ADR 0016) unless that was done in the last ROLLUP_MAX_STALENESS_MS, so back-to-back calls mostly
 * read; what a refresh costs (rebuilding the hours written since the last one) is measured apart
 * and printed, outside the ratio, with the loaders' times when nothing is reused ("forced") and
 * as they run on a read-only replica (DATABASE_REPLICA_URL: no refresh at all, the worker's
 * periodic task refreshes the rollups on the primary; ADR 0016, amended).
 *
 * The last line is `RATIO dashboards <max ratio over loaders> goal <= 3`.
 */

const USAGE = `usage: npm run bench:dashboards -- [--small N] [--large N] [--runs N]
  --small  rows of each kind in the small database (default 10000)
  --large  rows of each kind in the large database (default 1000000)
  --runs   timed calls of each loader per size, after 3 warm-up calls (default 15)`;
const GOAL = 3;
const LIMIT_MS = 300;
const WARMUP_RUNS = 3;
const EMBEDDED = {
  dataDir: fileURLToPath(new URL('../.data/pg-bench-dashboards', import.meta.url)),
  port: 54335,
};

// before the app modules log anything: the report is stdout only
process.env.LOG_LEVEL ??= 'warn';

type Loader = {
  name: string;
  run: (db: Kysely<DB>, opts?: RefreshOptions) => Promise<unknown>;
};

/** The routes' defaults: payments and iiko the last 24 h by hour, the overview the last 7 days. */
const LOADERS: Loader[] = [
  {
    name: 'payments',
    run: (db, opts) => {
      const p = parseDashboardParams('/admin/dashboards/payments', { defaultDays: 1 });
      return paymentsDashboard(db, p, opts);
    },
  },
  {
    name: 'iiko',
    run: (db, opts) => {
      const p = parseDashboardParams('/admin/dashboards/iiko', { defaultDays: 1 });
      return iikoHealthDashboard(db, { range: p, ...opts });
    },
  },
  {
    name: 'overview',
    run: (db, opts) => {
      const p = parseDashboardParams('/admin/dashboards', { defaultDays: 7 });
      return overviewDashboard(db, p, opts);
    },
  },
];

function parse(argv: string[]): { small: number; large: number; runs: number } | string {
  let values: { small?: string; large?: string; runs?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        small: { type: 'string' },
        large: { type: 'string' },
        runs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    return `${(err as Error).message}\n${USAGE}`;
  }
  if (values.help) return USAGE;
  const int = (text: string | undefined, fallback: number, min: number, max: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`${text}: ${min}..${max}`);
    return n;
  };
  try {
    return {
      small: int(values.small, 10_000, 1_000, 10_000_000),
      large: int(values.large, 1_000_000, 1_000, 10_000_000),
      runs: int(values.runs, 15, 1, 1_000),
    };
  } catch (err) {
    return `${(err as Error).message}\n${USAGE}`;
  }
}

/** The fixture of one size; every statement is set-based. */
export async function fill(db: Kysely<DB>, n: number): Promise<void> {
  await sql`
    insert into store (code, name_ru, address_ru, city, iiko_terminal_group_id)
    select 'BN-' || s, 'Магазин ' || s, 'Москва, ул. Тестовая, ' || s, 'Москва',
           case when s <= 6 then gen_random_uuid() end
    from generate_series(1, 8) s
  `.execute(db);
  await sql`
    insert into product (sku, name_ru, name_zh, base_price, is_manual_override, iiko_price, iiko_name)
    select 'BN-SKU-' || p, 'Напиток ' || p, '饮品 ' || p, 200 + p * 10, p % 10 = 0,
           case when p % 10 = 0 then 210 + p * 10 else 200 + p * 10 end, 'Напиток ' || p
    from generate_series(1, 30) p
  `.execute(db);
  // one order per i, created at a pseudo-random instant of the last 30 days
  await sql`
    with ids as (select min(id) as store0 from store),
    src as (
      select i,
             now() - (((i * 7919) % 2592000) * interval '1 second') - (i % 1000) * interval '1 millisecond' as at,
             (i * 31) % 100 as r,
             200 + (i % 20) * 25 as amount
      from generate_series(1, ${n}::int8) i
    )
    insert into "order" (order_number, order_prefix, local_date, order_type, status, store_id,
                         customer_phone, subtotal_amount, delivery_fee, total_amount, discount_amount,
                         final_amount, payment_method, payment_status, payment_provider,
                         iiko_sync_status, created_at, updated_at)
    select 'K' || to_char((at at time zone 'Europe/Moscow')::date, 'YYYYMMDD') || lpad(i::text, 8, '0'),
           'K', (at at time zone 'Europe/Moscow')::date, 'PICKUP',
           case when r < 80 then 'COMPLETED' when r < 88 then 'CONFIRMED' when r < 90 then 'READY'
                when r < 94 then 'CANCELLED' when r < 96 then 'VOIDED' when r < 97 then 'REFUNDED'
                else 'PENDING' end,
           ids.store0 + (i % 8), '+79000000000', amount, 0, amount, 0, amount, 'ONLINE',
           case when r < 90 then 'SUCCEEDED' when r < 94 then 'CANCELED' when r < 96 then 'CANCELED'
                when r < 97 then 'REFUNDED' else 'PENDING' end,
           'YOOKASSA', 'SYNCED', at, at
    from src, ids
  `.execute(db);
  await sql`
    insert into order_item (order_id, product_id, line_no, sku, product_name_ru, unit_price,
                            quantity, line_total)
    select o.id, p.id, 1, p.sku, p.name_ru, o.subtotal_amount, 1, o.subtotal_amount
    from "order" o
    join product p on p.sku = 'BN-SKU-' || (1 + (o.id * 13) % 30)
  `.execute(db);
  // one PAYMENT attempt per order, the DA-1 mix of the header comment
  await sql`
    with src as (select o.id, o.store_id, o.final_amount, o.created_at, (o.id * 7) % 1000 as r
                 from "order" o)
    insert into payment_transaction (order_id, store_id, kind, provider, attempt_no,
                                     provider_payment_id, idempotence_key, status, amount,
                                     failure_code, authorized_at, captured_at, canceled_at,
                                     failed_at, created_at, updated_at)
    select id, store_id, 'PAYMENT', 'YOOKASSA', 1, 'bench-' || id, 'ctea-' || id || '-create-1',
           case when r < 20 then 'FAILED' when r < 80 then 'CANCELED'
                when r < 90 then 'PENDING' else 'SUCCEEDED' end,
           final_amount,
           case when r < 20 then (array['invalid_request', 'forbidden'])[1 + r % 2]
                when r < 30 then (array['insufficient_funds', 'card_expired', 'fraud_suspected'])[1 + r % 3]
                when r < 60 then 'expired_on_confirmation'
                when r < 70 then 'canceled_by_merchant'
                when r < 80 then 'expired_on_capture' end,
           case when r >= 60 and r < 80 or r >= 90 then created_at + interval '40 seconds' end,
           case when r >= 90 then created_at + interval '90 seconds' end,
           case when r >= 20 and r < 80 then created_at + interval '10 minutes' end,
           case when r < 20 then created_at + interval '1 second' end,
           created_at, created_at
    from src
  `.execute(db);
  // iiko: n jobs, one attempt each, then a small PENDING queue
  await sql`
    with ids as (select min(id) as store0 from store),
    src as (
      select j,
             now() - (((j * 104729) % 2592000) * interval '1 second') as at,
             (j * 17) % 100 as t,
             (j * 37) % 1000 as f
      from generate_series(1, ${n}::int8) j
    )
    insert into iiko_sync_job (job_type, resource_id, status, priority, attempt_count, max_attempts,
                               next_run_at, started_at, finished_at, last_error, created_at, updated_at)
    select case when t < 70 then 'STOP_LIST' when t < 90 then 'ORDER_PUSH' else 'MENU_IMPORT' end,
           case when t < 70 then 'store:' || (ids.store0 + j % 6) when t < 90 then 'order:' || j
                else 'org:bench' end,
           case when f < 10 then 'FAILED' else 'COMPLETED' end,
           case when t < 70 then 50 when t < 90 then 100 else 0 end,
           1, case when t >= 70 and t < 90 then 3 else 4 end,
           at - interval '2 seconds', at - interval '2 seconds', at,
           case when f < 10 then 'HTTP 400: TerminalGroupDisabled' end,
           at - interval '3 seconds', at
    from src, ids
  `.execute(db);
  await sql`
    insert into iiko_sync_log (job_id, attempt_number, started_at, finished_at, duration_ms, success,
                               http_status, error_code, error_message, created_at)
    select id, 1, started_at, finished_at, 200 + (id * 53) % 1800, (id * 37) % 1000 >= 30,
           case when (id * 37) % 1000 >= 30 then 200 when (id * 37) % 1000 < 10 then 400 else 503 end,
           case when (id * 37) % 1000 < 10 then 'TerminalGroupDisabled'
                when (id * 37) % 1000 < 30 then 'HTTP_503' end,
           case when (id * 37) % 1000 < 30 then 'iiko answered an error' end,
           finished_at
    from iiko_sync_job
  `.execute(db);
  await sql`
    insert into iiko_sync_job (job_type, resource_id, status, priority, max_attempts, next_run_at, created_at)
    select 'STOP_LIST', 'store:' || s.id, 'PENDING', 50, 4, now(), now() - interval '90 seconds'
    from store s where s.iiko_terminal_group_id is not null
    union all
    select 'ORDER_PUSH', 'order:pending-' || g, 'PENDING', 100, 3, now(), now() - g * interval '20 seconds'
    from generate_series(1, 5) g
  `.execute(db);
}

async function measure(db: Kysely<DB>, runs: number): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>();
  for (const loader of LOADERS) {
    for (let i = 0; i < WARMUP_RUNS; i++) await loader.run(db);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await loader.run(db);
      samples.push(performance.now() - started);
    }
    times.set(
      loader.name,
      samples.sort((a, b) => a - b),
    );
  }
  // the same loaders when nothing is reused: every call refreshes and recomputes
  for (const loader of LOADERS) {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await loader.run(db, { maxStalenessMs: 0 });
      samples.push(performance.now() - started);
    }
    times.set(
      `${loader.name} (forced)`,
      samples.sort((a, b) => a - b),
    );
  }
  // on a replica: the rollups as they are, never refreshed by the loader
  for (const loader of LOADERS) {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await loader.run(db, { readOnly: true });
      samples.push(performance.now() - started);
    }
    times.set(
      `${loader.name} (replica)`,
      samples.sort((a, b) => a - b),
    );
  }
  // the rebuild a loader does when its rollup is older than ROLLUP_MAX_STALENESS_MS
  for (const source of ROLLUP_SOURCES) {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await refreshRollup(db, source, { maxStalenessMs: 0 });
      samples.push(performance.now() - started);
    }
    times.set(
      `refresh ${source}`,
      samples.sort((a, b) => a - b),
    );
  }
  return times;
}

async function runSize(
  server: Awaited<ReturnType<typeof openBenchServer>>,
  rows: number,
  runs: number,
): Promise<{ medians: Map<string, number>; fillSeconds: number }> {
  const scratch = await createScratchDatabase(server, `dash${rows}`);
  const { error } = await migrateToLatest(scratch.url);
  if (error) throw error;
  // the same pool size the app uses; loaders run their queries in parallel on it
  const database = createDatabase(scratch.url);
  const close = onCleanup(`close the pool of ${scratch.name}`, () => database.db.destroy());
  note(`bench:dashboards: filling ${rows} rows of each kind…`);
  const started = performance.now();
  await fill(database.db, rows);
  note('bench:dashboards: vacuum analyze…');
  await sql`vacuum analyze`.execute(database.db);
  const fillSeconds = (performance.now() - started) / 1000;
  note(`bench:dashboards: measuring (${runs} runs per loader)…`);
  const times = await measure(database.db, runs);
  await database.db.destroy();
  close();
  const medians = new Map([...times].map(([name, samples]) => [name, percentile(samples, 50)]));
  return { medians, fillSeconds };
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (typeof args === 'string') {
    say(args);
    return args === USAGE ? 0 : 2;
  }
  cleanUpOnSignals();
  const loadBefore = os.loadavg()[0]!;
  const server = await openBenchServer(note, EMBEDDED);
  const small = await runSize(server, args.small, args.runs);
  if (isInterrupted()) return 130;
  const large = await runSize(server, args.large, args.runs);
  if (isInterrupted()) return 130;
  const loadAfter = os.loadavg()[0]!;
  await runCleanup();

  say(`dashboard loaders, ${args.small} vs ${args.large} rows — ${server.label}`);
  const rows: [string, string][] = [
    [
      'machine',
      `${os.cpus().length} CPUs, load average ${fixed(loadBefore, 1)} before, ${fixed(loadAfter, 1)} after`,
    ],
    [
      'fixture',
      `${fixed(small.fillSeconds, 1)} s (small), ${fixed(large.fillSeconds, 1)} s (large), incl. VACUUM ANALYZE`,
    ],
    ['runs', `${args.runs} per loader and size, after ${WARMUP_RUNS} warm-up calls; medians`],
  ];
  let maxRatio = 0;
  for (const { name } of LOADERS) {
    const a = small.medians.get(name)!;
    const b = large.medians.get(name)!;
    const ratio = b / a;
    maxRatio = Math.max(maxRatio, ratio);
    rows.push([
      name,
      `${ms(a)} → ${ms(b)}  ratio ${fixed(ratio, 2)}  ${b < LIMIT_MS ? `under ${LIMIT_MS} ms` : `OVER ${LIMIT_MS} ms`} at ${args.large}`,
    ]);
  }
  for (const { name: loader } of LOADERS) {
    const name = `${loader} (forced)`;
    const a = small.medians.get(name)!;
    const b = large.medians.get(name)!;
    rows.push([name, `${ms(a)} → ${ms(b)}  ratio ${fixed(b / a, 2)}  (no refresh skipped)`]);
  }
  for (const { name: loader } of LOADERS) {
    const name = `${loader} (replica)`;
    const a = small.medians.get(name)!;
    const b = large.medians.get(name)!;
    rows.push([name, `${ms(a)} → ${ms(b)}  ratio ${fixed(b / a, 2)}  (read-only, no refresh)`]);
  }
  for (const source of ROLLUP_SOURCES) {
    const name = `refresh ${source}`;
    rows.push([
      name,
      `${ms(small.medians.get(name)!)} → ${ms(large.medians.get(name)!)}  (forced; a loader refreshes at most every ${ROLLUP_MAX_STALENESS_MS / 1000} s)`,
    ]);
  }
  say(table(rows));
  say(ratioLine('dashboards', maxRatio, GOAL, '<='));
  return 0;
}

// run as a script (tsx bench/dashboards.ts), not when imported for its fixture
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runBench('dashboards', main);
}
