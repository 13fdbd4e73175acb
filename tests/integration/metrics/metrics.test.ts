import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../../db/types.generated';
import { observeHttpDuration } from '~/features/metrics/registry.server';
import { resetEnvCache } from '~/utils/env.server';
import { loader } from '~/routes/metrics';
import { createIikoSyncJob, createOrder, createPaymentTransaction } from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';

/**
 * /metrics (DA-4): Prometheus text with the database-derived totals, the route histogram and the
 * pool gauges; protected by METRICS_TOKEN when set, loopback-only otherwise.
 */

let testDb: TestDatabase;
let db: Kysely<DB>;
const TOKEN = 'metrics-token-0123456789abcdef';

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
  await useAppDatabase(testDb);
});
afterAll(async () => {
  delete process.env.METRICS_TOKEN;
  resetEnvCache();
  await testDb?.destroy();
});
afterEach(() => {
  delete process.env.METRICS_TOKEN;
  resetEnvCache();
});

async function scrape({
  ip = '127.0.0.1',
  headers = {},
}: { ip?: string | null; headers?: Record<string, string> } = {}) {
  const request = new Request('http://localhost/metrics', { headers });
  const context = { db, clientIp: ip, requestId: 'test-request-id' };
  const response = await loader({ request, context, params: {} } as Parameters<typeof loader>[0]);
  return { status: response.status, text: await response.text(), headers: response.headers };
}

describe('/metrics text', () => {
  it('exposes the payment, iiko, queue, HTTP and pool series', async () => {
    const order = await createOrder(db);
    const now = new Date();
    for (let i = 1; i <= 5; i++)
      await createPaymentTransaction(db, order, {
        attempt_no: i,
        ...(i <= 2
          ? { status: 'FAILED', failed_at: now }
          : { status: 'CANCELED', authorized_at: now, canceled_at: now }),
      });
    // abandoned: outside the DA-1 rate, so not an attempt here either
    await createPaymentTransaction(db, order, {
      attempt_no: 6,
      status: 'CANCELED',
      failure_code: 'expired_on_confirmation',
    });
    const job = await createIikoSyncJob(db, {
      job_type: 'STOP_LIST',
      status: 'FAILED',
      attempt_count: 3,
    });
    for (let i = 1; i <= 3; i++)
      await db
        .insertInto('iiko_sync_log')
        .values({
          job_id: job.id,
          attempt_number: i,
          started_at: now,
          finished_at: now,
          duration_ms: 10,
          success: i === 3,
        })
        .execute();
    await createIikoSyncJob(db, { job_type: 'MENU_IMPORT' });
    await createIikoSyncJob(db, { job_type: 'MENU_IMPORT' });
    observeHttpDuration('routes/admin._index', 200, 0.12);
    observeHttpDuration('routes/admin._index', 503, 3);

    const { status, text, headers } = await scrape();
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('# TYPE ctea_payment_attempts_total counter');
    expect(text).toContain('ctea_payment_attempts_total{provider="YOOKASSA"} 5');
    expect(text).toContain('ctea_payment_failures_total{provider="YOOKASSA"} 2');
    expect(text).toContain('ctea_iiko_sync_attempts_total{type="STOP_LIST"} 3');
    expect(text).toContain('ctea_iiko_sync_failures_total{type="STOP_LIST"} 2');
    expect(text).toContain('ctea_job_queue_depth{type="MENU_IMPORT"} 2');
    expect(text).not.toContain('ctea_job_queue_depth{type="STOP_LIST"}');
    expect(text).toContain('# TYPE ctea_http_request_duration_seconds histogram');
    expect(text).toContain(
      'ctea_http_request_duration_seconds_bucket{le="2",route="routes/admin._index",status_class="5xx"} 0',
    );
    expect(text).toContain(
      'ctea_http_request_duration_seconds_count{route="routes/admin._index",status_class="2xx"} 1',
    );
    for (const name of [
      'ctea_db_pool_total_connections',
      'ctea_db_pool_idle_connections',
      'ctea_db_pool_waiting_clients',
      'ctea_db_pool_max_connections 20',
      'process_cpu_user_seconds_total',
      'nodejs_heap_size_used_bytes',
    ])
      expect(text).toContain(name);

    // totals are row counts: a second scrape reports the same values, not doubled ones
    const again = await scrape();
    expect(again.text).toContain('ctea_payment_attempts_total{provider="YOOKASSA"} 5');
  });
});

describe('/metrics protection', () => {
  it('without METRICS_TOKEN answers loopback clients only, never through a proxy', async () => {
    expect((await scrape({ ip: '127.0.0.1' })).status).toBe(200);
    expect((await scrape({ ip: '::1' })).status).toBe(200);
    expect((await scrape({ ip: '10.0.0.7' })).status).toBe(403);
    expect((await scrape({ ip: null })).status).toBe(403);
    const proxied = await scrape({ headers: { 'X-Forwarded-For': '203.0.113.9' } });
    expect(proxied.status).toBe(403);
    expect(proxied.text).not.toContain('ctea_');
  });

  it('with METRICS_TOKEN requires the bearer token from any address', async () => {
    process.env.METRICS_TOKEN = TOKEN;
    resetEnvCache();
    const none = await scrape();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.text).not.toContain('ctea_');
    expect((await scrape({ headers: { Authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await scrape({ headers: { Authorization: TOKEN } })).status).toBe(401);
    const ok = await scrape({ ip: '203.0.113.9', headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('ctea_payment_attempts_total');
  });
});
