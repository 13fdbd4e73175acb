import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShop, type Shop } from '../../support/checkout';
import { ROOT, startScript } from '../../support/script-process';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

/**
 * CF-3 through the real server process (scripts/server.ts + the Remix build): its database
 * connection goes through a TCP forwarder the test cuts (open connections die mid-stream, new ones
 * are refused) and restores. While it is cut every kind of request gets a clean 503 with
 * Retry-After — the document page in the visitor's language, `?_data` and JSON APIs the
 * SERVICE_UNAVAILABLE body — /readyz says 503 and /healthz 200; once restored the same process
 * serves again without a restart. The slow versions (killed backends under load, SIGKILL, a real
 * PostgreSQL restart) are in tests/faults (`npm run test:faults`).
 */
const APP_PORT = 3151;
const PROXY_PORT = 3152;
const BASE = `http://127.0.0.1:${APP_PORT}`;

let testDb: TestDatabase;
let proxy: TcpProxy;
let server: ReturnType<typeof startScript>;
let shop: Shop;

async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (server.child.exitCode !== null) throw new Error(`server exited: ${server.output()}`);
    try {
      if (await ok()) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not happen: ${server.output()}`);
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'build/index.js'))) {
    throw new Error('No server build: run `npm run build` (npm test builds before running Vitest)');
  }
  testDb = await createTestDatabase();
  shop = await createShop(testDb.db);
  const target = new URL(testDb.url);
  proxy = await startTcpProxy({
    port: PROXY_PORT,
    target: { host: target.hostname, port: Number(target.port) },
  });
  const viaProxy = new URL(testDb.url);
  viaProxy.port = String(PROXY_PORT);
  server = startScript('scripts/server.ts', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: viaProxy.toString(),
    PORT: String(APP_PORT),
    HOST: '127.0.0.1',
    DISABLE_IN_PROCESS_WORKERS: 'true',
  });
  await until('start-up', async () => (await fetch(`${BASE}/healthz`)).ok);
});

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exit;
  }
  await proxy?.close();
  await testDb?.destroy();
});

function expectRetryAfter(res: Response) {
  expect(res.status).toBe(503);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.headers.get('cache-control')).toBe('no-store');
}

async function expectServiceUnavailableJson(res: Response) {
  expectRetryAfter(res);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await res.json()).toEqual({
    error: {
      code: 'SERVICE_UNAVAILABLE',
      message_key: 'faults.unavailable.body',
      details: { retry_after_s: Number(res.headers.get('retry-after')) },
    },
  });
}

async function unavailableCount(): Promise<number> {
  const text = await (await fetch(`${BASE}/metrics`)).text();
  const line = /^ctea_db_unavailable_total (\d+)$/m.exec(text);
  return line ? Number(line[1]) : 0;
}

describe('a database that cannot be reached', () => {
  const menuPage = () => `${BASE}/menu/${shop.store.code}`;
  const menuApi = () => `${BASE}/api/v1/stores/${shop.store.code}/menu`;

  it('is answered 503 everywhere, counted once per request, and served again once it is back', async () => {
    expect((await fetch(`${BASE}/readyz`)).status).toBe(200);
    expect((await fetch(menuPage())).status).toBe(200);
    expect((await fetch(menuApi())).status).toBe(200);
    const before = await unavailableCount();

    await proxy.cut();

    // readiness: not ready, with Retry-After; liveness stays green (no restart wanted)
    const ready = await fetch(`${BASE}/readyz`);
    expectRetryAfter(ready);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', database: 'unreachable' });
    expect((await fetch(`${BASE}/healthz`)).status).toBe(200);

    // a document: the catalogue's page in the visitor's language with the request id
    const page = await fetch(menuPage(), {
      headers: { Accept: 'text/html', 'Accept-Language': 'en', 'X-Request-Id': 'fault-test-doc' },
    });
    expectRetryAfter(page);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("object-src 'none'");
    const html = await page.text();
    expect(html).toContain('Service temporarily unavailable');
    expect(html).toContain('Request id: fault-test-doc');
    expect(html).not.toContain('<script');
    const ru = await fetch(menuPage(), { headers: { Accept: 'text/html' } });
    expectRetryAfter(ru);
    expect(await ru.text()).toContain('Сервис временно недоступен');

    // a client-side navigation (?_data): a route error response the client router renders
    const data = await fetch(
      `${menuPage()}?_data=${encodeURIComponent('routes/_shop.menu.$storeCode._index')}`,
    );
    expect(data.headers.get('x-remix-catch')).toBe('yes');
    await expectServiceUnavailableJson(data);

    // resource routes and JSON APIs
    await expectServiceUnavailableJson(await fetch(menuApi()));
    await expectServiceUnavailableJson(
      await fetch(`${BASE}/api/checkout/quote`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          store_id: shop.store.id,
          order_type: 'PICKUP',
          use_points: false,
          lines: [{ product_id: shop.dear.id, quantity: 1, option_item_ids: [] }],
        }),
      }),
    );
    await expectServiceUnavailableJson(
      await fetch(`${BASE}/api/v1/scans`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${'k'.repeat(43)}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ events: [] }),
      }),
    );
    expect(server.child.exitCode).toBeNull();

    await proxy.restore();
    // the pool opens fresh connections on demand: ready again without a restart
    await until('readiness after the outage', async () => {
      return (await fetch(`${BASE}/readyz`)).status === 200;
    });
    expect((await fetch(menuPage())).status).toBe(200);
    expect((await fetch(menuApi())).status).toBe(200);
    expect(server.child.exitCode).toBeNull();

    // readyz answers for itself; the page (twice), the data request and the three APIs are
    // counted once each although a page runs several loaders
    expect((await unavailableCount()) - before).toBe(6);
    const log = server.output();
    expect(log.match(/"event":"db.unavailable"/g)?.length).toBe(6);
    expect(log).toContain('"requestId":"fault-test-doc"');
    expect(log).not.toMatch(/"msg":"unhandled error"/);
  });
});
