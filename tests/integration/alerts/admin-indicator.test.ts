import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAlertState } from '~/features/alerts/alerts.service.server';
import { loader } from '~/routes/admin';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { adminSession, callLoader, managerSession } from '../../support/staff-requests';

/** DA-3: the admin layout's loader carries the firing alerts the header indicator shows. */

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
});
afterAll(async () => {
  await testDb?.destroy();
});

describe('admin layout loader', () => {
  it('lists the firing rules only, for admins only', async () => {
    const admin = await adminSession(testDb);
    expect((await callLoader(testDb, loader, admin, '/admin')).body).toEqual({ alerts: [] });

    await recordAlertState(testDb.db, { rule: 'iiko_sync_failures', firing: true, value: 4 });
    await recordAlertState(testDb.db, { rule: 'api_latency', firing: true, value: 3 });
    await recordAlertState(testDb.db, { rule: 'api_latency', firing: false, value: 0.2 });
    expect((await callLoader(testDb, loader, admin, '/admin')).body).toEqual({
      alerts: [{ rule: 'iiko_sync_failures', severity: 'P1' }],
    });

    const manager = await managerSession(testDb, []);
    const denied = await callLoader(testDb, loader, manager, '/admin');
    expect(denied.status).toBeGreaterThanOrEqual(300);
    expect(denied.body).not.toEqual(expect.objectContaining({ alerts: expect.anything() }));
  });
});
