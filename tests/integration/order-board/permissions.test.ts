import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemberSession } from '~/auth/session.server';
import * as manageOrdersLayout from '~/routes/manage.$storeId.orders';
import * as adminOrdersLayout from '~/routes/admin.orders';
import { createMember, createStore } from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import {
  adminSession,
  callAction,
  callLoader,
  managerSession,
  type Session,
} from '../../support/staff-requests';
import { BASE, contextFor } from '../auth/helpers';
import {
  adminBoard,
  adminHistory,
  adminOrder,
  manageBoard,
  manageHistory,
  manageOrder,
  orderIn,
  snapshot,
} from './helpers';

/**
 * The permission matrix of the order board (issue 6 acceptance, RB-1, RB-2): every /manage orders
 * loader and action refuses a manager of another store, a customer (MEMBER session) and an
 * anonymous caller; an order of another store is not found under a store's URL; a manager cannot
 * refund; and no refused call changes anything in the database.
 */

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;

let testDb: TestDatabase;
let storeA: number;
let storeB: number;
let managerA: Session;
let managerB: Session;
let admin: Session;
let memberCookie: string;
let orderA: number;
let completedA: number;
let orderB: number;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  storeA = (await createStore(testDb.db)).id;
  storeB = (await createStore(testDb.db)).id;
  managerA = await managerSession(testDb, [storeA]);
  managerB = await managerSession(testDb, [storeB]);
  admin = await adminSession(testDb);
  const member = await createMember(testDb.db);
  const session = await createMemberSession(testDb.db, { memberId: member.id });
  memberCookie = `ctea_session=${session.token}`;
  orderA = (await orderIn(testDb.db, storeA, 'CONFIRMED')).id;
  completedA = (await orderIn(testDb.db, storeA, 'COMPLETED')).id;
  orderB = (await orderIn(testDb.db, storeB, 'CONFIRMED')).id;
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb?.destroy();
});

const manageLoaders: [string, Loader, (store: number) => Record<string, string>][] = [
  ['orders layout', manageOrdersLayout.loader, (s) => ({ storeId: String(s) })],
  ['board', manageBoard.loader, (s) => ({ storeId: String(s) })],
  ['history', manageHistory.loader, (s) => ({ storeId: String(s) })],
  ['order page', manageOrder.loader, (s) => ({ storeId: String(s), orderId: String(orderA) })],
];
const manageActions: [string, Action, (store: number) => Record<string, string>][] = [
  ['board', manageBoard.action, (s) => ({ storeId: String(s) })],
  ['order page', manageOrder.action, (s) => ({ storeId: String(s), orderId: String(orderA) })],
];
const moveA = () => ({ intent: 'status', orderId: String(orderA), to: 'PREPARING' });

/** A request with an arbitrary cookie (or none), the way the server hands it to a route. */
async function raw(
  fn: Loader | Action,
  method: 'GET' | 'POST',
  params: Record<string, string>,
  cookie: string | null,
  fields: Record<string, string> = {},
): Promise<{ status: number; location: string | null }> {
  const request = new Request(`${BASE}/manage/${params.storeId}/orders`, {
    method,
    headers: cookie ? { Cookie: cookie } : {},
    body: method === 'POST' ? new URLSearchParams(fields) : undefined,
  });
  try {
    const result = await fn({ request, params, context: contextFor(testDb) });
    return result instanceof Response
      ? { status: result.status, location: result.headers.get('Location') }
      : { status: 200, location: null };
  } catch (err) {
    if (err instanceof Response)
      return { status: err.status, location: err.headers.get('Location') };
    throw err;
  }
}

describe('/manage/$storeId/orders loaders', () => {
  it('serve the manager of the store', async () => {
    for (const [name, loader, params] of manageLoaders) {
      const answer = await callLoader(testDb, loader, managerA, '/manage', params(storeA));
      expect(answer.status, name).toBe(200);
    }
  });

  it('refuse a manager of another store (403), a customer and an anonymous caller (sign-in)', async () => {
    for (const [name, loader, params] of manageLoaders) {
      const other = await callLoader(testDb, loader, managerB, '/manage', params(storeA));
      expect(other.status, `${name}: other store's manager`).toBe(403);
      for (const cookie of [memberCookie, null]) {
        const answer = await raw(loader, 'GET', params(storeA), cookie);
        expect(answer.status, `${name}: ${cookie ? 'member' : 'anonymous'}`).toBe(302);
        expect(answer.location).toMatch(/^\/login\?redirectTo=/);
      }
    }
  });

  it("answer 404 for another store's order under the store's URL, also to an admin", async () => {
    for (const session of [managerA, admin]) {
      const answer = await callLoader(testDb, manageOrder.loader, session, '/manage', {
        storeId: String(storeA),
        orderId: String(orderB),
      });
      expect(answer.status).toBe(404);
    }
    const malformed = await callLoader(testDb, manageOrder.loader, managerA, '/manage', {
      storeId: String(storeA),
      orderId: '1e3',
    });
    expect(malformed.status).toBe(404);
  });

  it("never list another store's orders on the board or in the history", async () => {
    const board = await callLoader(testDb, manageBoard.loader, managerA, '/manage', {
      storeId: String(storeA),
    });
    const ids = (board.body as { board: { active: { id: number }[] } }).board.active.map(
      (c) => c.id,
    );
    expect(ids).toContain(orderA);
    expect(ids).not.toContain(orderB);
    // a store filter in the URL cannot widen a store's history
    const history = await callLoader(
      testDb,
      manageHistory.loader,
      managerA,
      `/manage/${storeA}/orders/history?store=${storeB}`,
      { storeId: String(storeA) },
    );
    const rows = (history.body as { rows: { id: number }[] }).rows.map((r) => r.id);
    expect(rows).toContain(orderA);
    expect(rows).not.toContain(orderB);
  });
});

