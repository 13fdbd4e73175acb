import type { ActionFunction, LoaderFunction } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemberSession } from '../../../app/auth/session.server';
import * as adminCsv from '../../../app/routes/admin.scans[.]csv';
import * as adminScans from '../../../app/routes/admin.scans';
import * as scanKey from '../../../app/routes/admin.stores.$storeId.scan-key';
import * as manageCsv from '../../../app/routes/manage.$storeId.scans[.]csv';
import * as manageScans from '../../../app/routes/manage.$storeId.scans';
import { createMember, createOrder, createScan, createStore } from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import {
  adminSession,
  callAction,
  callLoader,
  managerSession,
  type Answer,
  type Session,
} from '../../support/staff-requests';
import { BASE, contextFor } from '../auth/helpers';
import { activeCode, sha256Hex } from './helpers';

/**
 * The scan logs (/manage/$storeId/scans, /admin/scans, their CSV exports), manual matching from
 * them, the device key page, and the permission matrix of all of them: a manager of another
 * store, a signed-in customer and an anonymous caller are refused and nothing changes.
 */

let testDb: TestDatabase;
let admin: Session;
let manager: Session;
let otherManager: Session;
let memberCookie: string;
let storeId: number;
let otherStoreId: number;
let code: { id: number; code: string };
let otherCode: { id: number; code: string };

interface LogData {
  rows: {
    id: number;
    code: string;
    storeCode: string;
    scanType: string;
    matched: boolean;
    orderNumber: string | null;
    dupCount: number;
  }[];
  counts: {
    total: number;
    unmatched: number;
    matched: number;
    withDuplicates: number;
    repeats: number;
  };
  pagination: { page: number; pageSize: number; total: number };
  suggestions: Record<string, { orderNumber: string }[]>;
  stores?: { id: number; code: string }[];
}

const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms);

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  storeId = (await createStore(testDb.db, { code: 'SCN-OWN' })).id;
  otherStoreId = (await createStore(testDb.db, { code: 'SCN-OTHER' })).id;
  admin = await adminSession(testDb);
  manager = await managerSession(testDb, [storeId]);
  otherManager = await managerSession(testDb, [otherStoreId]);
  const member = await createMember(testDb.db);
  memberCookie = `ctea_session=${(await createMemberSession(testDb.db, { memberId: member.id })).token}`;
  code = (await activeCode(testDb.db)).code;
  otherCode = (await activeCode(testDb.db)).code;

  // own store: 3 POS scans of `code` (one with repeats), 1 QR scan of `otherCode`, yesterday and today
  await createScan(testDb.db, {
    store_id: storeId,
    campaign_code_id: code.id,
    scanned_at: ago(MINUTE),
  });
  await createScan(testDb.db, {
    store_id: storeId,
    campaign_code_id: code.id,
    scanned_at: ago(2 * MINUTE),
    dup_count: 3,
    last_dup_at: ago(MINUTE),
  });
  await createScan(testDb.db, {
    store_id: storeId,
    campaign_code_id: code.id,
    scanned_at: ago(3 * MINUTE),
  });
  await createScan(testDb.db, {
    store_id: storeId,
    campaign_code_id: otherCode.id,
    scan_type: 'QR',
    scanned_at: ago(26 * 60 * MINUTE),
  });
  // other store: 2 scans
  await createScan(testDb.db, { store_id: otherStoreId, campaign_code_id: code.id });
  await createScan(testDb.db, { store_id: otherStoreId, campaign_code_id: otherCode.id });
});

afterAll(async () => {
  await testDb?.destroy();
});

const data = (answer: Answer) => {
  expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(200);
  return answer.body as LogData;
};
const manageList = (query = '', session = manager) =>
  callLoader(testDb, manageScans.loader, session, `/manage/${storeId}/scans${query}`, {
    storeId: String(storeId),
  });

