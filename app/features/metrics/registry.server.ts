import client from 'prom-client';
import type { Db } from '~db/database.server';
import { poolStats } from '~db/database.server';
import { getEnv } from '~/utils/env.server';
import { iikoAttemptTotals, paymentAttemptTotals, pendingJobsByType } from './metrics.server';

/**
 * The process's Prometheus registry (DA-4). One per process, kept on globalThis: the HTTP
 * middleware (scripts/server.ts) and the /metrics route (inside the Remix build) load separate
 * copies of this module and must share it.
 */

interface MetricsState {
  registry: client.Registry;
  httpDuration: client.Histogram<'route' | 'status_class'>;
  paymentAttempts: client.Counter<'provider'>;
  paymentFailures: client.Counter<'provider'>;
  iikoAttempts: client.Counter<'type'>;
  iikoFailures: client.Counter<'type'>;
  jobQueueDepth: client.Gauge<'type'>;
}

const GLOBAL_KEY = Symbol.for('ctea.metrics');
type GlobalWithMetrics = typeof globalThis & { [GLOBAL_KEY]?: MetricsState };

/** Seconds; the 2 s api_latency threshold is a bucket edge so the Prometheus rule is exact. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];

function create(): MetricsState {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const pool = () => {
    try {
      return poolStats();
    } catch {
      return null; // no database configured in this process
    }
  };
  new client.Gauge({
    name: 'ctea_db_pool_total_connections',
    help: 'Connections the pg pool holds (pool.totalCount).',
    registers,
    collect() {
      this.set(pool()?.total ?? 0);
    },
  });
  new client.Gauge({
    name: 'ctea_db_pool_idle_connections',
    help: 'Idle connections of the pg pool (pool.idleCount).',
    registers,
    collect() {
      this.set(pool()?.idle ?? 0);
    },
  });
  new client.Gauge({
    name: 'ctea_db_pool_waiting_clients',
    help: 'Queries waiting for a pg pool connection (pool.waitingCount).',
    registers,
    collect() {
      this.set(pool()?.waiting ?? 0);
    },
  });
  new client.Gauge({
    name: 'ctea_db_pool_max_connections',
    help: 'Configured pool size (DATABASE_POOL_MAX).',
    registers,
    collect() {
      this.set(getEnv().DATABASE_POOL_MAX);
    },
  });
  new client.Counter({
    name: 'ctea_db_pool_errors_total',
    help: "pg pool and client 'error' events since the process started (CF-3).",
    registers,
    collect() {
      this.reset();
      this.inc(pool()?.errors ?? 0);
    },
  });

  return {
    registry,
    httpDuration: new client.Histogram({
      name: 'ctea_http_request_duration_seconds',
      help: 'HTTP request duration by Remix route id and status class.',
      labelNames: ['route', 'status_class'],
      buckets: HTTP_BUCKETS,
      registers,
    }),
    paymentAttempts: new client.Counter({
      name: 'ctea_payment_attempts_total',
      help: 'PAYMENT attempts that succeeded or failed (DA-1), from the database at scrape time.',
      labelNames: ['provider'],
      registers,
    }),
    paymentFailures: new client.Counter({
      name: 'ctea_payment_failures_total',
      help: 'Failed PAYMENT attempts (DA-1), from the database at scrape time.',
      labelNames: ['provider'],
      registers,
    }),
    iikoAttempts: new client.Counter({
      name: 'ctea_iiko_sync_attempts_total',
      help: 'iiko attempts (iiko_sync_log rows) by job type, from the database at scrape time.',
      labelNames: ['type'],
      registers,
    }),
    iikoFailures: new client.Counter({
      name: 'ctea_iiko_sync_failures_total',
      help: 'Failed iiko attempts by job type, from the database at scrape time.',
      labelNames: ['type'],
      registers,
    }),
    jobQueueDepth: new client.Gauge({
      name: 'ctea_job_queue_depth',
      help: 'PENDING iiko jobs by type.',
      labelNames: ['type'],
      registers,
    }),
  };
}

export function metrics(): MetricsState {
  const g = globalThis as GlobalWithMetrics;
  g[GLOBAL_KEY] ??= create();
  return g[GLOBAL_KEY];
}

/** "2xx" … "5xx" */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/** One finished HTTP request (scripts/server.ts middleware). */
export function observeHttpDuration(route: string, status: number, seconds: number): void {
  metrics().httpDuration.observe({ route, status_class: statusClass(status) }, seconds);
}

/** Reads the database-derived series, then renders the registry in Prometheus text format. */
export async function renderMetrics(db: Db): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  const [payments, iiko, queue] = await Promise.all([
    paymentAttemptTotals(db),
    iikoAttemptTotals(db),
    pendingJobsByType(db),
  ]);
  // row counts, not increments: set by reset + inc so the series keep the counter type
  m.paymentAttempts.reset();
  m.paymentFailures.reset();
  for (const p of payments) {
    m.paymentAttempts.inc({ provider: p.provider }, p.attempts);
    m.paymentFailures.inc({ provider: p.provider }, p.failed);
  }
  m.iikoAttempts.reset();
  m.iikoFailures.reset();
  for (const t of iiko) {
    m.iikoAttempts.inc({ type: t.type }, t.attempts);
    m.iikoFailures.inc({ type: t.type }, t.failed);
  }
  m.jobQueueDepth.reset();
  for (const q of queue) m.jobQueueDepth.set({ type: q.type }, q.pending);
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
