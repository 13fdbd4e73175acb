import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kysely, PostgresDialect } from 'kysely';
import type { ScanScope } from '../../../app/features/scans/matching.server';
import {
  matchScanToOrder,
  matchUnmatchedScans,
  unmatchScan,
} from '../../../app/features/scans/matching.service.server';
import { transitionOrder } from '../../../app/features/orders/lifecycle.service.server';
import type { DB } from '../../../db/types.generated';
import { createOrder, createScan, createStore } from '../../factories';
import { createAdmin } from '../../factories/staff';
import type { Overrides } from '../../factories/support';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import {
  activeCode,
  codeCounters,
  postScans,
  results,
  scanEvent,
  scanRow,
  storeWithKey,
} from './helpers';

/**
 * Attribution (OS-6 … OS-9): automatic matching at acceptance and by the periodic task, manual
 * matching and its refusals, unmatching, and the code counters through all of them.
 */

let testDb: TestDatabase;
let adminId: number;
const ALL: ScanScope = { kind: 'all' };

beforeAll(async () => {
  testDb = await createTestDatabase();
  adminId = (await createAdmin(testDb.db)).id;
});

afterAll(async () => {
  await testDb?.destroy();
});

const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms);

/** A CONFIRMED paid order of `subtotal` in the store, created at `createdAt`. */
function confirmedOrder(
  storeId: number,
  subtotal: string,
  createdAt: Date,
  overrides: Overrides<'order'> = {},
) {
  return createOrder(testDb.db, {
    store_id: storeId,
    subtotal_amount: subtotal,
    status: 'CONFIRMED',
    payment_status: 'SUCCEEDED',
    created_at: createdAt,
    ...overrides,
  });
}

async function orderCode(orderId: number): Promise<number | null> {
  const row = await testDb.db
    .selectFrom('order')
    .select('campaign_code_id')
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  return row.campaign_code_id;
}

