import crypto from 'node:crypto';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshRollup } from '~/features/dashboards/rollup.service.server';
import { periodicTasks } from '~/features/jobs/periodic.server';
import { resetEnvCache } from '~/utils/env.server';
import * as overviewRoute from '../../../app/routes/admin.dashboards._index';
import * as iikoRoute from '../../../app/routes/admin.dashboards.iiko';
import * as paymentsRoute from '../../../app/routes/admin.dashboards.payments';
import {
  createIikoSyncJob,
  createOrder,
  createOrderItem,
  createPaymentTransaction,
  createProduct,
  createStore,
} from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { BASE, contextFor } from '../auth/helpers';
import { adminSession, type Session } from '../../support/staff-requests';

/**
 * Issue 8: with DATABASE_REPLICA_URL set, the dashboard loaders read the replica and write
 * nothing. The "replica" is this file's database reached through a role whose sessions are
 * read-only (`default_transaction_read_only = on`), as on a streaming standby: any write a loader
 * attempted would fail. The rollups are refreshed on the primary by the worker's periodic task.
 */

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

let testDb: TestDatabase;
let admin: Session;
let role: string;
let replicaUrl: string;
let storeId: number;
const HOUR = 3_600_000;

async function superuser<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(testDb.url);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function refreshOnPrimary(): Promise<void> {
  const task = periodicTasks.find((t) => t.name === 'dashboards.refresh_rollups')!;
  await task.run(testDb.db, { signal: new AbortController().signal });
}

async function load<T>(loader: Loader, path: string): Promise<T> {
  const request = new Request(`${BASE}${path}`, { headers: { Cookie: admin.cookie } });
  const result = await loader({ request, params: {}, context: contextFor(testDb) });
  expect(result).toBeInstanceOf(Response);
  expect((result as Response).status).toBe(200);
  return (await (result as Response).json()) as T;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  role = `ctea_replica_${crypto.randomBytes(4).toString('hex')}`;
  const password = crypto.randomBytes(12).toString('hex');
  await sql`create role ${sql.id(role)} login password ${sql.lit(password)}`.execute(testDb.db);
  await sql`alter role ${sql.id(role)} set default_transaction_read_only = on`.execute(testDb.db);
  await sql`grant connect on database ${sql.id(testDb.name)} to ${sql.id(role)}`.execute(testDb.db);
  for (const schema of ['public', 'dashboards']) {
    await sql`grant usage on schema ${sql.id(schema)} to ${sql.id(role)}`.execute(testDb.db);
    await sql`grant select on all tables in schema ${sql.id(schema)} to ${sql.id(role)}`.execute(
      testDb.db,
    );
  }
  const url = new URL(testDb.url);
  url.username = role;
  url.password = password;
  replicaUrl = url.toString();

  admin = await adminSession(testDb);
  storeId = (await createStore(testDb.db)).id;
  const product = await createProduct(testDb.db, { base_price: '250.00' });
  const at = new Date(Date.now() - 2 * HOUR);
  const order = await createOrder(testDb.db, {
    store_id: storeId,
    status: 'COMPLETED',
    subtotal_amount: '250.00',
    created_at: at,
  });
  await createOrderItem(testDb.db, order.id, { product_id: product.id, quantity: 1 });
  const held = new Date(at.getTime() + 30_000);
  await createPaymentTransaction(testDb.db, order, {
    status: 'SUCCEEDED',
    authorized_at: held,
    captured_at: held,
    created_at: at,
  });
  const failedOrder = await createOrder(testDb.db, { store_id: storeId, created_at: at });
  await createPaymentTransaction(testDb.db, failedOrder, {
    status: 'FAILED',
    failure_code: 'invalid_request',
    created_at: at,
  });
  const job = await createIikoSyncJob(testDb.db, { status: 'COMPLETED', attempt_count: 1 });
  await testDb.db
    .insertInto('iiko_sync_log')
    .values({
      job_id: job.id,
      attempt_number: 1,
      started_at: new Date(at.getTime() - 1_000),
      finished_at: at,
      duration_ms: 1_000,
      success: true,
    })
    .execute();

  await refreshOnPrimary();
  process.env.DATABASE_REPLICA_URL = replicaUrl;
  await useAppDatabase(testDb);
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  delete process.env.DATABASE_REPLICA_URL;
  resetEnvCache();
  await testDb?.destroy();
  // the role owns nothing; its grants went with the database
  if (role) await superuser((c) => c.query(`drop role if exists ${role}`)).catch(() => {});
});

describe('dashboards on a read-only replica (DATABASE_REPLICA_URL)', () => {
  it('the replica connection is the read-only role, and it refuses the rollup refresh', async () => {
    const { getReadDb, getReplicaDb } = await import('../../../db/database.server');
    const replica = getReplicaDb()!;
    expect(getReadDb()).toBe(replica);
    const { rows } = await sql<{ user: string; ro: string }>`
      select current_user as user, current_setting('transaction_read_only') as ro
    `.execute(replica);
    expect(rows[0]).toEqual({ user: role, ro: 'on' });
    // what the loaders did before issue 8: a refresh on read. On this connection it cannot work.
    await expect(refreshRollup(replica, 'orders', { maxStalenessMs: 0 })).rejects.toMatchObject({
      code: '25006',
    });
  });

  it('every dashboard loader succeeds and shows the rollups as the worker refreshed them', async () => {
    const overview = await load<{
      overview: { paidOrders: number; placedOrders: number; revenue: number; asOf: string };
    }>(overviewRoute.loader, '/admin/dashboards');
    expect(overview.overview).toMatchObject({ paidOrders: 1, placedOrders: 2, revenue: 25_000 });

    const payments = await load<{
      totals: { failed: number; succeeded: number };
      reasons: { code: string | null; count: number }[];
      asOf: string;
    }>(paymentsRoute.loader, '/admin/dashboards/payments');
    expect(payments.totals).toMatchObject({ failed: 1, succeeded: 1 });
    expect(payments.reasons).toEqual([{ code: 'invalid_request', count: 1 }]);

    const iiko = await load<{
      types: { jobType: string; attempts: number; successes: number }[];
      asOf: string;
    }>(iikoRoute.loader, '/admin/dashboards/iiko');
    expect(iiko.types.find((t) => t.jobType === 'MENU_IMPORT')).toMatchObject({
      attempts: 1,
      successes: 1,
    });

    const [state] = await testDb.db
      .selectFrom(sql`dashboards.refresh_state`.as('s'))
      .select(sql<Date>`max(refreshed_through)`.as('at'))
      .execute();
    for (const asOf of [overview.overview.asOf, payments.asOf, iiko.asOf]) {
      expect(new Date(asOf).getTime()).toBeLessThanOrEqual(state!.at.getTime());
    }
  });

  it('do not refresh: a new order shows only after the worker refreshes the rollups', async () => {
    await createOrder(testDb.db, {
      store_id: storeId,
      status: 'CONFIRMED',
      subtotal_amount: '100.00',
      created_at: new Date(Date.now() - HOUR),
    });
    type Overview = { overview: { paidOrders: number; revenue: number } };
    const before = await load<Overview>(overviewRoute.loader, '/admin/dashboards');
    expect(before.overview).toMatchObject({ paidOrders: 1, revenue: 25_000 });

    await refreshOnPrimary();
    const after = await load<Overview>(overviewRoute.loader, '/admin/dashboards');
    expect(after.overview).toMatchObject({ paidOrders: 2, revenue: 35_000 });
  });
});
