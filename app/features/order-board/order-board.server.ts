import { sql, type SqlBool } from 'kysely';
import type { Db } from '~db/database.server';
import { fromDecimal } from '~/utils/money';
import { maskPhone } from '~/utils/sanitize';
import {
  ACTIVE_STATUSES,
  NEW_ORDER_PAYMENT_STATUSES,
  type HistoryParams,
  type OrderSearch,
} from './order-board.schema';

/**
 * Reading orders for the store board, the history list and the order page (RB-1 "Orders: view —
 * all / own stores"). Scope is an argument: a STORE_MANAGER's calls carry the verified store ids
 * and every query puts them in its WHERE, so an order of another store is simply not found (RB-2).
 * The customer's phone leaves this module masked (`+7900***4567`); the address is shown to staff
 * of the store, who deliver the order.
 */

export type OrderScope = { kind: 'all' } | { kind: 'stores'; storeIds: readonly number[] };

/** Hard cap on one board: a store never has this many open orders; the page stays bounded. */
export const BOARD_LIMIT = 300;

/**
 * PY-9 "refund pending", over `"order" AS o` (same rule as `isRefundPending`): money that has to
 * go back has not, or has gone back for an order still COMPLETED.
 */
const REFUND_PENDING = sql<SqlBool>`(
  (o.status = 'CANCELLED' AND o.payment_status = 'SUCCEEDED')
  OR (o.status = 'COMPLETED' AND o.payment_status = 'REFUNDED')
  OR (o.status = 'COMPLETED' AND o.payment_status = 'SUCCEEDED' AND EXISTS (
    SELECT 1 FROM payment_transaction r WHERE r.order_id = o.id AND r.kind = 'REFUND'
  ))
)`;

/** The order was placed on the store's current local date (C-3: business dates use the store's zone). */
const PLACED_TODAY = sql<boolean>`o.local_date = (now() AT TIME ZONE s.timezone)::date`;

function ordersOf(db: Db, scope: OrderScope, storeId?: number) {
  let query = db.selectFrom('order as o').innerJoin('store as s', 's.id', 'o.store_id');
  if (scope.kind === 'stores') {
    // an empty list must match nothing, not everything
    query = query.where('o.store_id', 'in', scope.storeIds.length ? [...scope.storeIds] : [-1]);
  }
  if (storeId !== undefined) query = query.where('o.store_id', '=', storeId);
  return query;
}

export interface OrderLineOption {
  nameRu: string;
  nameZh: string | null;
}

export interface OrderLine {
  lineNo: number;
  quantity: number;
  nameRu: string;
  nameZh: string | null;
  sku: string;
  unitPrice: number;
  optionsPrice: number;
  lineTotal: number;
  discount: number;
  isSpecialPrice: boolean;
  options: OrderLineOption[];
}

/** The lines of some orders with their options, in line order (PR-11 snapshots). */
export async function listOrderLines(
  db: Db,
  orderIds: readonly number[],
): Promise<Map<number, OrderLine[]>> {
  const lines = new Map<number, OrderLine[]>();
  if (orderIds.length === 0) return lines;
  const items = await db
    .selectFrom('order_item')
    .select([
      'id',
      'order_id',
      'line_no',
      'quantity',
      'product_name_ru',
      'product_name_zh',
      'sku',
      'unit_price',
      'options_price',
      'line_total',
      'discount_amount',
      'is_special_price',
    ])
    .where('order_id', 'in', [...orderIds])
    .orderBy('order_id')
    .orderBy('line_no')
    .execute();
  const options =
    items.length === 0
      ? []
      : await db
          .selectFrom('order_item_option')
          .select(['order_item_id', 'item_name_ru', 'item_name_zh'])
          .where(
            'order_item_id',
            'in',
            items.map((i) => i.id),
          )
          .orderBy('id')
          .execute();
  const optionsOf = new Map<number, OrderLineOption[]>();
  for (const o of options) {
    const list = optionsOf.get(o.order_item_id) ?? [];
    list.push({ nameRu: o.item_name_ru, nameZh: o.item_name_zh });
    optionsOf.set(o.order_item_id, list);
  }
  for (const item of items) {
    const list = lines.get(item.order_id) ?? [];
    list.push({
      lineNo: item.line_no,
      quantity: item.quantity,
      nameRu: item.product_name_ru,
      nameZh: item.product_name_zh,
      sku: item.sku,
      unitPrice: fromDecimal(item.unit_price),
      optionsPrice: fromDecimal(item.options_price),
      lineTotal: fromDecimal(item.line_total),
      discount: fromDecimal(item.discount_amount),
      isSpecialPrice: item.is_special_price,
      options: optionsOf.get(item.id) ?? [],
    });
    lines.set(item.order_id, list);
  }
  return lines;
}