describe('OS-6 at acceptance', () => {
  it('matches a scan with exactly one candidate order (AUTO) and counts it on the code', async () => {
    const { store, key } = await storeWithKey(testDb.db);
    const { code } = await activeCode(testDb.db);
    const scannedAt = ago(MINUTE);
    const order = await confirmedOrder(
      store.id,
      '350.00',
      new Date(scannedAt.getTime() - 2 * MINUTE),
    );
    const event = scanEvent(code.code, {
      order_amount: '350.00',
      scanned_at: scannedAt.toISOString(),
    });
    expect(results(await postScans(testDb.db, { key, body: { events: [event] } }))[0]!.result).toBe(
      'accepted',
    );
    expect(await scanRow(testDb, event.client_event_id as string)).toMatchObject({
      matched: true,
      order_id: order.id,
      match_method: 'AUTO',
      matched_by_user_id: null,
    });
    expect(await orderCode(order.id)).toBe(code.id);
    expect(await codeCounters(testDb, code.id)).toEqual({
      scan_count: 1,
      order_count: 1,
      total_gmv: '350.00',
    });
  });

  it('leaves a scan unmatched with no candidate: other store, other amount, not confirmed, attributed or outside ±5 min', async () => {
    const { store, key } = await storeWithKey(testDb.db);
    const { code } = await activeCode(testDb.db);
    const other = await createStore(testDb.db);
    const { code: otherCode } = await activeCode(testDb.db);
    const scannedAt = ago(10 * MINUTE);
    const t = (deltaMs: number) => new Date(scannedAt.getTime() + deltaMs);
    await confirmedOrder(other.id, '420.00', t(0));
    await confirmedOrder(store.id, '421.00', t(0));
    await createOrder(testDb.db, {
      store_id: store.id,
      subtotal_amount: '420.00',
      created_at: t(0),
    });
    await confirmedOrder(store.id, '420.00', t(0), {
      status: 'CANCELLED',
      payment_status: 'CANCELED',
    });
    await confirmedOrder(store.id, '420.00', t(0), { campaign_code_id: otherCode.id });
    await confirmedOrder(store.id, '420.00', t(-5 * MINUTE - 1000));
    await confirmedOrder(store.id, '420.00', t(5 * MINUTE + 1000));
    const event = scanEvent(code.code, {
      order_amount: '420.00',
      scanned_at: scannedAt.toISOString(),
    });
    results(await postScans(testDb.db, { key, body: { events: [event] } }));
    expect(await scanRow(testDb, event.client_event_id as string)).toMatchObject({
      matched: false,
      order_id: null,
    });
    expect((await codeCounters(testDb, code.id)).order_count).toBe(0);
  });

  it('counts the ±5 minute bounds as inside', async () => {
    const { store, key } = await storeWithKey(testDb.db);
    const { code } = await activeCode(testDb.db);
    const scannedAt = new Date(Math.floor(ago(20 * MINUTE).getTime() / 1000) * 1000);
    const early = await confirmedOrder(
      store.id,
      '431.00',
      new Date(scannedAt.getTime() - 5 * MINUTE),
    );
    const late = await confirmedOrder(
      store.id,
      '432.00',
      new Date(scannedAt.getTime() + 5 * MINUTE),
    );
    const events = [
      scanEvent(code.code, { order_amount: '431.00', scanned_at: scannedAt.toISOString() }),
      scanEvent(code.code, { order_amount: '432.00', scanned_at: scannedAt.toISOString() }),
    ];
    results(await postScans(testDb.db, { key, body: { events } }));
    expect((await scanRow(testDb, events[0]!.client_event_id as string))?.order_id).toBe(early.id);
    expect((await scanRow(testDb, events[1]!.client_event_id as string))?.order_id).toBe(late.id);
  });

  it('leaves a scan with two candidates for a manager, and one without an amount too', async () => {
    const { store, key } = await storeWithKey(testDb.db);
    const { code } = await activeCode(testDb.db);
    const scannedAt = ago(3 * MINUTE);
    const a = await confirmedOrder(store.id, '440.00', new Date(scannedAt.getTime() - MINUTE));
    await confirmedOrder(store.id, '440.00', new Date(scannedAt.getTime() + MINUTE));
    const lone = await confirmedOrder(store.id, '441.00', scannedAt);
    const twoCandidates = scanEvent(code.code, {
      order_amount: '440.00',
      scanned_at: scannedAt.toISOString(),
    });
    const noAmount = scanEvent(code.code, { scanned_at: scannedAt.toISOString() });
    results(await postScans(testDb.db, { key, body: { events: [twoCandidates, noAmount] } }));
    expect((await scanRow(testDb, twoCandidates.client_event_id as string))?.matched).toBe(false);
    expect((await scanRow(testDb, noAmount.client_event_id as string))?.matched).toBe(false);
    expect(await orderCode(a.id)).toBeNull();
    expect(await orderCode(lone.id)).toBeNull();
  });
});

describe('OS-6 every minute (matchUnmatchedScans)', () => {
  it('matches once the only candidate is confirmed; ignores scans older than 24 hours', async () => {
    const { store, key } = await storeWithKey(testDb.db);
    const { code } = await activeCode(testDb.db);
    const scannedAt = ago(2 * MINUTE);
    const pending = await createOrder(testDb.db, {
      store_id: store.id,
      subtotal_amount: '450.00',
      created_at: new Date(scannedAt.getTime() - MINUTE),
    });
    const event = scanEvent(code.code, {
      order_amount: '450.00',
      scanned_at: scannedAt.toISOString(),
    });
    results(await postScans(testDb.db, { key, body: { events: [event] } }));
    expect((await scanRow(testDb, event.client_event_id as string))?.matched).toBe(false);

    const old = await createScan(testDb.db, {
      store_id: store.id,
      campaign_code_id: code.id,
      order_amount: '451.00',
      scanned_at: ago(25 * 60 * MINUTE),
    });
    const oldOrder = await confirmedOrder(store.id, '451.00', ago(25 * 60 * MINUTE));

    await testDb.db
      .updateTable('order')
      .set({ status: 'CONFIRMED', payment_status: 'SUCCEEDED' })
      .where('id', '=', pending.id)
      .execute();
    const run = await matchUnmatchedScans(testDb.db);
    expect(run.matched).toBeGreaterThanOrEqual(1);
    expect(await scanRow(testDb, event.client_event_id as string)).toMatchObject({
      matched: true,
      order_id: pending.id,
      match_method: 'AUTO',
    });
    expect((await scanRow(testDb, old.client_event_id))?.matched).toBe(false);
    expect(await orderCode(oldOrder.id)).toBeNull();
    // a second run finds nothing new to do
    expect((await matchUnmatchedScans(testDb.db)).matched).toBe(0);
    expect((await codeCounters(testDb, code.id)).order_count).toBe(1);
  });
});