async function scanState(id: number) {
  return testDb.db
    .selectFrom('offline_scan_log')
    .select(['matched', 'order_id', 'match_method'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

describe('the store scan log', () => {
  it("lists only the manager's store, newest first, with counts", async () => {
    const log = data(await manageList());
    expect(log.rows).toHaveLength(4);
    expect(log.rows.every((r) => r.storeCode === 'SCN-OWN')).toBe(true);
    expect(log.counts).toMatchObject({
      total: 4,
      unmatched: 4,
      matched: 0,
      withDuplicates: 1,
      repeats: 3,
    });
    expect(log.pagination).toEqual({ page: 1, pageSize: 50, total: 4 });
    expect(log.stores).toBeUndefined();
  });

  it('filters by code, type, duplicates, match state and date; a store filter means nothing here', async () => {
    expect(data(await manageList(`?code=${code.code.toLowerCase()}`)).rows).toHaveLength(3);
    expect(data(await manageList('?type=QR')).rows.map((r) => r.code)).toEqual([otherCode.code]);
    expect(data(await manageList('?dups=true')).rows.map((r) => r.dupCount)).toEqual([3]);
    expect(data(await manageList('?match=matched')).rows).toHaveLength(0);
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Moscow' }).format(
      ago(3 * MINUTE),
    );
    expect(
      data(await manageList(`?from=${today}&to=${today}`)).counts.total,
    ).toBeGreaterThanOrEqual(2);
    expect(data(await manageList('?from=2001-01-01&to=2001-01-02')).rows).toHaveLength(0);
    expect(data(await manageList(`?store=${otherStoreId}`)).rows).toHaveLength(4);
    expect(data(await manageList('?pageSize=2&page=2')).rows).toHaveLength(2);
    // nonsense parameters fall back to their defaults
    expect(data(await manageList('?match=maybe&type=FAX&page=-3&sort=evil')).rows).toHaveLength(4);
  });

  it('offers nearby orders of the store for an unmatched scan', async () => {
    const order = await createOrder(testDb.db, {
      store_id: storeId,
      status: 'CONFIRMED',
      payment_status: 'SUCCEEDED',
      created_at: ago(4 * MINUTE),
    });
    await createOrder(testDb.db, {
      store_id: otherStoreId,
      status: 'CONFIRMED',
      payment_status: 'SUCCEEDED',
      created_at: ago(4 * MINUTE),
    });
    const log = data(await manageList(`?code=${code.code}`));
    const offered = Object.values(log.suggestions)
      .flat()
      .map((s) => s.orderNumber);
    expect(new Set(offered)).toEqual(new Set([order.order_number]));
  });

  it('exports the filtered log as CSV for Excel', async () => {
    const answer = await callLoader(
      testDb,
      manageCsv.loader,
      manager,
      `/manage/${storeId}/scans.csv?code=${code.code}`,
      { storeId: String(storeId) },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(answer.text.startsWith('\uFEFF')).toBe(true);
    const lines = answer.text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toContain('Время сканирования (Europe/Moscow)');
    expect(lines).toHaveLength(1 + 3);
    expect(
      lines.slice(1).every((l) => l.includes(';SCN-OWN;') && l.includes(`;${code.code};`)),
    ).toBe(true);
  });
});

describe('manual matching from the store page', () => {
  const post = (fields: Record<string, string>, opts: { csrf?: boolean; session?: Session } = {}) =>
    callAction(testDb, manageScans.action, opts.session ?? manager, fields, {
      path: `/manage/${storeId}/scans?code=${code.code}`,
      params: { storeId: String(storeId) },
      csrf: opts.csrf,
    });

  it('matches by order number and unmatches, redirecting back to the same list', async () => {
    const scan = await createScan(testDb.db, { store_id: storeId, campaign_code_id: code.id });
    const order = await createOrder(testDb.db, {
      store_id: storeId,
      status: 'COMPLETED',
      payment_status: 'SUCCEEDED',
    });
    const matched = await post({
      intent: 'match',
      scanId: String(scan.id),
      orderNumber: ` ${order.order_number.toLowerCase()} `,
    });
    expect(matched.status).toBe(302);
    expect(matched.location).toBe(
      `/manage/${storeId}/scans?code=${code.code}&notice=matched&scan=${scan.id}`,
    );
    expect(await scanState(scan.id)).toEqual({
      matched: true,
      order_id: order.id,
      match_method: 'MANUAL',
    });

    const again = await post({
      intent: 'match',
      scanId: String(scan.id),
      orderNumber: order.order_number,
    });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: { code: 'SCAN_ALREADY_MATCHED', scanId: scan.id } });

    const unmatched = await post({ intent: 'unmatch', scanId: String(scan.id) });
    expect(unmatched.status).toBe(302);
    expect(await scanState(scan.id)).toEqual({
      matched: false,
      order_id: null,
      match_method: null,
    });
  });

  it("refuses another store's order (409) and another store's scan (404), changing nothing", async () => {
    const scan = await createScan(testDb.db, { store_id: storeId, campaign_code_id: code.id });
    const foreignScan = await createScan(testDb.db, {
      store_id: otherStoreId,
      campaign_code_id: code.id,
    });
    const foreignOrder = await createOrder(testDb.db, {
      store_id: otherStoreId,
      status: 'CONFIRMED',
      payment_status: 'SUCCEEDED',
    });
    const ownOrder = await createOrder(testDb.db, {
      store_id: storeId,
      status: 'CONFIRMED',
      payment_status: 'SUCCEEDED',
    });
    const mismatch = await post({
      intent: 'match',
      scanId: String(scan.id),
      orderNumber: foreignOrder.order_number,
    });
    expect(mismatch.status).toBe(409);
    expect(mismatch.body).toEqual({ error: { code: 'STORE_MISMATCH', scanId: scan.id } });
    const foreign = await post({
      intent: 'match',
      scanId: String(foreignScan.id),
      orderNumber: ownOrder.order_number,
    });
    expect(foreign.status).toBe(404);
    expect((await scanState(scan.id)).matched).toBe(false);
    expect((await scanState(foreignScan.id)).matched).toBe(false);

    expect((await post({ intent: 'match', scanId: 'x', orderNumber: '' })).status).toBe(400);
    expect((await post({ intent: 'delete', scanId: String(scan.id) })).status).toBe(400);
  });
});

describe('the admin scan log', () => {
  it('lists every store with a store filter, and exports it', async () => {
    const all = data(
      await callLoader(testDb, adminScans.loader, admin, '/admin/scans?pageSize=100'),
    );
    expect(new Set(all.rows.map((r) => r.storeCode))).toEqual(new Set(['SCN-OWN', 'SCN-OTHER']));
    expect(all.stores?.map((s) => s.code)).toEqual(
      expect.arrayContaining(['SCN-OWN', 'SCN-OTHER']),
    );
    const other = data(
      await callLoader(testDb, adminScans.loader, admin, `/admin/scans?store=${otherStoreId}`),
    );
    expect(other.rows.every((r) => r.storeCode === 'SCN-OTHER')).toBe(true);
    expect(other.counts.total).toBe(other.rows.length);

    const csv = await callLoader(
      testDb,
      adminCsv.loader,
      admin,
      `/admin/scans.csv?store=${otherStoreId}`,
    );
    expect(csv.status).toBe(200);
    const lines = csv.text.slice(1).trimEnd().split('\r\n');
    expect(lines.length - 1).toBe(other.counts.total);
    expect(lines.slice(1).every((l) => l.includes(';SCN-OTHER;'))).toBe(true);
  });

  it('lets an admin match a scan of any store', async () => {
    const scan = await createScan(testDb.db, { store_id: otherStoreId, campaign_code_id: code.id });
    const order = await createOrder(testDb.db, {
      store_id: otherStoreId,
      status: 'READY',
      payment_status: 'SUCCEEDED',
    });
    const answer = await callAction(
      testDb,
      adminScans.action,
      admin,
      { intent: 'match', scanId: String(scan.id), orderNumber: order.order_number },
      { path: '/admin/scans' },
    );
    expect(answer.status).toBe(302);
    expect((await scanState(scan.id)).order_id).toBe(order.id);
  });
});

describe('the scan device key page', () => {
  const keyPath = (id: number) => `/admin/stores/${id}/scan-key`;

  it('rotates (showing the key once, storing its hash, auditing without it) and revokes', async () => {
    const store = await createStore(testDb.db);
    const params = { storeId: String(store.id) };
    const before = await callLoader(testDb, scanKey.loader, admin, keyPath(store.id), params);
    expect(before.body).toEqual({
      view: { hasKey: false, lastRotatedAt: null, lastRevokedAt: null },
    });

    const rotated = await callAction(
      testDb,
      scanKey.action,
      admin,
      { intent: 'rotate' },
      {
        path: keyPath(store.id),
        params,
      },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('Cache-Control')).toBe('no-store');
    const key = (rotated.body as { key: string }).key;
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await testDb.db
      .selectFrom('store')
      .select('scan_api_key_hash')
      .where('id', '=', store.id)
      .executeTakeFirstOrThrow();
    expect(row.scan_api_key_hash).toBe(sha256Hex(key));
    const after = await callLoader(testDb, scanKey.loader, admin, keyPath(store.id), params);
    expect((after.body as { view: { hasKey: boolean } }).view.hasKey).toBe(true);
    expect(JSON.stringify(after.body)).not.toContain(key);

    const revoked = await callAction(
      testDb,
      scanKey.action,
      admin,
      { intent: 'revoke' },
      {
        path: keyPath(store.id),
        params,
      },
    );
    expect(revoked.status).toBe(302);
    const audit = await testDb.db
      .selectFrom('audit_log')
      .select(['action', 'store_id', 'before', 'after'])
      .where('entity_type', '=', 'store')
      .where('entity_id', '=', String(store.id))
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'store.scan_key_rotate', store_id: store.id, before: null, after: null },
      { action: 'store.scan_key_revoke', store_id: store.id, before: null, after: null },
    ]);
    const cleared = await testDb.db
      .selectFrom('store')
      .select('scan_api_key_hash')
      .where('id', '=', store.id)
      .executeTakeFirstOrThrow();
    expect(cleared.scan_api_key_hash).toBeNull();
  });

  it('answers 404 for an unknown store and 403 without the CSRF token', async () => {
    const missing = await callLoader(testDb, scanKey.loader, admin, keyPath(999_999), {
      storeId: '999999',
    });
    expect(missing.status).toBe(404);
    const store = await createStore(testDb.db);
    const noCsrf = await callAction(
      testDb,
      scanKey.action,
      admin,
      { intent: 'rotate' },
      {
        path: keyPath(store.id),
        params: { storeId: String(store.id) },
        csrf: false,
      },
    );
    expect(noCsrf.status).toBe(403);
    const row = await testDb.db
      .selectFrom('store')
      .select('scan_api_key_hash')
      .where('id', '=', store.id)
      .executeTakeFirstOrThrow();
    expect(row.scan_api_key_hash).toBeNull();
  });
});

