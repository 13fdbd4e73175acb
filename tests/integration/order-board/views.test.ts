import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrderItem, createStore, moscowDate } from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { checkout, createShop, pickupBody, type Shop } from '../../support/checkout';
import { managerSession, type Session } from '../../support/staff-requests';
import { bodyOf, loadBoard, loadHistory, loadOrder, manageAction, orderIn } from './helpers';

/**
 * What managers read: the board's columns, search by order number or phone digits, the history's
 * date filter and pages, and the order page (lines with options, masked phone, payments, audit).
 */

interface Card {
  id: number;
  status: string;
  placedToday: boolean;
  refundPending: boolean;
}
interface BoardBody {
  board: { active: Card[]; refundPending: Card[]; closedToday: Record<string, number> };
}
interface HistoryBody {
  rows: { id: number; orderNumber: string; customerPhone: string }[];
  pagination: { page: number; pageSize: number; total: number };
  unsupportedSearch: boolean;
}

let testDb: TestDatabase;
let shop: Shop;
let manager: Session;
let otherStore: number;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  shop = await createShop(testDb.db);
  otherStore = (await createStore(testDb.db)).id;
  manager = await managerSession(testDb, [shop.store.id]);
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb?.destroy();
});

const store = () => shop.store.id;
const ids = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);

describe('the board', () => {
  it('shows open orders by state, new = held or free PENDING; unpaid and closed orders are off it', async () => {
    const held = await orderIn(testDb.db, store(), 'PENDING', {
      payment_status: 'WAITING_FOR_CAPTURE',
    });
    const unpaid = await orderIn(testDb.db, store(), 'PENDING');
    const preparing = await orderIn(testDb.db, store(), 'PREPARING');
    const ready = await orderIn(testDb.db, store(), 'READY');
    const yesterday = new Date(Date.now() - 86_400_000);
    const carried = await orderIn(testDb.db, store(), 'PREPARING', {
      local_date: moscowDate(yesterday),
      created_at: yesterday,
    });
    const completed = await orderIn(testDb.db, store(), 'COMPLETED');
    const elsewhere = await orderIn(testDb.db, otherStore, 'PREPARING');

    const { board } = bodyOf<BoardBody>(await loadBoard(testDb, manager, store()));
    const shown = new Map(board.active.map((c) => [c.id, c]));
    expect(shown.get(held.id)).toMatchObject({ status: 'PENDING', placedToday: true });
    expect(shown.get(preparing.id)).toMatchObject({ status: 'PREPARING' });
    expect(shown.get(ready.id)).toMatchObject({ status: 'READY' });
    // an order still open after midnight stays on the board, marked as from an earlier day
    expect(shown.get(carried.id)).toMatchObject({ status: 'PREPARING', placedToday: false });
    for (const off of [unpaid, completed, elsewhere]) expect(shown.has(off.id)).toBe(false);
    // oldest first
    expect(board.active.findIndex((c) => c.id === carried.id)).toBe(0);
    expect(board.closedToday.COMPLETED).toBeGreaterThanOrEqual(1);
  });

  it('moves a card along with the buttons and the board shows it in its new column', async () => {
    const order = await orderIn(testDb.db, store(), 'CONFIRMED');
    for (const to of ['PREPARING', 'READY', 'COMPLETED']) {
      const answer = await manageAction(testDb, manager, store(), {
        intent: 'status',
        orderId: String(order.id),
        to,
      });
      expect(answer.body, to).toMatchObject({ ok: true, status: to });
      const { board } = bodyOf<BoardBody>(await loadBoard(testDb, manager, store()));
      const card = board.active.find((c) => c.id === order.id);
      if (to === 'COMPLETED') expect(card).toBeUndefined();
      else expect(card?.status).toBe(to);
    }
  });
});