describe('OS-7 manual matching', () => {
  async function fixture(amount = '500.00') {
    const store = await createStore(testDb.db);
    const { code } = await activeCode(testDb.db);
    const scan = await createScan(testDb.db, { store_id: store.id, campaign_code_id: code.id });
    const order = await confirmedOrder(store.id, amount, ago(MINUTE));
    return { store, code, scan, order };
  }
  const actor = () => ({ userId: adminId, requestId: 'scan-test' });

  it('matches a scan to an order of its store, counts GMV, and audits it', async () => {
    const { store, code, scan, order } = await fixture('512.50');
    const outcome = await matchScanToOrder(testDb.db, {
      scanId: scan.id,
      orderNumber: order.order_number,
      scope: { kind: 'stores', storeIds: [store.id] },
      actor: actor(),
    });
    expect(outcome).toEqual({ ok: true, scanId: scan.id, orderId: order.id });
    expect(await scanRow(testDb, scan.client_event_id)).toMatchObject({
      matched: true,
      order_id: order.id,
      match_method: 'MANUAL',
      matched_by_user_id: adminId,
    });
    expect(await orderCode(order.id)).toBe(code.id);
    expect(await codeCounters(testDb, code.id)).toMatchObject({
      order_count: 1,
      total_gmv: '512.50',
    });
    const audit = await testDb.db
      .selectFrom('audit_log')
      .select(['action', 'store_id', 'actor_user_id', 'after'])
      .where('entity_type', '=', 'offline_scan_log')
      .where('entity_id', '=', String(scan.id))
      .execute();
    expect(audit).toEqual([
      {
        action: 'scan.match',
        store_id: store.id,
        actor_user_id: adminId,
        after: {
          matched: true,
          order_id: order.id,
          order_number: order.order_number,
          match_method: 'MANUAL',
        },
      },
    ]);
  });

  it('refuses with SCAN_ALREADY_MATCHED, ORDER_ALREADY_ATTRIBUTED, STORE_MISMATCH, ORDER_NOT_MATCHABLE, ORDER_NOT_FOUND and changes nothing', async () => {
    const { store, code, scan, order } = await fixture();
    const scope: ScanScope = ALL;
    const match = (scanId: number, orderNumber: string) =>
      matchScanToOrder(testDb.db, { scanId, orderNumber, scope, actor: actor() });
    expect((await match(scan.id, order.order_number)).ok).toBe(true);
    const snapshot = async () => ({
      counters: await codeCounters(testDb, code.id),
      scans: await testDb.db
        .selectFrom('offline_scan_log')
        .select(['id', 'matched', 'order_id'])
        .where('campaign_code_id', '=', code.id)
        .orderBy('id')
        .execute(),
    });

    const second = await createScan(testDb.db, { store_id: store.id, campaign_code_id: code.id });
    const otherOrder = await confirmedOrder(store.id, '500.00', ago(MINUTE));
    const foreignOrder = await confirmedOrder(
      (await createStore(testDb.db)).id,
      '500.00',
      ago(MINUTE),
    );
    const pendingOrder = await createOrder(testDb.db, { store_id: store.id });
    const refundedOrder = await confirmedOrder(store.id, '500.00', ago(MINUTE), {
      status: 'REFUNDED',
      payment_status: 'REFUNDED',
    });
    const before = await snapshot();

    expect(await match(scan.id, otherOrder.order_number)).toEqual({
      ok: false,
      error: 'SCAN_ALREADY_MATCHED',
    });
    expect(await match(second.id, order.order_number)).toEqual({
      ok: false,
      error: 'ORDER_ALREADY_ATTRIBUTED',
    });
    expect(await match(second.id, foreignOrder.order_number)).toEqual({
      ok: false,
      error: 'STORE_MISMATCH',
    });
    expect(await match(second.id, pendingOrder.order_number)).toEqual({
      ok: false,
      error: 'ORDER_NOT_MATCHABLE',
    });
    expect(await match(second.id, refundedOrder.order_number)).toEqual({
      ok: false,
      error: 'ORDER_NOT_MATCHABLE',
    });
    expect(await match(second.id, 'P999912319999')).toEqual({
      ok: false,
      error: 'ORDER_NOT_FOUND',
    });
    expect(await snapshot()).toEqual(before);
  });

  it("does not find another store's scan for a store-scoped caller", async () => {
    const { scan, order } = await fixture();
    const elsewhere = await createStore(testDb.db);
    const outcome = await matchScanToOrder(testDb.db, {
      scanId: scan.id,
      orderNumber: order.order_number,
      scope: { kind: 'stores', storeIds: [elsewhere.id] },
      actor: actor(),
    });
    expect(outcome).toEqual({ ok: false, error: 'SCAN_NOT_FOUND' });
    expect((await scanRow(testDb, scan.client_event_id))?.matched).toBe(false);
  });

  it('lets one of two concurrent matches to the same order win', async () => {
    const clients = [1, 2].map(
      () => new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(2) }) }),
    );
    try {
      for (let round = 0; round < 20; round++) {
        const { store, code, scan, order } = await fixture();
        const rival = await createScan(testDb.db, {
          store_id: store.id,
          campaign_code_id: code.id,
        });
        const outcomes = await Promise.all(
          [scan, rival].map((s, i) =>
            matchScanToOrder(clients[i]!, {
              scanId: s.id,
              orderNumber: order.order_number,
              scope: ALL,
              actor: actor(),
            }),
          ),
        );
        expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
        expect(outcomes.filter((o) => !o.ok)).toEqual([
          { ok: false, error: 'ORDER_ALREADY_ATTRIBUTED' },
        ]);
        expect(await codeCounters(testDb, code.id)).toMatchObject({
          order_count: 1,
          total_gmv: '500.00',
        });
      }
    } finally {
      await Promise.all(clients.map((c) => c.destroy()));
    }
  });
});