export interface BoardCard {
  id: number;
  orderNumber: string;
  storeId: number;
  storeCode: string;
  timezone: string;
  status: string;
  paymentStatus: string;
  orderType: string;
  customerName: string | null;
  finalAmount: number;
  createdAt: Date;
  localDate: string;
  placedToday: boolean;
  refundPending: boolean;
  deliveryEtaMinutes: number | null;
  lines: OrderLine[];
}

export interface BoardData {
  /** New (PENDING, held or nothing to pay) and CONFIRMED … DELIVERING, oldest first. */
  active: BoardCard[];
  /** PY-9: money still to go back, oldest first. */
  refundPending: BoardCard[];
  /** Orders placed today (store-local) that are closed, by status. */
  closedToday: Record<string, number>;
}

/** What a card of the board and a row of the history both show. */
const ORDER_ROW_COLUMNS = [
  'o.id',
  'o.order_number',
  'o.store_id',
  's.code as store_code',
  's.timezone',
  'o.status',
  'o.payment_status',
  'o.order_type',
  'o.customer_name',
  'o.final_amount',
  'o.created_at',
  'o.local_date',
] as const;

/**
 * The board: every open order (also one placed before today — an order still being prepared
 * after midnight must not drop off the screen), the refund-pending ones, and today's closed
 * counts. Oldest first: the order waiting longest is at the top of its column.
 */