describe('search and history', () => {
  let phoneOrders: number[];
  let numbered: { id: number; order_number: string };
  let dated: Record<string, number>;

  beforeAll(async () => {
    const member = await createMember(testDb.db, { phone: '+79161234567' });
    phoneOrders = [];
    for (let i = 0; i < 2; i++) {
      const placed = await checkout(testDb.db, member.id, pickupBody(shop, [{ product: 'dear' }]));
      if (!('order' in placed.body)) throw new Error(JSON.stringify(placed.body));
      phoneOrders.push(placed.body.order.id);
    }
    numbered = await orderIn(testDb.db, store(), 'COMPLETED', {
      local_date: '2026-01-06',
      order_number: 'P202601069876',
    });
    dated = {};
    for (const day of ['2026-01-05', '2026-01-06', '2026-01-07']) {
      dated[day] = (await orderIn(testDb.db, store(), 'COMPLETED', { local_date: day })).id;
    }
  });

  const history = async (search: string) =>
    bodyOf<HistoryBody>(await loadHistory(testDb, manager, store(), search));

  it('finds an order by its full number, case-insensitively, and by the number’s beginning', async () => {
    expect(ids((await history('?q=p202601069876')).rows)).toEqual([numbered.id]);
    const day = await history('?q=P20260106');
    expect(ids(day.rows)).toEqual(ids([numbered, { id: dated['2026-01-06']! }]));
  });

  it('finds the orders of a phone by its last digits or in full; shows it masked', async () => {
    const byDigits = await history('?q=4567');
    expect(ids(byDigits.rows)).toEqual(expect.arrayContaining(phoneOrders));
    const byPhone = await history(`?q=${encodeURIComponent('8 (916) 123-45-67')}`);
    expect(ids(byPhone.rows)).toEqual(phoneOrders.sort((a, b) => a - b));
    expect(new Set(byPhone.rows.map((r) => r.customerPhone))).toEqual(new Set(['+7916***4567']));
    const none = await history('?q=3141592');
    expect(none.rows).toEqual([]);
  });

  it('explains a search that can be neither a number nor phone digits', async () => {
    const answer = await history('?q=%25%27');
    expect(answer.unsupportedSearch).toBe(true);
    expect(answer.rows).toEqual([]);
  });

  it('filters by store-local business date, inclusive', async () => {
    const one = await history('?from=2026-01-06&to=2026-01-06');
    expect(ids(one.rows)).toEqual(ids([numbered, { id: dated['2026-01-06']! }]));
    const range = await history('?from=2026-01-05&to=2026-01-06');
    expect(ids(range.rows)).toEqual(
      ids([numbered, { id: dated['2026-01-05']! }, { id: dated['2026-01-06']! }]),
    );
    const from = await history('?from=2026-01-07&to=2026-01-07');
    expect(ids(from.rows)).toEqual([dated['2026-01-07']!]);
    // a malformed date is no filter, never an error
    const bad = await history('?from=2026-02-30');
    expect(bad.pagination.total).toBeGreaterThanOrEqual(5);
  });

  it('pages the history, newest first, and clamps a page past the end', async () => {
    const all = await history('?from=2026-01-05&to=2026-01-07&pageSize=2');
    expect(all.pagination).toEqual({ page: 1, pageSize: 2, total: 4 });
    expect(all.rows).toHaveLength(2);
    const last = await history('?from=2026-01-05&to=2026-01-07&pageSize=2&page=9');
    expect(last.pagination.page).toBe(2);
    const byNumber = await history('?from=2026-01-06&to=2026-01-06&sort=number&dir=asc');
    const numbers = byNumber.rows.map((r) => r.orderNumber);
    expect(numbers).toEqual([...numbers].sort());
  });

  it("never finds another store's orders", async () => {
    const foreign = await orderIn(testDb.db, otherStore, 'COMPLETED', {
      order_number: 'P202601061111',
      local_date: '2026-01-06',
    });
    expect((await history('?q=P202601061111')).rows).toEqual([]);
    expect(ids((await history('?from=2026-01-06&to=2026-01-06')).rows)).not.toContain(foreign.id);
  });
});

describe('the order page', () => {
  it('shows lines with options, amounts, the masked phone, payment attempts and the audit trail', async () => {
    const member = await createMember(testDb.db, { phone: '+79001234567' });
    const placed = await checkout(
      testDb.db,
      member.id,
      pickupBody(shop, [{ product: 'cheap', quantity: 2, pearls: true }, { product: 'dear' }]),
    );
    if (!('order' in placed.body)) throw new Error(JSON.stringify(placed.body));
    const orderId = placed.body.order.id;

    const answer = await loadOrder(testDb, manager, store(), orderId);
    expect(answer.status).toBe(200);
    const { order } = answer.body as {
      order: {
        customerPhone: string;
        lines: { quantity: number; lineTotal: number; options: { nameRu: string }[] }[];
        subtotal: number;
        finalAmount: number;
        payments: { kind: string; attemptNo: number; status: string }[];
        audit: { action: string; actorType: string }[];
      };
    };
    expect(order.customerPhone).toBe('+7900***4567');
    // the full number never leaves the server
    expect(answer.text).not.toContain('9001234567');
    expect(order.lines).toHaveLength(2);
    expect(order.lines[0]).toMatchObject({ quantity: 2, lineTotal: 40_000 });
    expect(order.lines[0]!.options).toHaveLength(2);
    expect(order.lines[1]).toMatchObject({ quantity: 1, lineTotal: 45_000, options: [] });
    expect(order).toMatchObject({ subtotal: 85_000, finalAmount: 85_000 });
    expect(order.payments).toEqual([
      expect.objectContaining({ kind: 'PAYMENT', attemptNo: 1, status: 'PENDING' }),
    ]);
    expect(order.audit).toEqual([
      expect.objectContaining({ action: 'order.create', actorType: 'MEMBER' }),
    ]);
  });

  it('masks the phone in factory orders too (digits only at both ends)', async () => {
    const order = await orderIn(testDb.db, store(), 'READY', { customer_phone: '+79995550011' });
    await createOrderItem(testDb.db, order.id);
    const answer = await loadOrder(testDb, manager, store(), order.id);
    expect((answer.body as { order: { customerPhone: string } }).order.customerPhone).toBe(
      '+7999***0011',
    );
    expect(answer.text).not.toContain('79995550011');
  });
});