describe('unmatching and OS-9 reversal', () => {
  async function matched(amount = '600.00') {
    const store = await createStore(testDb.db);
    const { code } = await activeCode(testDb.db);
    const scan = await createScan(testDb.db, { store_id: store.id, campaign_code_id: code.id });
    const order = await confirmedOrder(store.id, amount, ago(MINUTE));
    const outcome = await matchScanToOrder(testDb.db, {
      scanId: scan.id,
      orderNumber: order.order_number,
      scope: ALL,
      actor: { userId: adminId },
    });
    expect(outcome.ok).toBe(true);
    return { store, code, scan, order };
  }

  /** Another scan of the code matched to another order: counters that must survive untouched. */
  async function alsoMatched(code: { id: number }, storeId: number, amount: string) {
    const scan = await createScan(testDb.db, { store_id: storeId, campaign_code_id: code.id });
    const order = await confirmedOrder(storeId, amount, ago(MINUTE));
    const outcome = await matchScanToOrder(testDb.db, {
      scanId: scan.id,
      orderNumber: order.order_number,
      scope: ALL,
      actor: { userId: adminId },
    });
    expect(outcome.ok).toBe(true);
  }

  it('puts the scan back to unmatched, frees the order and takes the order off the counters', async () => {
    const { store, code, scan, order } = await matched('600.00');
    const outcome = await unmatchScan(testDb.db, {
      scanId: scan.id,
      scope: { kind: 'stores', storeIds: [store.id] },
      actor: { userId: adminId },
    });
    expect(outcome).toEqual({ ok: true, scanId: scan.id, orderId: order.id });
    expect(await scanRow(testDb, scan.client_event_id)).toMatchObject({
      matched: false,
      order_id: null,
      match_method: null,
      matched_by_user_id: null,
      reversed_at: null,
    });
    expect(await orderCode(order.id)).toBeNull();
    expect(await codeCounters(testDb, code.id)).toMatchObject({
      order_count: 0,
      total_gmv: '0.00',
    });
    const audit = await testDb.db
      .selectFrom('audit_log')
      .select(['action', 'before'])
      .where('entity_type', '=', 'offline_scan_log')
      .where('entity_id', '=', String(scan.id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['scan.match', 'scan.unmatch']);
    expect(audit[1]!.before).toMatchObject({ order_id: order.id, match_method: 'MANUAL' });

    // the scan can be matched again, and unmatching twice is refused
    expect(
      (
        await matchScanToOrder(testDb.db, {
          scanId: scan.id,
          orderNumber: order.order_number,
          scope: ALL,
          actor: { userId: adminId },
        })
      ).ok,
    ).toBe(true);
    expect((await codeCounters(testDb, code.id)).order_count).toBe(1);
    await unmatchScan(testDb.db, { scanId: scan.id, scope: ALL, actor: { userId: adminId } });
    expect(
      await unmatchScan(testDb.db, { scanId: scan.id, scope: ALL, actor: { userId: adminId } }),
    ).toEqual({ ok: false, error: 'SCAN_NOT_MATCHED' });
    expect((await codeCounters(testDb, code.id)).order_count).toBe(0);
  });

  it('a cancelled order reverses the attribution once; unmatching it afterwards does not count it again', async () => {
    const { code, scan, order } = await matched('610.00');
    await testDb.db.transaction().execute((trx) =>
      transitionOrder(trx, {
        orderId: order.id,
        from: ['CONFIRMED'],
        to: 'CANCELLED',
        actor: { type: 'USER', userId: adminId },
        reason: 'guest left',
      }),
    );
    expect((await scanRow(testDb, scan.client_event_id))?.reversed_at).toBeInstanceOf(Date);
    expect(await codeCounters(testDb, code.id)).toMatchObject({
      order_count: 0,
      total_gmv: '0.00',
    });

    await alsoMatched(code, order.store_id, '620.00');
    expect(await codeCounters(testDb, code.id)).toMatchObject({
      order_count: 1,
      total_gmv: '620.00',
    });
    expect(
      (await unmatchScan(testDb.db, { scanId: scan.id, scope: ALL, actor: { userId: adminId } }))
        .ok,
    ).toBe(true);
    expect(await codeCounters(testDb, code.id)).toMatchObject({
      order_count: 1,
      total_gmv: '620.00',
    });
    expect(await scanRow(testDb, scan.client_event_id)).toMatchObject({
      matched: false,
      reversed_at: null,
    });
  });

  it('an unmatch racing a cancellation changes the counters once', async () => {
    const clients = [1, 2].map(
      () => new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(2) }) }),
    );
    try {
      for (let round = 0; round < 10; round++) {
        const { code, scan, order } = await matched('630.00');
        await alsoMatched(code, order.store_id, '100.00');
        const [unmatched] = await Promise.all([
          unmatchScan(clients[0]!, { scanId: scan.id, scope: ALL, actor: { userId: adminId } }),
          clients[1]!.transaction().execute((trx) =>
            transitionOrder(trx, {
              orderId: order.id,
              from: ['CONFIRMED'],
              to: 'CANCELLED',
              actor: { type: 'USER', userId: adminId },
            }),
          ),
        ]);
        expect(unmatched.ok).toBe(true);
        expect(await codeCounters(testDb, code.id)).toMatchObject({
          order_count: 1,
          total_gmv: '100.00',
        });
      }
    } finally {
      await Promise.all(clients.map((c) => c.destroy()));
    }
  });
});