describe('/manage/$storeId/orders actions', () => {
  it('refuse a manager of another store, a customer and an anonymous caller; nothing changes', async () => {
    const before = await snapshot(testDb.db);
    for (const [name, action, params] of manageActions) {
      const other = await callAction(testDb, action, managerB, moveA(), { params: params(storeA) });
      expect(other.status, `${name}: other store's manager`).toBe(403);
      // the other store's manager in their own store cannot reach this store's order either
      const ownUrl = await callAction(testDb, action, managerB, moveA(), {
        params: params(storeB),
      });
      expect(ownUrl.status, `${name}: other store's URL`).toBe(404);
      for (const cookie of [memberCookie, null]) {
        const answer = await raw(action, 'POST', params(storeA), cookie, moveA());
        expect(answer.status, `${name}: ${cookie ? 'member' : 'anonymous'}`).toBe(401);
      }
    }
    expect(await snapshot(testDb.db)).toEqual(before);
  });

  it("refuse a change of another store's order through the store's URL (404), and a missing CSRF token (403)", async () => {
    const before = await snapshot(testDb.db);
    const foreign = { intent: 'status', orderId: String(orderB), to: 'PREPARING' };
    const viaBoard = await callAction(testDb, manageBoard.action, managerA, foreign, {
      params: { storeId: String(storeA) },
    });
    expect(viaBoard.status).toBe(404);
    const viaPage = await callAction(testDb, manageOrder.action, managerA, moveA(), {
      params: { storeId: String(storeA), orderId: String(orderB) },
    });
    expect(viaPage.status).toBe(404);
    const asAdmin = await callAction(testDb, manageBoard.action, admin, foreign, {
      params: { storeId: String(storeA) },
    });
    expect(asAdmin.status).toBe(404);
    const noCsrf = await callAction(testDb, manageBoard.action, managerA, moveA(), {
      params: { storeId: String(storeA) },
      csrf: false,
    });
    expect(noCsrf.status).toBe(403);
    expect(await snapshot(testDb.db)).toEqual(before);
  });

  it('refuse a manager the refund of a completed order and refund retries (ADMIN only)', async () => {
    const before = await snapshot(testDb.db);
    const refund = await callAction(
      testDb,
      manageOrder.action,
      managerA,
      { intent: 'status', to: 'REFUNDED', reason: 'гость недоволен' },
      { params: { storeId: String(storeA), orderId: String(completedA) } },
    );
    expect(refund.status).toBe(403);
    const retry = await callAction(
      testDb,
      manageBoard.action,
      managerA,
      { intent: 'retry-refund', orderId: String(completedA) },
      { params: { storeId: String(storeA) } },
    );
    expect(retry.status).toBe(403);
    expect(await snapshot(testDb.db)).toEqual(before);
  });

  it('answer 400 to an unknown intent or a malformed body; nothing changes', async () => {
    const before = await snapshot(testDb.db);
    const bodies: Record<string, string>[] = [
      { intent: 'delete', orderId: String(orderA) },
      { intent: 'status', orderId: 'abc', to: 'PREPARING' },
      { intent: 'status', orderId: String(orderA), to: 'SHIPPED' },
      { intent: 'status', orderId: String(orderA), to: 'PREPARING', from: 'NOPE' },
    ];
    for (const fields of bodies) {
      const answer = await callAction(testDb, manageBoard.action, managerA, fields, {
        params: { storeId: String(storeA) },
      });
      expect(answer.status, JSON.stringify(fields)).toBe(400);
    }
    expect(await snapshot(testDb.db)).toEqual(before);
  });
});

describe('/admin/orders', () => {
  const adminLoaders: [string, Loader][] = [
    ['layout', adminOrdersLayout.loader],
    ['board', adminBoard.loader],
    ['history', adminHistory.loader],
    ['order page', adminOrder.loader],
  ];

  it('refuses store managers every loader and action; nothing changes', async () => {
    const before = await snapshot(testDb.db);
    for (const [name, loader] of adminLoaders) {
      const answer = await callLoader(testDb, loader, managerA, '/admin/orders', {
        orderId: String(orderA),
      });
      expect(answer.status, name).toBe(403);
    }
    for (const action of [adminBoard.action, adminOrder.action]) {
      const answer = await callAction(testDb, action, managerA, moveA(), {
        params: { orderId: String(orderA) },
      });
      expect(answer.status).toBe(403);
    }
    expect(await snapshot(testDb.db)).toEqual(before);
  });

  it('shows an admin every store, the order page of any store, and 404 for an unknown order', async () => {
    const board = await callLoader(testDb, adminBoard.loader, admin, '/admin/orders');
    const ids = (board.body as { board: { active: { id: number }[] } }).board.active.map(
      (c) => c.id,
    );
    expect(ids).toEqual(expect.arrayContaining([orderA, orderB]));
    const onlyB = await callLoader(
      testDb,
      adminBoard.loader,
      admin,
      `/admin/orders?store=${storeB}`,
    );
    const idsB = (onlyB.body as { board: { active: { id: number }[] } }).board.active.map(
      (c) => c.id,
    );
    expect(idsB).toContain(orderB);
    expect(idsB).not.toContain(orderA);
    const page = await callLoader(testDb, adminOrder.loader, admin, '/admin/orders', {
      orderId: String(orderB),
    });
    expect(page.status).toBe(200);
    const missing = await callLoader(testDb, adminOrder.loader, admin, '/admin/orders', {
      orderId: '2147483647',
    });
    expect(missing.status).toBe(404);
  });
});
