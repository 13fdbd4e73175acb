import type { LoaderFunctionArgs } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemberSession } from '~/auth/session.server';
import * as layoutRoute from '../../../app/routes/admin.dashboards';
import * as overviewRoute from '../../../app/routes/admin.dashboards._index';
import * as iikoRoute from '../../../app/routes/admin.dashboards.iiko';
import * as paymentsRoute from '../../../app/routes/admin.dashboards.payments';
import { createMember, createStore } from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { BASE, contextFor } from '../auth/helpers';
import { adminSession, managerSession, type Session } from '../../support/staff-requests';

/**
 * The dashboards are ADMIN only (RB-1): each loader refuses a store manager (403), a signed-in
 * customer and an anonymous visitor (sign-in redirect), and serves an admin — also with
 * malformed filters, which fall back to the defaults instead of failing.
 */

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

let testDb: TestDatabase;
let admin: Session;
let manager: Session;
let memberCookie: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  const store = await createStore(testDb.db);
  admin = await adminSession(testDb);
  manager = await managerSession(testDb, [store.id]);
  const member = await createMember(testDb.db);
  memberCookie = `ctea_session=${(await createMemberSession(testDb.db, { memberId: member.id })).token}`;
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb?.destroy();
});

async function call(loader: Loader, path: string, cookie?: string): Promise<Response | unknown> {
  const request = new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
  try {
    return await loader({ request, params: {}, context: contextFor(testDb) });
  } catch (err) {
    if (err instanceof Response) return err;
    throw err;
  }
}

const status = (result: unknown) => (result instanceof Response ? result.status : 200);

const LOADERS: [string, Loader, string][] = [
  ['layout', layoutRoute.loader, '/admin/dashboards'],
  ['overview', overviewRoute.loader, '/admin/dashboards'],
  ['payments', paymentsRoute.loader, '/admin/dashboards/payments'],
  ['iiko', iikoRoute.loader, '/admin/dashboards/iiko'],
];

describe('dashboard loaders', () => {
  it.each(LOADERS)('%s refuses a store manager', async (_name, loader, path) => {
    expect(status(await call(loader, path, manager.cookie))).toBe(403);
  });

  it.each(LOADERS)(
    '%s sends a customer and an anonymous visitor to sign-in',
    async (_n, loader, path) => {
      for (const cookie of [memberCookie, undefined]) {
        const result = await call(loader, path, cookie);
        expect(status(result)).toBe(302);
        expect((result as Response).headers.get('Location')).toMatch(/^\/login/);
      }
    },
  );

  it.each(LOADERS)('%s serves an admin, also with malformed filters', async (_n, loader, path) => {
    expect(status(await call(loader, path, admin.cookie))).toBe(200);
    const bad = `${path}?from=2026-02-31&to=yesterday&bucket=week&store=-1&provider=PAYPAL`;
    expect(status(await call(loader, bad, admin.cookie))).toBe(200);
  });

  it('shows the payment_failure_rate alert state on the payments page', async () => {
    const result = (await call(
      paymentsRoute.loader,
      '/admin/dashboards/payments',
      admin.cookie,
    )) as Response;
    const body = (await result.json()) as { alert: { rule: string; firing: boolean } };
    expect(body.alert).toMatchObject({ rule: 'payment_failure_rate', firing: false });
  });
});