describe('permission matrix', () => {
  async function status(fn: () => unknown): Promise<number> {
    try {
      const result = await fn();
      return result instanceof Response ? result.status : 200;
    } catch (err) {
      if (err instanceof Response) return err.status;
      throw err;
    }
  }

  function get(path: string, cookie?: string) {
    return new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
  }
  function post(path: string, fields: Record<string, string>, cookie?: string) {
    return new Request(`${BASE}${path}`, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: cookie ? { Cookie: cookie } : {},
    });
  }

  it('refuses a manager of another store, a customer and an anonymous caller on /manage routes; nothing changes', async () => {
    const scan = await createScan(testDb.db, { store_id: storeId, campaign_code_id: code.id });
    const matchedScan = await createScan(testDb.db, {
      store_id: storeId,
      campaign_code_id: code.id,
    });
    const order = await createOrder(testDb.db, {
      store_id: storeId,
      status: 'CONFIRMED',
      payment_status: 'SUCCEEDED',
    });
    const other = await createOrder(testDb.db, {
      store_id: storeId,
      status: 'CONFIRMED',
      payment_status: 'SUCCEEDED',
    });
    expect(
      (
        await callAction(
          testDb,
          manageScans.action,
          manager,
          { intent: 'match', scanId: String(matchedScan.id), orderNumber: other.order_number },
          { path: `/manage/${storeId}/scans`, params: { storeId: String(storeId) } },
        )
      ).status,
    ).toBe(302);
    const snapshot = async () =>
      testDb.db
        .selectFrom('offline_scan_log')
        .select(['id', 'matched', 'order_id', 'updated_at'])
        .where('store_id', '=', storeId)
        .orderBy('id')
        .execute();
    const before = await snapshot();

    const callers: { who: string; cookie?: string; csrf?: string; get: number; post: number }[] = [
      {
        who: 'manager of another store',
        cookie: otherManager.cookie,
        csrf: otherManager.csrf,
        get: 403,
        post: 403,
      },
      { who: 'customer', cookie: memberCookie, get: 302, post: 401 },
      { who: 'anonymous', get: 302, post: 401 },
    ];
    const params = { storeId: String(storeId) };
    const loaders: [string, LoaderFunction][] = [
      ['scans', manageScans.loader],
      ['scans.csv', manageCsv.loader],
    ];
    const forms: Record<string, string>[] = [
      { intent: 'match', scanId: String(scan.id), orderNumber: order.order_number },
      { intent: 'unmatch', scanId: String(matchedScan.id) },
    ];
    for (const caller of callers) {
      for (const [name, loader] of loaders) {
        const path = `/manage/${storeId}/${name}`;
        expect(
          await status(() =>
            loader({ request: get(path, caller.cookie), params, context: contextFor(testDb) }),
          ),
          `${caller.who} GET ${name}`,
        ).toBe(caller.get);
      }
      for (const fields of forms) {
        const action = manageScans.action as ActionFunction;
        const path = `/manage/${storeId}/scans`;
        const body = caller.csrf ? { ...fields, csrf: caller.csrf } : fields;
        expect(
          await status(() =>
            action({
              request: post(path, body, caller.cookie),
              params,
              context: contextFor(testDb),
            }),
          ),
          `${caller.who} POST ${fields.intent}`,
        ).toBe(caller.post);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a store manager, a customer and an anonymous caller on the admin scan pages and the key page', async () => {
    const store = await createStore(testDb.db);
    const params = { storeId: String(store.id) };
    const callers = [
      { who: 'store manager', cookie: manager.cookie, csrf: manager.csrf, get: 403, post: 403 },
      { who: 'customer', cookie: memberCookie, get: 302, post: 401 },
      { who: 'anonymous', get: 302, post: 401 },
    ];
    const loaders: [string, LoaderFunction][] = [
      ['/admin/scans', adminScans.loader],
      ['/admin/scans.csv', adminCsv.loader],
      [`/admin/stores/${store.id}/scan-key`, scanKey.loader],
    ];
    const actions: [string, ActionFunction, Record<string, string>][] = [
      ['/admin/scans', adminScans.action, { intent: 'unmatch', scanId: '1' }],
      [`/admin/stores/${store.id}/scan-key`, scanKey.action, { intent: 'rotate' }],
    ];
    for (const caller of callers) {
      for (const [path, loader] of loaders) {
        expect(
          await status(() =>
            loader({ request: get(path, caller.cookie), params, context: contextFor(testDb) }),
          ),
          `${caller.who} GET ${path}`,
        ).toBe(caller.get);
      }
      for (const [path, action, fields] of actions) {
        const body = caller.csrf ? { ...fields, csrf: caller.csrf } : fields;
        expect(
          await status(() =>
            action({
              request: post(path, body, caller.cookie),
              params,
              context: contextFor(testDb),
            }),
          ),
          `${caller.who} POST ${path}`,
        ).toBe(caller.post);
      }
    }
    const row = await testDb.db
      .selectFrom('store')
      .select('scan_api_key_hash')
      .where('id', '=', store.id)
      .executeTakeFirstOrThrow();
    expect(row.scan_api_key_hash).toBeNull();
  });
});
