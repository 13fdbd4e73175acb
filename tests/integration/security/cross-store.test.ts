import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import {
  BASE,
  buildWorld,
  changedTables,
  fingerprint,
  invoke,
  paramsFor,
  ROUTES,
  type Reply,
  type World,
} from './helpers';

/**
 * Another store's resources by id (issue 8 acceptance, RB-2): every `/manage/$storeId/*` route
 * module, found from the file list so a new one is covered without editing this file, is called by
 * the manager of store A (a) with store B's id in the path, and (b) under A's own id but pointing
 * at B's orders, scans and products through path params, query strings and form fields. Each is
 * refused 403 (another store) or 404 (an id that is not in this store), never shows B's data, and
 * the database does not move.
 */

const manageRoutes = ROUTES.filter((r) => r.name.startsWith('manage.$storeId'));

let testDb: TestDatabase;
let world: World;
/** Strings that only store B's rows contain: none may appear in an answer under store A. */
let secretsOfB: string[];

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  world = await buildWorld(testDb);
  secretsOfB = [
    world.storeB.code,
    world.storeB.name_ru,
    world.orderB.public_token,
    world.scanB.client_event_id,
    world.shopB.dear.name_ru,
    world.shopB.dear.sku,
  ];
  // a distinctive cashier name on B's scan, so the CSV and the scan list can be searched for it
  await testDb.db
    .updateTable('offline_scan_log')
    .set({ scanned_by: 'cashier-of-store-b' })
    .where('id', '=', world.scanB.id)
    .execute();
  secretsOfB.push('cashier-of-store-b');
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb?.destroy();
});

/** Form bodies that point an action at store B's rows (every intent the /manage actions know). */
function hostileBodies(csrf: string): Record<string, string>[] {
  const orderB = String(world.orderB.id);
  return [
    { csrf, intent: 'status', orderId: orderB, to: 'PREPARING', from: 'CONFIRMED' },
    { csrf, intent: 'status', orderId: orderB, to: 'CANCELLED', reason: 'cross-store test' },
    { csrf, intent: 'retry-refund', orderId: orderB },
    { csrf, intent: 'unmatch', scanId: String(world.scanB.id) },
    {
      csrf,
      intent: 'match',
      scanId: String(world.scanB.id),
      orderNumber: world.orderB.order_number,
    },
    {
      csrf,
      intent: 'set-stock',
      productId: String(world.shopB.dear.id),
      stockStatus: 'OUT_OF_STOCK',
    },
  ];
}

/** Query strings that try to widen a list to store B. */
function hostileQueries(): string[] {
  const b = String(world.storeB.id);
  return [
    '',
    `?store=${b}`,
    `?storeId=${b}`,
    `?q=${encodeURIComponent(world.orderB.order_number)}`,
    `?orderId=${world.orderB.id}`,
  ];
}

function leaked(reply: Reply): string[] {
  const text = reply.text || JSON.stringify(reply.body ?? '');
  return secretsOfB.filter((s) => text.includes(s));
}

describe("another store's resources by id (every /manage/$storeId route)", () => {
  it('finds the manage routes from the file list', () => {
    expect(manageRoutes.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'manage.$storeId',
        'manage.$storeId.orders.$orderId',
        'manage.$storeId.scans',
        'manage.$storeId.scans[.]csv',
        'manage.$storeId.menu',
      ]),
    );
  });

  it("answers 403 to store A's manager for store B's id in the path (loaders and actions); nothing changes", async () => {
    const before = await fingerprint(testDb.db);
    for (const route of manageRoutes) {
      const mod = await route.load();
      const params = paramsFor(route.name, world, {
        storeId: String(world.storeB.id),
        orderId: String(world.orderB.id),
      });
      const path = `/manage/${world.storeB.id}`;
      if (mod.loader) {
        for (const query of hostileQueries()) {
          const reply = await invoke(
            mod.loader,
            testDb,
            { path: `${path}${query}`, cookie: world.managerA.cookie },
            params,
          );
          expect(reply.status, `${route.name} loader ${query}`).toBe(403);
          expect(leaked(reply), `${route.name} loader ${query}`).toEqual([]);
        }
      }
      if (mod.action) {
        for (const form of hostileBodies(world.managerA.csrf)) {
          const reply = await invoke(
            mod.action,
            testDb,
            { path, cookie: world.managerA.cookie, origin: BASE, form },
            params,
          );
          expect(reply.status, `${route.name} action ${form.intent}`).toBe(403);
        }
      }
    }
    expect(changedTables(before, await fingerprint(testDb.db))).toEqual([]);
  });

  it("under A's own id, B's orders, scans and products are not found and never shown; nothing changes", async () => {
    const before = await fingerprint(testDb.db);
    for (const route of manageRoutes) {
      const mod = await route.load();
      // B's order in A's URL (orders/$orderId); every other param is A's own
      const params = paramsFor(route.name, world, { orderId: String(world.orderB.id) });
      const path = `/manage/${world.storeA.id}`;
      if (mod.loader) {
        for (const query of hostileQueries()) {
          const reply = await invoke(
            mod.loader,
            testDb,
            { path: `${path}${query}`, cookie: world.managerA.cookie },
            params,
          );
          const expected = params.orderId ? [404] : [200];
          expect(expected, `${route.name} loader ${query}: ${reply.status}`).toContain(
            reply.status,
          );
          expect(leaked(reply), `${route.name} loader ${query}`).toEqual([]);
        }
      }
      if (mod.action) {
        for (const form of hostileBodies(world.managerA.csrf)) {
          const reply = await invoke(
            mod.action,
            testDb,
            { path, cookie: world.managerA.cookie, origin: BASE, form },
            params,
          );
          // 404 (not in this store), 403 (an intent the manager's role may not use at all, the
          // refund retry), or 400 when the route does not know the intent
          expect([400, 403, 404], `${route.name} action ${form.intent}: ${reply.status}`).toContain(
            reply.status,
          );
          expect(leaked(reply), `${route.name} action ${form.intent}`).toEqual([]);
        }
      }
    }
    expect(changedTables(before, await fingerprint(testDb.db))).toEqual([]);
  });

  it("A's own resources are served to A's manager (the refusals above are about scope, not a broken route)", async () => {
    const board = ROUTES.find((r) => r.name === 'manage.$storeId.orders.$orderId')!;
    const reply = await invoke(
      (await board.load()).loader!,
      testDb,
      {
        path: `/manage/${world.storeA.id}/orders/${world.orderA.id}`,
        cookie: world.managerA.cookie,
      },
      { storeId: String(world.storeA.id), orderId: String(world.orderA.id) },
    );
    expect(reply.status).toBe(200);
    const csv = ROUTES.find((r) => r.name === 'manage.$storeId.scans[.]csv')!;
    const csvReply = await invoke(
      (await csv.load()).loader!,
      testDb,
      { path: `/manage/${world.storeA.id}/scans.csv`, cookie: world.managerA.cookie },
      { storeId: String(world.storeA.id) },
    );
    expect(csvReply.status).toBe(200);
    expect(csvReply.text).toContain(world.scanA.scanned_by);
  });
});
