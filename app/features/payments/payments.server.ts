import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { getIntSetting, getSettingValues } from '~/features/settings/app-settings.server';
import { escapeTelegramHtml } from '~/features/notifications/order-notifications.server';
import { translate } from '~/i18n/translate';
import { fromDecimal } from '~/utils/money';
import { sanitize } from '~/utils/sanitize';
import { earlierStatuses, idempotenceKey, type TxStatus } from './payment-rules';

/**
 * Queries of the payment flow (`payment_transaction` and the payment columns of `order`). Every
 * status change is a conditional UPDATE (PY-7): it names the statuses the row may be in and
 * returns nothing when another writer got there first. Transactions are opened by
 * payments.service.server.ts.
 */

export const PAYMENT_TIMEOUT_DEFAULT_MINUTES = 30;

const TX_COLUMNS = [
  'id',
  'order_id',
  'store_id',
  'kind',
  'attempt_no',
  'parent_id',
  'provider_payment_id',
  'idempotence_key',
  'status',
  'amount',
  'currency',
  'confirmation_url',
  'authorized_at',
  'created_at',
  'updated_at',
] as const;

export interface PaymentTx {
  id: number;
  order_id: number;
  store_id: number;
  kind: string;
  attempt_no: number;
  parent_id: number | null;
  provider_payment_id: string | null;
  idempotence_key: string;
  status: string;
  amount: string;
  currency: string;
  confirmation_url: string | null;
  authorized_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface PaymentOrder {
  id: number;
  public_token: string;
  order_number: string;
  member_id: number | null;
  store_id: number;
  status: string;
  payment_status: string;
  iiko_sync_status: string;
  final_amount: string;
  delivery_fee: string;
  customer_phone: string;
  created_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type OrderRef = { orderId: number } | { publicToken: string };

export async function getPaymentOrder(
  db: Db,
  ref: OrderRef,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<PaymentOrder | undefined> {
  if ('publicToken' in ref && !UUID.test(ref.publicToken)) return undefined;
  let query = db
    .selectFrom('order')
    .select([
      'id',
      'public_token',
      'order_number',
      'member_id',
      'store_id',
      'status',
      'payment_status',
      'iiko_sync_status',
      'final_amount',
      'delivery_fee',
      'customer_phone',
      'created_at',
    ]);
  query =
    'orderId' in ref
      ? query.where('id', '=', ref.orderId)
      : query.where('public_token', '=', ref.publicToken.toLowerCase());
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function getTransaction(db: Db, id: number): Promise<PaymentTx | undefined> {
  return db
    .selectFrom('payment_transaction')
    .select(TX_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findTransactionByProviderId(
  db: Db,
  kind: 'PAYMENT' | 'REFUND',
  providerId: string,
): Promise<PaymentTx | undefined> {
  return db
    .selectFrom('payment_transaction')
    .select(TX_COLUMNS)
    .where('provider', '=', 'YOOKASSA')
    .where('provider_payment_id', '=', providerId)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

/** The order's PAYMENT attempts, newest first. */
export async function listPaymentAttempts(db: Db, orderId: number): Promise<PaymentTx[]> {
  return db
    .selectFrom('payment_transaction')
    .select(TX_COLUMNS)
    .where('order_id', '=', orderId)
    .where('kind', '=', 'PAYMENT')
    .orderBy('attempt_no', 'desc')
    .execute();
}

/** The order's REFUND attempts, newest first. */
export async function listRefundAttempts(db: Db, orderId: number): Promise<PaymentTx[]> {
  return db
    .selectFrom('payment_transaction')
    .select(TX_COLUMNS)
    .where('order_id', '=', orderId)
    .where('kind', '=', 'REFUND')
    .orderBy('attempt_no', 'desc')
    .execute();
}

/** PY-3/PY-5: a new PAYMENT attempt with its create key, stored before the provider is called. */
export async function insertPaymentAttempt(
  db: Db,
  order: Pick<PaymentOrder, 'id' | 'store_id' | 'final_amount'>,
  attemptNo: number,
): Promise<PaymentTx> {
  return db
    .insertInto('payment_transaction')
    .values({
      order_id: order.id,
      store_id: order.store_id,
      kind: 'PAYMENT',
      provider: 'YOOKASSA',
      attempt_no: attemptNo,
      idempotence_key: idempotenceKey(order.id, 'create', attemptNo),
      status: 'PENDING',
      amount: order.final_amount,
    })
    .returning(TX_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** PY-9: a REFUND attempt of the captured payment, same amount, key stored before the call. */
export async function insertRefundAttempt(
  db: Db,
  payment: Pick<PaymentTx, 'id' | 'order_id' | 'store_id' | 'amount'>,
  attemptNo: number,
): Promise<PaymentTx> {
  return db
    .insertInto('payment_transaction')
    .values({
      order_id: payment.order_id,
      store_id: payment.store_id,
      kind: 'REFUND',
      provider: 'YOOKASSA',
      attempt_no: attemptNo,
      parent_id: payment.id,
      idempotence_key: idempotenceKey(payment.order_id, 'refund', attemptNo),
      status: 'PENDING',
      amount: payment.amount,
    })
    .returning(TX_COLUMNS)
    .executeTakeFirstOrThrow();
}

function payloadJson(object: unknown): string {
  // jsonb: serialised here; sanitized (card data, phones) before it is stored
  return JSON.stringify(sanitize(object));
}

/**
 * Records the provider's id (and confirmation URL) of a created payment or refund. Conditional on
 * the id being unset or the same, so a late answer can never re-point a row.
 */
export async function recordProviderObject(
  db: Db,
  txId: number,
  fields: { providerId: string; confirmationUrl?: string | null; payload: unknown },
): Promise<PaymentTx | undefined> {
  return db
    .updateTable('payment_transaction')
    .set({
      provider_payment_id: fields.providerId,
      ...(fields.confirmationUrl ? { confirmation_url: fields.confirmationUrl } : {}),
      last_provider_payload: payloadJson(fields.payload),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', txId)
    .where((eb) =>
      eb.or([
        eb('provider_payment_id', 'is', null),
        eb('provider_payment_id', '=', fields.providerId),
      ]),
    )
    .returning(TX_COLUMNS)
    .executeTakeFirst();
}

/** Marks a call attempt on a row still waiting for its answer (the reconciler spaces retries). */
export async function touchTransaction(db: Db, txId: number): Promise<void> {
  await db
    .updateTable('payment_transaction')
    .set({ updated_at: sql<Date>`now()` })
    .where('id', '=', txId)
    .execute();
}

export interface TxTransition {
  to: TxStatus;
  payload?: unknown;
  failure?: { code: string | null; party?: string | null; reason?: string | null };
}

/**
 * PY-7: the monotonic status change. `authorized_at` is stamped once, the first time the attempt
 * is seen on hold (or already captured); captured_at / canceled_at / failed_at go with their
 * status. Returns the updated row, or undefined when the row had already moved on.
 */
export async function transitionTransaction(
  db: Db,
  txId: number,
  change: TxTransition,
): Promise<PaymentTx | undefined> {
  const from = earlierStatuses(change.to);
  if (from.length === 0) return undefined;
  const now = sql<Date>`now()`;
  return db
    .updateTable('payment_transaction')
    .set({
      status: change.to,
      updated_at: now,
      ...(change.to === 'WAITING_FOR_CAPTURE' || change.to === 'SUCCEEDED'
        ? { authorized_at: sql<Date>`coalesce(authorized_at, now())` }
        : {}),
      ...(change.to === 'SUCCEEDED' ? { captured_at: now } : {}),
      ...(change.to === 'CANCELED' ? { canceled_at: now } : {}),
      ...(change.to === 'FAILED' ? { failed_at: now } : {}),
      ...(change.failure
        ? {
            failure_code: change.failure.code?.slice(0, 64) ?? null,
            failure_party: change.failure.party?.slice(0, 20) ?? null,
            failure_reason: change.failure.reason ?? null,
          }
        : {}),
      ...(change.payload === undefined
        ? {}
        : { last_provider_payload: payloadJson(change.payload) }),
    })
    .where('id', '=', txId)
    .where('status', 'in', [...from])
    .returning(TX_COLUMNS)
    .executeTakeFirst();
}

/**
 * PY-2: moves `order.payment_status` when it is one of `from` (and, when given, the order is in
 * `orderStatus`). False when the order was not in that state: someone else moved it first.
 */
export async function setOrderPaymentStatus(
  db: Db,
  orderId: number,
  change: { from: readonly string[]; to: string; orderStatus?: readonly string[] },
): Promise<boolean> {
  let update = db
    .updateTable('order')
    .set({ payment_status: change.to, updated_at: sql<Date>`now()` })
    .where('id', '=', orderId)
    .where('payment_status', 'in', [...change.from]);
  if (change.orderStatus) update = update.where('status', 'in', [...change.orderStatus]);
  const row = await update.returning('id').executeTakeFirst();
  return row !== undefined;
}

/**
 * IK-10: records the POS outcome of an order (`SYNCED` stamps iiko_synced_at). Conditional on the
 * status it leaves, so a replayed job cannot overwrite a final outcome.
 */
export async function setOrderIikoSyncStatus(
  db: Db,
  orderId: number,
  change: { from: readonly string[]; to: 'SYNCED' | 'SKIPPED' | 'FAILED' },
): Promise<boolean> {
  const row = await db
    .updateTable('order')
    .set({
      iiko_sync_status: change.to,
      ...(change.to === 'SYNCED' ? { iiko_synced_at: sql<Date>`now()` } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', orderId)
    .where('iiko_sync_status', 'in', [...change.from])
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Closes PAYMENT attempts that never got a provider id once their order is closed: nobody can
 * reach a confirmation page for them any more, so they are abandoned (DA-1 counts them apart).
 */
export async function abandonUncreatedAttempts(
  db: Db,
  orderId: number,
  reason: string,
): Promise<number> {
  const rows = await db
    .updateTable('payment_transaction')
    .set({
      status: 'CANCELED',
      canceled_at: sql<Date>`now()`,
      failure_code: reason,
      failure_party: 'merchant',
      updated_at: sql<Date>`now()`,
    })
    .where('order_id', '=', orderId)
    .where('kind', '=', 'PAYMENT')
    .where('status', '=', 'PENDING')
    .where('provider_payment_id', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

// --- settings and order data for the provider -------------------------------------------------

export function getPaymentTimeoutMinutes(db: Db): Promise<number> {
  return getIntSetting(db, 'orders.payment_timeout_minutes', PAYMENT_TIMEOUT_DEFAULT_MINUTES);
}

export interface ReceiptSettings {
  enabled: boolean;
  vatCode: number;
}

/** `payments.receipt_enabled` (false) and `payments.vat_code` (1), CF-8. */
export async function getReceiptSettings(db: Db): Promise<ReceiptSettings> {
  const values = await getSettingValues(db, ['payments.receipt_enabled', 'payments.vat_code']);
  const enabled = values.get('payments.receipt_enabled');
  const vat = Number(values.get('payments.vat_code'));
  return {
    enabled: enabled === true || enabled === 'true',
    vatCode: Number.isInteger(vat) && vat >= 1 && vat <= 12 ? vat : 1,
  };
}

export async function listReceiptLines(db: Db, orderId: number) {
  const rows = await db
    .selectFrom('order_item')
    .select(['product_name_ru', 'quantity', 'line_total', 'discount_amount'])
    .where('order_id', '=', orderId)
    .orderBy('line_no')
    .execute();
  return rows.map((r) => ({
    name: r.product_name_ru,
    quantity: r.quantity,
    lineTotalKopecks: fromDecimal(r.line_total),
    discountKopecks: fromDecimal(r.discount_amount),
  }));
}

/**
 * PY-8: a capture that ended canceled after the order reached iiko — the store chat is told to
 * cancel it there (one message per order, `store_cancel:<orderId>`).
 */
export async function enqueueStoreCancelNotice(
  db: Db,
  orderId: number,
  reason: string,
): Promise<void> {
  const order = await db
    .selectFrom('order as o')
    .innerJoin('store as s', 's.id', 'o.store_id')
    .select(['o.id', 'o.order_number', 'o.store_id', 's.telegram_chat_id'])
    .where('o.id', '=', orderId)
    .executeTakeFirst();
  if (!order || order.telegram_chat_id === null) return;
  const text = (['ru', 'zh'] as const)
    .map((lang) =>
      escapeTelegramHtml(
        translate(lang, 'payments.notify.captureCanceled', { number: order.order_number, reason }),
      ),
    )
    .join('\n\n');
  await db
    .insertInto('notification')
    .values({
      recipient_type: 'STORE_CHAT',
      chat_id: String(order.telegram_chat_id),
      store_id: order.store_id,
      order_id: order.id,
      type: 'ORDER_STATUS',
      dedupe_key: `store_cancel:${order.id}`,
      text,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

// --- reconciler and sweeper ---------------------------------------------------------------------

export interface ReconcileRow extends PaymentTx {
  order_status: string;
  order_payment_status: string;
  iiko_sync_status: string;
  order_created_at: Date;
  push_job_failed: boolean;
}

function reconcileQuery(db: Db) {
  return db
    .selectFrom('payment_transaction as t')
    .innerJoin('order as o', 'o.id', 't.order_id')
    .select([
      't.id',
      't.order_id',
      't.store_id',
      't.kind',
      't.attempt_no',
      't.parent_id',
      't.provider_payment_id',
      't.idempotence_key',
      't.status',
      't.amount',
      't.currency',
      't.confirmation_url',
      't.authorized_at',
      't.created_at',
      't.updated_at',
      'o.status as order_status',
      'o.payment_status as order_payment_status',
      'o.iiko_sync_status',
      'o.created_at as order_created_at',
      sql<boolean>`exists (
        select 1 from iiko_sync_job j
        where j.job_type = 'ORDER_PUSH' and j.resource_id = 'order:' || t.order_id and j.status = 'FAILED'
      )`.as('push_job_failed'),
    ]);
}

/**
 * PY-10 work list: PAYMENT rows PENDING for longer than `pendingBefore` (not touched since
 * `untouchedBefore`), PAYMENT rows on hold not touched since `untouchedBefore`, REFUND rows PENDING
 * not touched since then. Oldest first.
 */
export async function listTransactionsToReconcile(
  db: Db,
  args: { pendingBefore: Date; untouchedBefore: Date; limit: number },
): Promise<ReconcileRow[]> {
  return reconcileQuery(db)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('t.kind', '=', 'PAYMENT'),
          eb('t.status', '=', 'PENDING'),
          eb('t.created_at', '<', args.pendingBefore),
          eb('t.updated_at', '<', args.untouchedBefore),
        ]),
        eb.and([
          eb('t.kind', '=', 'PAYMENT'),
          eb('t.status', '=', 'WAITING_FOR_CAPTURE'),
          eb('t.updated_at', '<', args.untouchedBefore),
        ]),
        eb.and([
          eb('t.kind', '=', 'REFUND'),
          eb('t.status', '=', 'PENDING'),
          eb('t.updated_at', '<', args.untouchedBefore),
        ]),
      ]),
    )
    .orderBy('t.updated_at')
    .orderBy('t.id')
    .limit(args.limit)
    .execute();
}

/** OR-4: PENDING orders without a hold created before `createdBefore`, oldest first. */
export async function listOrdersPastPaymentDeadline(
  db: Db,
  args: { createdBefore: Date; limit: number },
): Promise<{ id: number }[]> {
  return db
    .selectFrom('order')
    .select('id')
    .where('status', '=', 'PENDING')
    .where('payment_status', 'in', ['PENDING', 'FAILED'])
    .where('created_at', '<', args.createdBefore)
    .orderBy('created_at')
    .limit(args.limit)
    .execute();
}
