import type { ActionFunction, LoaderFunction } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../factories';
import { createAdmin, createStaff, createStaffSession } from '../../factories/staff';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';

/**
 * Every loader and action guards itself (STYLE 2, RB-1, RB-2): this sweeps every route module, so
 * a new admin or manager route without its own guard fails here. A parent layout's loader does not
 * protect its children in Remix, so each module is called on its own.
 */
type RouteModule = { loader?: LoaderFunction; action?: ActionFunction };
const modules = import.meta.glob<RouteModule>('../../../app/routes/*.{ts,tsx}');
const routeName = (file: string) =>
  file
    .split('/')
    .pop()!
    .replace(/\.(ts|tsx)$/, '');
const routes = Object.entries(modules).map(([file, load]) => ({ name: routeName(file), load }));
const adminRoutes = routes.filter((r) => r.name === 'admin' || r.name.startsWith('admin.'));
const storeRoutes = routes.filter((r) => r.name.startsWith('manage.$storeId'));
const staffRoutes = [
  ...adminRoutes,
  ...storeRoutes,
  ...routes.filter((r) => r.name === 'manage' || r.name === 'manage._index'),
];

const BASE = 'http://localhost:3000';

async function outcome(call: () => unknown): Promise<number> {
  try {
    const result = await call();
    return result instanceof Response ? result.status : 200;
  } catch (err) {
    if (err instanceof Response) return err.status;
    throw err;
  }
}

function request(path: string, method: 'GET' | 'POST', cookie?: string): Request {
  const headers: Record<string, string> = cookie ? { Cookie: cookie } : {};
  return new Request(`${BASE}${path}`, {
    method,
    headers,
    body: method === 'POST' ? new URLSearchParams({ intent: 'probe' }) : undefined,
  });
}

describe('route guards', () => {
  let testDb: TestDatabase;
  let ownStore: number;
  let otherStore: number;
  let managerCookie: string;
  let adminCookie: string;
  const context = () => ({ requestId: 'guard-sweep', db: testDb.db, clientIp: '127.0.0.1' });

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await useAppDatabase(testDb);
    ownStore = (await createStore(testDb.db)).id;
    otherStore = (await createStore(testDb.db)).id;
    const manager = await createStaff(testDb.db, { role: 'STORE_MANAGER', storeIds: [ownStore] });
    managerCookie = (await createStaffSession(testDb.db, manager.id)).cookie;
    const admin = await createAdmin(testDb.db);
    adminCookie = (await createStaffSession(testDb.db, admin.id)).cookie;
  });

  afterAll(async () => {
    await testDb?.destroy();
  });

  it('finds the admin and manager routes', () => {
    expect(adminRoutes.length).toBeGreaterThanOrEqual(10);
    expect(storeRoutes.length).toBeGreaterThanOrEqual(2);
    // the order board's modules (issue 6): each guards its own loader and action
    expect(storeRoutes.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'manage.$storeId.orders',
        'manage.$storeId.orders._index',
        'manage.$storeId.orders.history',
        'manage.$storeId.orders.$orderId',
      ]),
    );
    expect(adminRoutes.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'admin.orders',
        'admin.orders._index',
        'admin.orders.history',
        'admin.orders.$orderId',
      ]),
    );
  });

  it('sends anonymous visitors to sign-in and refuses anonymous writes', async () => {
    for (const route of staffRoutes) {
      const mod = await route.load();
      const params = { storeId: String(ownStore) };
      if (mod.loader) {
        const status = await outcome(() =>
          mod.loader!({ request: request('/x', 'GET'), params, context: context() }),
        );
        expect(status, `${route.name} loader`).toBe(302);
      }
      if (mod.action) {
        const status = await outcome(() =>
          mod.action!({ request: request('/x', 'POST'), params, context: context() }),
        );
        expect(status, `${route.name} action`).toBe(401);
      }
    }
  });

  it('answers 403 to a store manager on every /admin route', async () => {
    for (const route of adminRoutes) {
      const mod = await route.load();
      if (mod.loader) {
        const status = await outcome(() =>
          mod.loader!({
            request: request('/admin', 'GET', managerCookie),
            params: {},
            context: context(),
          }),
        );
        expect(status, `${route.name} loader`).toBe(403);
      }
      if (mod.action) {
        const status = await outcome(() =>
          mod.action!({
            request: request('/admin', 'POST', managerCookie),
            params: {},
            context: context(),
          }),
        );
        expect(status, `${route.name} action`).toBe(403);
      }
    }
  });

  it("answers 403 to a store manager on another store's /manage routes, and serves their own", async () => {
    for (const route of storeRoutes) {
      const mod = await route.load();
      if (!mod.loader) continue;
      const other = await outcome(() =>
        mod.loader!({
          request: request(`/manage/${otherStore}`, 'GET', managerCookie),
          params: { storeId: String(otherStore) },
          context: context(),
        }),
      );
      expect(other, `${route.name} other store`).toBe(403);
      const own = await outcome(() =>
        mod.loader!({
          request: request(`/manage/${ownStore}`, 'GET', managerCookie),
          params: { storeId: String(ownStore) },
          context: context(),
        }),
      );
      // a route with a path parameter besides the store's, called without it, answers 404
      const ownStatus = route.name.replace('$storeId', '').includes('$') ? 404 : 200;
      expect(own, `${route.name} own store`).toBe(ownStatus);
      const bad = await outcome(() =>
        mod.loader!({
          request: request('/manage/abc', 'GET', managerCookie),
          params: { storeId: 'abc' },
          context: context(),
        }),
      );
      expect(bad, `${route.name} malformed id`).toBe(404);
    }
  });

  it('serves every admin page to an admin', async () => {
    for (const route of adminRoutes) {
      const mod = await route.load();
      if (!mod.loader) continue;
      const status = await outcome(() =>
        mod.loader!({
          request: request('/admin', 'GET', adminCookie),
          params: {},
          context: context(),
        }),
      );
      // a route with a path parameter, called without it, answers 404 (never 500)
      expect(status, `${route.name} loader`).toBe(route.name.includes('$') ? 404 : 200);
    }
  });
});
