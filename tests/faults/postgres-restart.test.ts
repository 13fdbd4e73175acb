import crypto from 'node:crypto';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import '../../db/pg-types';
import { startEmbeddedPostgres, type EmbeddedCluster } from '../../db/embedded';
import { migrateToLatest } from '../../db/migrate';
import type { DB } from '../../db/types.generated';
import { ROOT } from '../support/script-process';
import {
  alive,
  consistencyProblems,
  createFixture,
  keysWithoutExactlyOneOrder,
  newAttempt,
  postCheckout,
  random,
  requireBuild,
  settle,
  sleep,
  startApp,
  type AppProcess,
  type Attempt,
} from './support';

/**
 * Fault (c): PostgreSQL itself stops and starts again under a running app. A dedicated embedded
 * cluster (port 54412, `.data/pg-fault`) so no other suite loses its server. While it is down
 * every request is a 503 (page, `?_data`, JSON API, checkout) and /readyz says 503, /healthz 200,
 * and the process stays up; once PostgreSQL is back /readyz and checkouts are green again within
 * a few requests, with no app restart. Prints the recovery time.
 */
const PORT = 3155;
const CLUSTER = {
  dataDir: path.join(ROOT, '.data', 'pg-fault'),
  port: Number(process.env.CTEA_PG_FAULT_PORT ?? 54412),
};
const OUTAGE_MS = 3_000;

let cluster: EmbeddedCluster | undefined;
let app: AppProcess | undefined;
let db: Kysely<DB> | undefined;
let databaseUrl: string | undefined;

afterAll(async () => {
  await app?.stop();
  await db?.destroy().catch(() => {});
  if (cluster && databaseUrl) {
    const admin = new pg.Client({ connectionString: cluster.url('postgres') });
    await admin.connect().catch(() => {});
    await admin
      .query(`drop database if exists ${new URL(databaseUrl).pathname.slice(1)} with (force)`)
      .catch(() => {});
    await admin.end().catch(() => {});
  }
  await cluster?.stop();
});

const start = () => startEmbeddedPostgres({ ...CLUSTER, log: () => {}, ownSignals: true });

it('answers 503 while PostgreSQL is down and recovers without an app restart', async () => {
  requireBuild();
  cluster = await start();
  // a server this test did not start cannot be stopped by it
  expect(cluster.owned, `port ${CLUSTER.port} is already in use`).toBe(true);
  const name = `ctea_fault_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: cluster.url('postgres') });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  databaseUrl = cluster.url(name);
  const { error } = await migrateToLatest(databaseUrl);
  if (error) throw error;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, options: '-c TimeZone=UTC' });
  pool.on('error', () => {}); // its idle connections die with the server
  db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const fixture = await createFixture(db, 4);
  const storeCode = fixture.shop.store.code;
  const rnd = random(7);
  const reserved = new Set<number>();
  const checkout = () =>
    newAttempt(fixture, fixture.customers[Math.floor(rnd() * 4)]!, rnd, reserved);

  app = await startApp({
    port: PORT,
    databaseUrl,
    env: { DISABLE_IN_PROCESS_WORKERS: 'true' },
  });
  const base = app.base;
  const menuApi = `${base}/api/v1/stores/${storeCode}/menu`;
  const menuPage = `${base}/menu/${storeCode}`;
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
  expect((await postCheckout(base, storeCode, { ...checkout(), asData: true })).outcome.kind).toBe(
    'order',
  );

  await cluster.stop();
  const downSince = Date.now();
  const during: { what: string; status: number }[] = [];
  const failedCheckouts: Attempt[] = [];
  while (Date.now() - downSince < OUTAGE_MS) {
    during.push({ what: 'readyz', status: (await fetch(`${base}/readyz`)).status });
    during.push({ what: 'healthz', status: (await fetch(`${base}/healthz`)).status });
    during.push({ what: 'api', status: (await fetch(menuApi)).status });
    during.push({
      what: 'page',
      status: (await fetch(menuPage, { headers: { Accept: 'text/html' } })).status,
    });
    const attempt = { ...checkout(), asData: true };
    const { status } = await postCheckout(base, storeCode, attempt);
    during.push({ what: 'checkout', status });
    failedCheckouts.push(attempt);
    await sleep(100);
  }
  expect(alive(app), app.output()).toBe(true);

  const startedAt = Date.now();
  cluster = await start();
  const upAt = Date.now();
  let readyAfter: number | null = null;
  let checkoutAfter: number | null = null;
  let requestsUntilReady = 0;
  const after: { what: string; status: number }[] = [];
  while (readyAfter === null || checkoutAfter === null) {
    if (Date.now() - upAt > 60_000) throw new Error(`no recovery: ${app.output()}`);
    if (readyAfter === null) {
      const status = (await fetch(`${base}/readyz`)).status;
      after.push({ what: 'readyz', status });
      requestsUntilReady += 1;
      if (status === 200) readyAfter = Date.now() - upAt;
    } else {
      const attempt = { ...checkout(), asData: true };
      const { status, outcome } = await postCheckout(base, storeCode, attempt);
      after.push({ what: 'checkout', status });
      if (outcome.kind === 'order') checkoutAfter = Date.now() - upAt;
      else failedCheckouts.push(attempt);
    }
    await sleep(50);
  }
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  expect((await fetch(menuApi)).status).toBe(200);
  expect((await fetch(menuPage, { headers: { Accept: 'text/html' } })).status).toBe(200);

  // the checkouts refused during the outage go through on retry, once each
  const settled = await settle(base, storeCode, db, failedCheckouts);
  const problems = await consistencyProblems(
    db,
    fixture.customers.map((c) => c.memberId),
  );
  const badKeys = await keysWithoutExactlyOneOrder(db, settled);

  const tally = (rows: { what: string; status: number }[]) => {
    const t: Record<string, Record<number, number>> = {};
    for (const r of rows) {
      t[r.what] ??= {};
      t[r.what]![r.status] = (t[r.what]![r.status] ?? 0) + 1;
    }
    return JSON.stringify(t);
  };
  console.log(
    [
      `fault (c) PostgreSQL restart: down ${OUTAGE_MS / 1000} s`,
      `  during the outage: ${tally(during)}`,
      `  after the start: ${tally(after)}`,
      `  PostgreSQL start command → accepting connections: ${upAt - startedAt} ms`,
      `  recovery (PostgreSQL accepting connections → /readyz 200): ${readyAfter} ms ` +
        `(${requestsUntilReady} readiness request(s)); → first successful checkout: ${checkoutAfter} ms`,
      `  checkouts refused during the outage and retried: ${failedCheckouts.length}, ` +
        `all placed once: ${badKeys.length === 0}`,
    ].join('\n'),
  );

  const statuses = (what: string) =>
    new Set(during.filter((r) => r.what === what).map((r) => r.status));
  expect(statuses('readyz')).toEqual(new Set([503]));
  expect(statuses('healthz')).toEqual(new Set([200]));
  expect(statuses('api')).toEqual(new Set([503]));
  expect(statuses('page')).toEqual(new Set([503]));
  expect(statuses('checkout')).toEqual(new Set([503]));
  expect(requestsUntilReady).toBeLessThanOrEqual(3);
  expect(problems).toEqual([]);
  expect(badKeys).toEqual([]);
  expect(alive(app)).toBe(true);
  expect(app.output()).not.toMatch(/"msg":"unhandled (server )?error"/);
});