export async function getBoard(
  db: Db,
  { scope, storeId }: { scope: OrderScope; storeId?: number },
): Promise<BoardData> {
  const rows = await ordersOf(db, scope, storeId)
    .select(ORDER_ROW_COLUMNS)
    .select('o.delivery_eta_minutes')
    .select([PLACED_TODAY.as('placed_today'), REFUND_PENDING.as('refund_pending')])
    .where((eb) =>
      eb.or([
        eb('o.status', 'in', [...ACTIVE_STATUSES]),
        eb.and([
          eb('o.status', '=', 'PENDING'),
          eb('o.payment_status', 'in', NEW_ORDER_PAYMENT_STATUSES),
        ]),
        REFUND_PENDING,
      ]),
    )
    .orderBy('o.created_at')
    .orderBy('o.id')
    .limit(BOARD_LIMIT)
    .execute();

  const closed = await ordersOf(db, scope, storeId)
    .select(['o.status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('o.status', 'in', ['COMPLETED', 'CANCELLED', 'VOIDED', 'REFUNDED'])
    .where(PLACED_TODAY)
    .groupBy('o.status')
    .execute();

  const lines = await listOrderLines(
    db,
    rows.map((r) => r.id),
  );
  const cards = rows.map((r): BoardCard => ({
    id: r.id,
    orderNumber: r.order_number,
    storeId: r.store_id,
    storeCode: r.store_code,
    timezone: r.timezone,
    status: r.status,
    paymentStatus: r.payment_status,
    orderType: r.order_type,
    customerName: r.customer_name,
    finalAmount: fromDecimal(r.final_amount),
    createdAt: r.created_at,
    localDate: r.local_date,
    placedToday: r.placed_today,
    refundPending: Boolean(r.refund_pending),
    deliveryEtaMinutes: r.delivery_eta_minutes,
    lines: lines.get(r.id) ?? [],
  }));
  return {
    active: cards.filter((c) => !c.refundPending),
    refundPending: cards.filter((c) => c.refundPending),
    closedToday: Object.fromEntries(closed.map((c) => [c.status, Number(c.n)])),
  };
}

export interface HistoryRow {
  id: number;
  orderNumber: string;
  storeId: number;
  storeCode: string;
  timezone: string;
  status: string;
  paymentStatus: string;
  orderType: string;
  customerName: string | null;
  customerPhone: string;
  finalAmount: number;
  createdAt: Date;
  localDate: string;
  refundPending: boolean;
}

export interface HistoryQuery {
  scope: OrderScope;
  filters: HistoryParams['filters'];
  search: OrderSearch | null;
  sort: HistoryParams['sort'];
  dir: HistoryParams['dir'];
  limit: number;
  offset: number;
}

const SORT_COLUMNS = {
  created: 'o.created_at',
  number: 'o.order_number',
  total: 'o.final_amount',
} as const;

/**
 * Orders by store-local business date (`local_date`, ON-1), newest first unless sorted otherwise.
 * Search: an order number prefix, or trailing digits of the order number or the phone.
 */
export async function listOrderHistory(
  db: Db,
  query: HistoryQuery,
): Promise<{ rows: HistoryRow[]; total: number }> {
  const { filters, search } = query;
  let base = ordersOf(db, query.scope, filters.store);
  if (filters.from) base = base.where('o.local_date', '>=', filters.from);
  if (filters.to) base = base.where('o.local_date', '<=', filters.to);
  if (filters.status) base = base.where('o.status', '=', filters.status);
  if (filters.type) base = base.where('o.order_type', '=', filters.type);
  if (filters.refund === 'pending') base = base.where(REFUND_PENDING);
  if (search?.kind === 'number') {
    base = base.where('o.order_number', 'like', `${search.prefix}%`);
  } else if (search?.kind === 'digits') {
    const suffix = `%${search.digits}`;
    base = base.where((eb) =>
      eb.or([eb('o.order_number', 'like', suffix), eb('o.customer_phone', 'like', suffix)]),
    );
  } else if (search?.kind === 'unsupported') {
    return { rows: [], total: 0 };
  }

  const [rows, count] = await Promise.all([
    base
      .select(ORDER_ROW_COLUMNS)
      .select('o.customer_phone')
      .select(REFUND_PENDING.as('refund_pending'))
      .orderBy(SORT_COLUMNS[query.sort], query.dir)
      .orderBy('o.id', query.dir)
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    rows: rows.map((r) => ({
      id: r.id,
      orderNumber: r.order_number,
      storeId: r.store_id,
      storeCode: r.store_code,
      timezone: r.timezone,
      status: r.status,
      paymentStatus: r.payment_status,
      orderType: r.order_type,
      customerName: r.customer_name,
      customerPhone: maskPhone(r.customer_phone),
      finalAmount: fromDecimal(r.final_amount),
      createdAt: r.created_at,
      localDate: r.local_date,
      refundPending: Boolean(r.refund_pending),
    })),
  };
}

/** What the status service needs to decide: read again inside its transaction by transitionOrder. */
export interface OrderState {
  id: number;
  storeId: number;
  orderNumber: string;
  status: string;
  paymentStatus: string;
  orderType: string;
  hasRefundAttempt: boolean;
  refundPending: boolean;
}

/** One order's state within the scope; null outside it (RB-2: not found, never forbidden). */
export async function getOrderState(
  db: Db,
  { scope, orderId }: { scope: OrderScope; orderId: number },
): Promise<OrderState | null> {
  const row = await ordersOf(db, scope)
    .select([
      'o.id',
      'o.store_id',
      'o.order_number',
      'o.status',
      'o.payment_status',
      'o.order_type',
      REFUND_PENDING.as('refund_pending'),
      sql<boolean>`EXISTS (SELECT 1 FROM payment_transaction r WHERE r.order_id = o.id AND r.kind = 'REFUND')`.as(
        'has_refund_attempt',
      ),
    ])
    .where('o.id', '=', orderId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    storeId: row.store_id,
    orderNumber: row.order_number,
    status: row.status,
    paymentStatus: row.payment_status,
    orderType: row.order_type,
    hasRefundAttempt: row.has_refund_attempt,
    refundPending: Boolean(row.refund_pending),
  };
}

export interface PaymentAttemptRow {
  id: number;
  kind: string;
  attemptNo: number;
  status: string;
  amount: number;
  providerPaymentId: string | null;
  failureCode: string | null;
  createdAt: Date;
  authorizedAt: Date | null;
  capturedAt: Date | null;
  canceledAt: Date | null;
  failedAt: Date | null;
}

export interface AuditTrailRow {
  id: number;
  createdAt: Date;
  action: string;
  actorType: string;
  actorName: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
}

export interface OrderDetail {
  id: number;
  orderNumber: string;
  storeId: number;
  storeCode: string;
  storeNameRu: string;
  storeNameZh: string | null;
  storeNameEn: string | null;
  timezone: string;
  status: string;
  paymentStatus: string;
  paymentMethod: string;
  orderType: string;
  iikoSyncStatus: string;
  customerName: string | null;
  /** Masked: `+7900***4567`. */
  customerPhone: string;
  deliveryAddress: string | null;
  deliveryNote: string | null;
  deliveryEtaMinutes: number | null;
  subtotal: number;
  deliveryFee: number;
  couponDiscount: number;
  pointsDiscount: number;
  discount: number;
  total: number;
  finalAmount: number;
  pointsUsed: number;
  pointsEarned: number;
  cancelReason: string | null;
  localDate: string;
  createdAt: Date;
  confirmedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  refundedAt: Date | null;
  refundPending: boolean;
  lines: OrderLine[];
  payments: PaymentAttemptRow[];
  audit: AuditTrailRow[];
}

/** The order page: lines, amounts, masked phone, payment and refund attempts, audit trail. */
export async function getOrderDetail(
  db: Db,
  { scope, orderId, storeId }: { scope: OrderScope; orderId: number; storeId?: number },
): Promise<OrderDetail | null> {
  const o = await ordersOf(db, scope, storeId)
    .select([
      'o.id',
      'o.order_number',
      'o.store_id',
      's.code as store_code',
      's.name_ru as store_name_ru',
      's.name_zh as store_name_zh',
      's.name_en as store_name_en',
      's.timezone',
      'o.status',
      'o.payment_status',
      'o.payment_method',
      'o.order_type',
      'o.iiko_sync_status',
      'o.customer_name',
      'o.customer_phone',
      'o.delivery_address',
      'o.delivery_note',
      'o.delivery_eta_minutes',
      'o.subtotal_amount',
      'o.delivery_fee',
      'o.coupon_discount',
      'o.points_discount',
      'o.discount_amount',
      'o.total_amount',
      'o.final_amount',
      'o.points_used',
      'o.points_earned',
      'o.cancel_reason',
      'o.local_date',
      'o.created_at',
      'o.confirmed_at',
      'o.completed_at',
      'o.cancelled_at',
      'o.refunded_at',
    ])
    .select(REFUND_PENDING.as('refund_pending'))
    .where('o.id', '=', orderId)
    .executeTakeFirst();
  if (!o) return null;

  const [lines, payments, audit] = await Promise.all([
    listOrderLines(db, [o.id]),
    db
      .selectFrom('payment_transaction')
      .select([
        'id',
        'kind',
        'attempt_no',
        'status',
        'amount',
        'provider_payment_id',
        'failure_code',
        'created_at',
        'authorized_at',
        'captured_at',
        'canceled_at',
        'failed_at',
      ])
      .where('order_id', '=', o.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('audit_log as a')
      .leftJoin('users as u', 'u.id', 'a.actor_user_id')
      .select([
        'a.id',
        'a.created_at',
        'a.action',
        'a.actor_type',
        'u.display_name as actor_name',
        'a.before',
        'a.after',
        'a.reason',
      ])
      .where('a.entity_type', '=', 'order')
      .where('a.entity_id', '=', String(o.id))
      .orderBy('a.id')
      .execute(),
  ]);

  return {
    id: o.id,
    orderNumber: o.order_number,
    storeId: o.store_id,
    storeCode: o.store_code,
    storeNameRu: o.store_name_ru,
    storeNameZh: o.store_name_zh,
    storeNameEn: o.store_name_en,
    timezone: o.timezone,
    status: o.status,
    paymentStatus: o.payment_status,
    paymentMethod: o.payment_method,
    orderType: o.order_type,
    iikoSyncStatus: o.iiko_sync_status,
    customerName: o.customer_name,
    customerPhone: maskPhone(o.customer_phone),
    deliveryAddress: o.delivery_address,
    deliveryNote: o.delivery_note,
    deliveryEtaMinutes: o.delivery_eta_minutes,
    subtotal: fromDecimal(o.subtotal_amount),
    deliveryFee: fromDecimal(o.delivery_fee),
    couponDiscount: fromDecimal(o.coupon_discount),
    pointsDiscount: fromDecimal(o.points_discount),
    discount: fromDecimal(o.discount_amount),
    total: fromDecimal(o.total_amount),
    finalAmount: fromDecimal(o.final_amount),
    pointsUsed: o.points_used,
    pointsEarned: o.points_earned,
    cancelReason: o.cancel_reason,
    localDate: o.local_date,
    createdAt: o.created_at,
    confirmedAt: o.confirmed_at,
    completedAt: o.completed_at,
    cancelledAt: o.cancelled_at,
    refundedAt: o.refunded_at,
    refundPending: Boolean(o.refund_pending),
    lines: lines.get(o.id) ?? [],
    payments: payments.map((p) => ({
      id: p.id,
      kind: p.kind,
      attemptNo: p.attempt_no,
      status: p.status,
      amount: fromDecimal(p.amount),
      providerPaymentId: p.provider_payment_id,
      failureCode: p.failure_code,
      createdAt: p.created_at,
      authorizedAt: p.authorized_at,
      capturedAt: p.captured_at,
      canceledAt: p.canceled_at,
      failedAt: p.failed_at,
    })),
    audit: audit.map((a) => ({
      id: a.id,
      createdAt: a.created_at,
      action: a.action,
      actorType: a.actor_type,
      actorName: a.actor_name,
      before: a.before,
      after: a.after,
      reason: a.reason,
    })),
  };
}

/** How many orders wait for their money to go back (the admin board's banner). */
export async function countRefundPending(db: Db, scope: OrderScope): Promise<number> {
  const row = await ordersOf(db, scope)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(REFUND_PENDING)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The store's IANA time zone (its board shows that wall clock); null for an unknown store. */
export async function getStoreTimeZone(db: Db, storeId: number): Promise<string | null> {
  const row = await db
    .selectFrom('store')
    .select('timezone')
    .where('id', '=', storeId)
    .executeTakeFirst();
  return row?.timezone ?? null;
}
