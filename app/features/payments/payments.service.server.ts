import type { Db } from '~db/database.server';
import { writeAudit } from '~/features/audit/audit.server';
import type { CheckoutErrorCode } from '~/features/checkout/checkout-errors';
import { enqueueJob } from '~/features/jobs/job-queue.server';
import { transitionOrder, type TransitionActor } from '~/features/orders/lifecycle.service.server';
import type {
  CallOptions,
  YooKassaClient,
  YooKassaPayment,
  YooKassaRefund,
} from '~/integrations/yookassa/yookassa-client.server';
import { notificationSchema } from '~/integrations/yookassa/yookassa-types.server';
import { translate } from '~/i18n/translate';
import { getEnv } from '~/utils/env.server';
import { logger } from '~/utils/logger.server';
import { fromDecimal } from '~/utils/money';
import { isUniqueViolation } from '~/utils/pg-errors';
import {
  ABANDONED_REASON,
  idempotenceKey,
  txStatusOfPayment,
  txStatusOfRefund,
  type TxStatus,
} from './payment-rules';
import {
  abandonUncreatedAttempts,
  findTransactionByProviderId,
  getPaymentOrder,
  getPaymentTimeoutMinutes,
  getReceiptSettings,
  getTransaction,
  insertPaymentAttempt,
  insertRefundAttempt,
  listOrdersPastPaymentDeadline,
  listPaymentAttempts,
  listReceiptLines,
  listRefundAttempts,
  listTransactionsToReconcile,
  recordProviderObject,
  setOrderIikoSyncStatus,
  setOrderPaymentStatus,
  touchTransaction,
  transitionTransaction,
  enqueueStoreCancelNotice,
  type OrderRef,
  type PaymentOrder,
  type PaymentTx,
  type ReconcileRow,
} from './payments.server';
import { buildReceipt } from './receipt';

/**
 * The YooKassa payment flow (PY-1 … PY-10): creating attempts, applying provider statuses,
 * capture, cancel, refund, the member's cancel, the reconciler and the payment-deadline sweeper.
 *
 * The rules every function here keeps:
 * - a provider call never happens inside a database transaction (no row lock is held across the
 *   network); the key of a create or refund is stored on its row before the first call (PY-3);
 * - the provider's answer is a fact to apply, never a command: `applyProviderPayment` moves rows
 *   only forward with conditional UPDATEs (PY-7), so duplicates and stale answers change nothing;
 * - an unknown result (500, timeout) leaves the row as it is; the reconciler retries with the
 *   same key until the provider gives a definite answer.
 * Lock order inside transactions: order row → payment_transaction rows (as at checkout).
 */

export interface PaymentCallContext {
  requestId?: string | null;
  ip?: string | null;
  /** Aborts provider calls (a job's timeout): the result is then unknown. */
  signal?: AbortSignal;
}

const SYSTEM: TransitionActor = { type: 'SYSTEM' };

function assertOutsideTransaction(db: Db): void {
  if (db.isTransaction)
    throw new Error('payment services call the provider and must not run inside a transaction');
}

function callOptions(ctx: PaymentCallContext): CallOptions {
  return ctx.signal ? { signal: ctx.signal } : {};
}

function sameAmount(tx: PaymentTx, amount: { value: string; currency: string }): boolean {
  return amount.currency === tx.currency && fromDecimal(amount.value) === fromDecimal(tx.amount);
}

// --- applying provider objects ------------------------------------------------------------------

export type ApplyResult =
  /** The row moved to `status` (with its order effects). */
  | { applied: true; status: TxStatus }
  /** Nothing changed: a duplicate, a stale answer, or a status the row already has. */
  | { applied: false; status: string; ignored?: 'amount_mismatch' | 'id_mismatch' };

/**
 * Applies a payment object fetched from the provider to its attempt (PY-2, PY-7, PY-8): the
 * monotonic status change and, in the same transaction, the order's payment status, the
 * ORDER_PUSH job on a hold, the order confirmation on a capture, or the cancel/void on a release.
 * A hold for an order that is no longer PENDING is cancelled right after the commit.
 */
export async function applyProviderPayment(
  db: Db,
  client: YooKassaClient,
  tx: PaymentTx,
  payment: YooKassaPayment,
  ctx: PaymentCallContext = {},
): Promise<ApplyResult> {
  assertOutsideTransaction(db);
  const log = {
    event: 'payment.apply',
    txId: tx.id,
    orderId: tx.order_id,
    requestId: ctx.requestId,
  };
  if (tx.kind !== 'PAYMENT') throw new Error(`transaction ${tx.id} is not a payment`);
  if (tx.provider_payment_id && tx.provider_payment_id !== payment.id) {
    logger.error({ ...log, providerId: payment.id }, 'provider object belongs to another attempt');
    return { applied: false, status: tx.status, ignored: 'id_mismatch' };
  }
  if (!sameAmount(tx, payment.amount)) {
    logger.error(
      { ...log, providerAmount: payment.amount, amount: tx.amount, currency: tx.currency },
      'provider amount or currency differs from the attempt: ignored',
    );
    return { applied: false, status: tx.status, ignored: 'amount_mismatch' };
  }
  if (!tx.provider_payment_id) {
    await recordProviderObject(db, tx.id, {
      providerId: payment.id,
      confirmationUrl: payment.confirmation?.confirmation_url ?? null,
      payload: payment,
    });
  }

  const to = txStatusOfPayment(payment.status);
  if (to === 'PENDING') return { applied: false, status: tx.status };

  const effect = await db.transaction().execute(async (trx) => {
    const order = await getPaymentOrder(trx, { orderId: tx.order_id }, { forUpdate: true });
    if (!order) throw new Error(`order ${tx.order_id} of transaction ${tx.id} is missing`);
    const cancellation = payment.cancellation_details;
    const moved = await transitionTransaction(trx, tx.id, {
      to,
      payload: payment,
      ...(to === 'CANCELED' && cancellation
        ? { failure: { code: cancellation.reason, party: cancellation.party } }
        : {}),
    });
    if (!moved) return null;
    const cancelHold = await applyOrderEffects(trx, order, moved, to, cancellation?.reason, ctx);
    return { moved, cancelHold };
  });

  if (!effect) {
    const current = await getTransaction(db, tx.id);
    return { applied: false, status: current?.status ?? tx.status };
  }
  logger.info({ ...log, status: to }, 'payment status applied');
  if (effect.cancelHold) {
    logger.warn({ ...log }, 'hold for an order that is no longer pending: cancelling it');
    await cancelHold(db, client, effect.moved, ctx);
  }
  return { applied: true, status: to };
}

/** The order side of a payment status change; true when the hold must be cancelled now. */
async function applyOrderEffects(
  trx: Db,
  order: PaymentOrder,
  tx: PaymentTx,
  to: TxStatus,
  cancelReason: string | undefined,
  ctx: PaymentCallContext,
): Promise<boolean> {
  const requestId = ctx.requestId ?? null;
  if (to === 'WAITING_FOR_CAPTURE') {
    const held = await setOrderPaymentStatus(trx, order.id, {
      from: ['PENDING', 'FAILED'],
      to: 'WAITING_FOR_CAPTURE',
      orderStatus: ['PENDING'],
    });
    // PY-8: the POS gets the order once the money is held (IK-2: at most one ORDER_PUSH per order)
    if (held) await enqueueJob(trx, { type: 'ORDER_PUSH', resourceId: `order:${order.id}` });
    return !held;
  }

  if (to === 'SUCCEEDED') {
    const paymentStatus = {
      from: ['WAITING_FOR_CAPTURE', 'PENDING', 'FAILED'] as const,
      to: 'SUCCEEDED' as const,
    };
    const accepted = order.iiko_sync_status === 'SYNCED' || order.iiko_sync_status === 'SKIPPED';
    if (order.status === 'PENDING' && accepted) {
      const confirmed = await transitionOrder(trx, {
        orderId: order.id,
        from: ['PENDING'],
        to: 'CONFIRMED',
        actor: SYSTEM,
        paymentStatus,
        requestId,
      });
      if (confirmed) return false;
    }
    const moved = await setOrderPaymentStatus(trx, order.id, {
      from: paymentStatus.from,
      to: 'SUCCEEDED',
      orderStatus: ['PENDING'],
    });
    if (!moved)
      logger.error(
        { event: 'payment.captured_for_closed_order', orderId: order.id, txId: tx.id },
        'a payment was captured for an order that is no longer pending',
      );
    return false;
  }

  if (to === 'CANCELED') {
    if (tx.authorized_at === null) {
      // declined or expired before any hold: the member may pay again (PY-2 PENDING → FAILED)
      await setOrderPaymentStatus(trx, order.id, {
        from: ['PENDING'],
        to: 'FAILED',
        orderStatus: ['PENDING'],
      });
      return false;
    }
    if (order.status !== 'PENDING') {
      await setOrderPaymentStatus(trx, order.id, { from: ['WAITING_FOR_CAPTURE'], to: 'CANCELED' });
      return false;
    }
    // the hold is gone: ORDER_PUSH failed → VOIDED (we cancelled it); otherwise the capture was
    // refused or the hold expired → CANCELLED, and the store is told to cancel it in iiko if iiko had accepted it
    const voided = order.iiko_sync_status === 'FAILED';
    await transitionOrder(trx, {
      orderId: order.id,
      from: ['PENDING'],
      to: voided ? 'VOIDED' : 'CANCELLED',
      actor: SYSTEM,
      reason: voided ? 'iiko_push_failed' : (cancelReason ?? 'payment_canceled'),
      paymentStatus: { from: ['WAITING_FOR_CAPTURE'], to: 'CANCELED' },
      requestId,
    });
    if (!voided && order.iiko_sync_status === 'SYNCED')
      await enqueueStoreCancelNotice(trx, order.id, cancelReason ?? 'canceled');
    return false;
  }
  return false;
}

/**
 * Who closes a COMPLETED order as REFUNDED when its refund succeeds: the admin who asked, when the
 * provider confirms at once; the system, when the reconciler learns it later.
 */
export interface CompletedOrderClose {
  actor: TransitionActor;
  reason: string | null;
}

/**
 * Applies a refund object fetched from the provider (PY-9): SUCCEEDED → payment_status REFUNDED,
 * and a COMPLETED order (an admin refund) becomes REFUNDED in the same transaction.
 */
export async function applyProviderRefund(
  db: Db,
  tx: PaymentTx,
  refund: YooKassaRefund,
  ctx: PaymentCallContext = {},
  close: CompletedOrderClose = { actor: { type: 'SYSTEM' }, reason: 'refund_succeeded' },
): Promise<ApplyResult> {
  const log = {
    event: 'refund.apply',
    txId: tx.id,
    orderId: tx.order_id,
    requestId: ctx.requestId,
  };
  if (tx.kind !== 'REFUND') throw new Error(`transaction ${tx.id} is not a refund`);
  if (tx.provider_payment_id && tx.provider_payment_id !== refund.id) {
    logger.error({ ...log, providerId: refund.id }, 'provider refund belongs to another attempt');
    return { applied: false, status: tx.status, ignored: 'id_mismatch' };
  }
  if (!sameAmount(tx, refund.amount)) {
    logger.error({ ...log, providerAmount: refund.amount }, 'refund amount differs: ignored');
    return { applied: false, status: tx.status, ignored: 'amount_mismatch' };
  }
  if (!tx.provider_payment_id)
    await recordProviderObject(db, tx.id, { providerId: refund.id, payload: refund });

  const to = txStatusOfRefund(refund.status);
  if (to === 'PENDING') return { applied: false, status: tx.status };
  const moved = await db.transaction().execute(async (trx) => {
    const order = await getPaymentOrder(trx, { orderId: tx.order_id }, { forUpdate: true });
    const row = await transitionTransaction(trx, tx.id, {
      to,
      payload: refund,
      ...(to === 'CANCELED' && refund.cancellation_details
        ? {
            failure: {
              code: refund.cancellation_details.reason,
              party: refund.cancellation_details.party,
            },
          }
        : {}),
    });
    if (row && to === 'SUCCEEDED') {
      if (order?.status === 'COMPLETED') {
        // only an admin refund (ADR 0014) refunds a COMPLETED order: once the money is back the
        // order is closed as REFUNDED with its effects, however late the provider confirms
        await transitionOrder(trx, {
          orderId: tx.order_id,
          from: ['COMPLETED'],
          to: 'REFUNDED',
          actor: close.actor,
          reason: close.reason,
          paymentStatus: { from: ['SUCCEEDED'], to: 'REFUNDED' },
          requestId: ctx.requestId ?? null,
          ip: ctx.ip ?? null,
        });
      } else {
        await setOrderPaymentStatus(trx, tx.order_id, { from: ['SUCCEEDED'], to: 'REFUNDED' });
      }
    }
    return row;
  });
  if (!moved) {
    const current = await getTransaction(db, tx.id);
    return { applied: false, status: current?.status ?? tx.status };
  }
  logger.info({ ...log, status: to }, 'refund status applied');
  return { applied: true, status: to };
}

/** Re-fetches a PAYMENT attempt and applies the answer; null when the provider gave none. */
async function refetchPayment(
  db: Db,
  client: YooKassaClient,
  tx: PaymentTx,
  ctx: PaymentCallContext,
): Promise<ApplyResult | null> {
  if (!tx.provider_payment_id) return null;
  const result = await client.getPayment(tx.provider_payment_id, callOptions(ctx));
  if (!result.ok) return null;
  return applyProviderPayment(db, client, tx, result.object, ctx);
}

/**
 * The order page's "is it paid yet" (before the notification arrives): re-fetches the order's
 * newest attempt while it is PENDING or on hold and applies the answer. Returns the attempt's
 * status afterwards, or null when there is nothing to ask or the provider did not answer.
 */
export async function refreshPaymentFromProvider(
  db: Db,
  client: YooKassaClient,
  orderId: number,
  ctx: PaymentCallContext = {},
): Promise<string | null> {
  const [latest] = await listPaymentAttempts(db, orderId);
  if (!latest || !latest.provider_payment_id) return null;
  if (latest.status !== 'PENDING' && latest.status !== 'WAITING_FOR_CAPTURE') return latest.status;
  const applied = await refetchPayment(db, client, latest, ctx);
  return applied?.status ?? null;
}

// --- starting a payment (PY-3, PY-4, PY-5) ------------------------------------------------------

export type StartPaymentResult =
  /** Send the browser to the provider's confirmation page. */
  | { kind: 'redirect'; url: string }
  /** Nothing to pay (already held, paid, free, or the order moved on): show the order. */
  | { kind: 'settled'; publicToken: string }
  /** No such order for this member (also for someone else's order: 404, not 403). */
  | { kind: 'not_found' }
  /** The provider refused this attempt (4xx): it is FAILED, the member may pay again. */
  | { kind: 'rejected'; publicToken: string; code: string }
  /** Result unknown (500, timeout): the attempt stays PENDING; trying again reuses its key. */
  | { kind: 'unavailable'; publicToken: string }
  /** The payment deadline (OR-4) has passed without a hold. */
  | { kind: 'expired'; publicToken: string };

export interface StartPaymentArgs {
  order: OrderRef;
  memberId: number;
  now?: Date;
}

function returnUrl(order: Pick<PaymentOrder, 'public_token'>): string {
  return `${getEnv().PUBLIC_BASE_URL.replace(/\/+$/, '')}/o/${order.public_token}`;
}

/** The create request of an attempt, rebuilt identically on every retry of its key. */
async function createRequest(db: Db, order: PaymentOrder, tx: PaymentTx) {
  const receipt = await getReceiptSettings(db);
  return {
    amountKopecks: fromDecimal(tx.amount),
    returnUrl: returnUrl(order),
    description: translate('ru', 'payments.provider.description', { number: order.order_number }),
    metadata: { order_id: String(order.id), order_number: order.order_number },
    ...(receipt.enabled
      ? {
          receipt: buildReceipt({
            phone: order.customer_phone,
            vatCode: receipt.vatCode,
            lines: await listReceiptLines(db, order.id),
            deliveryFeeKopecks: fromDecimal(order.delivery_fee),
            deliveryLabel: translate('ru', 'payments.receipt.delivery'),
          }),
        }
      : {}),
  };
}

type CreateOutcome =
  | { kind: 'created'; tx: PaymentTx; payment: YooKassaPayment }
  | { kind: 'rejected'; code: string }
  | { kind: 'unknown' };

/** Calls POST /payments with the attempt's stored key and records the answer. */
async function createAtProvider(
  db: Db,
  client: YooKassaClient,
  order: PaymentOrder,
  tx: PaymentTx,
  ctx: PaymentCallContext,
): Promise<CreateOutcome> {
  await touchTransaction(db, tx.id);
  const request = await createRequest(db, order, tx);
  const result = await client.createPayment(request, tx.idempotence_key, callOptions(ctx));
  if (result.ok) {
    const recorded = await recordProviderObject(db, tx.id, {
      providerId: result.object.id,
      confirmationUrl: result.object.confirmation?.confirmation_url ?? null,
      payload: result.object,
    });
    if (!recorded) {
      logger.error(
        { event: 'payment.create_conflict', txId: tx.id, orderId: order.id },
        'the attempt already carries another provider payment',
      );
      return { kind: 'unknown' };
    }
    // the answer may already be past pending (a payer faster than our answer); apply it
    await applyProviderPayment(db, client, recorded, result.object, ctx);
    return { kind: 'created', tx: recorded, payment: result.object };
  }
  if (result.kind === 'unknown') return { kind: 'unknown' };

  await db.transaction().execute(async (trx) => {
    await getPaymentOrder(trx, { orderId: order.id }, { forUpdate: true });
    const failed = await transitionTransaction(trx, tx.id, {
      to: 'FAILED',
      failure: { code: result.code, party: null, reason: result.description || null },
    });
    if (failed)
      await setOrderPaymentStatus(trx, order.id, {
        from: ['PENDING'],
        to: 'FAILED',
        orderStatus: ['PENDING'],
      });
  });
  return { kind: 'rejected', code: result.code };
}

function pastDeadline(order: PaymentOrder, timeoutMinutes: number, now: Date): boolean {
  return order.created_at.getTime() + timeoutMinutes * 60_000 <= now.getTime();
}

/**
 * Opens a new attempt when the order allows one (PY-5): PENDING, before the deadline, no live
 * attempt. Its own short transaction, committed before the provider is called (PY-3). Returns the
 * attempt to use — the new one, or the live one another request created first.
 */
async function openAttempt(db: Db, orderId: number): Promise<PaymentTx | null> {
  try {
    return await db.transaction().execute(async (trx) => {
      const order = await getPaymentOrder(trx, { orderId }, { forUpdate: true });
      if (!order || order.status !== 'PENDING') return null;
      if (order.payment_status !== 'PENDING' && order.payment_status !== 'FAILED') return null;
      const attempts = await listPaymentAttempts(trx, orderId);
      const live = attempts.find(
        (a) => a.status === 'PENDING' || a.status === 'WAITING_FOR_CAPTURE',
      );
      if (live) return live;
      const tx = await insertPaymentAttempt(trx, order, (attempts[0]?.attempt_no ?? 0) + 1);
      // PY-2: FAILED → PENDING when the member starts a new attempt
      await setOrderPaymentStatus(trx, orderId, { from: ['FAILED'], to: 'PENDING' });
      return tx;
    });
  } catch (err) {
    // idx_payment_transaction_live_unique or the attempt number: another request opened it
    if (!isUniqueViolation(err)) throw err;
    const attempts = await listPaymentAttempts(db, orderId);
    return attempts.find((a) => a.status === 'PENDING') ?? null;
  }
}

/**
 * `/o/<token>/pay` (CK-4, PY-4, PY-5): continues the live attempt or opens a new one, creates the
 * provider payment with the attempt's stored key, and answers where the browser goes next.
 */
export async function startPayment(
  db: Db,
  client: YooKassaClient,
  args: StartPaymentArgs,
  ctx: PaymentCallContext = {},
): Promise<StartPaymentResult> {
  assertOutsideTransaction(db);
  const now = args.now ?? new Date();
  let order = await getPaymentOrder(db, args.order);
  if (!order || order.member_id !== args.memberId) return { kind: 'not_found' };
  const token = order.public_token;
  const timeoutMinutes = await getPaymentTimeoutMinutes(db);

  // two rounds at most: a pending attempt that turns out to be over is followed by a new one
  for (let round = 0; round < 2; round++) {
    if (order.status !== 'PENDING') return { kind: 'settled', publicToken: token };
    if (order.payment_status !== 'PENDING' && order.payment_status !== 'FAILED')
      return { kind: 'settled', publicToken: token };

    const [latest] = await listPaymentAttempts(db, order.id);
    let tx: PaymentTx | null = latest && latest.status === 'PENDING' ? latest : null;

    if (tx?.provider_payment_id) {
      // the payer may have finished (or abandoned) the provider page since: ask before redirecting
      const applied = await refetchPayment(db, client, tx, ctx);
      if (applied && applied.status !== 'PENDING') {
        order = (await getPaymentOrder(db, { orderId: order.id }))!;
        continue;
      }
      if (pastDeadline(order, timeoutMinutes, now)) return { kind: 'expired', publicToken: token };
      if (tx.confirmation_url) return { kind: 'redirect', url: tx.confirmation_url };
    }

    if (pastDeadline(order, timeoutMinutes, now)) return { kind: 'expired', publicToken: token };
    tx ??= await openAttempt(db, order.id);
    if (!tx) {
      order = (await getPaymentOrder(db, { orderId: order.id }))!;
      continue;
    }
    if (tx.status === 'WAITING_FOR_CAPTURE') return { kind: 'settled', publicToken: token };

    const created = await createAtProvider(db, client, order, tx, ctx);
    if (created.kind === 'rejected')
      return { kind: 'rejected', publicToken: token, code: created.code };
    if (created.kind === 'unknown') return { kind: 'unavailable', publicToken: token };
    if (created.payment.status !== 'pending') return { kind: 'settled', publicToken: token };
    const url = created.payment.confirmation?.confirmation_url ?? created.tx.confirmation_url;
    if (!url) {
      logger.error(
        { event: 'payment.no_confirmation_url', txId: tx.id, orderId: order.id },
        'created payment has no confirmation URL',
      );
      return { kind: 'unavailable', publicToken: token };
    }
    return { kind: 'redirect', url };
  }
  return { kind: 'settled', publicToken: token };
}

// --- capture, cancel, push outcome (PY-8) --------------------------------------------------------

export type ProviderCallOutcome =
  | { result: 'SUCCEEDED' | 'CANCELED' | 'WAITING_FOR_CAPTURE' | 'PENDING'; httpStatus?: number }
  | { result: 'REJECTED'; httpStatus: number; code: string }
  | { result: 'UNKNOWN'; httpStatus?: number; reason: string }
  | { result: 'NO_HOLD' | 'NOT_CONFIGURED' };

function outcomeOf(status: string, httpStatus?: number): ProviderCallOutcome {
  const result =
    status === 'SUCCEEDED' || status === 'CANCELED' || status === 'WAITING_FOR_CAPTURE'
      ? status
      : 'PENDING';
  return { result, ...(httpStatus === undefined ? {} : { httpStatus }) };
}

/**
 * Releases a hold: POST /payments/{id}/cancel with `ctea-<orderId>-cancel-<txId>`, then applies
 * the answer (CANCELED → order VOIDED or CANCELLED). A refusal means the payment moved on at the
 * provider: re-fetch and apply that instead.
 */
export async function cancelHold(
  db: Db,
  client: YooKassaClient,
  tx: PaymentTx,
  ctx: PaymentCallContext = {},
): Promise<ProviderCallOutcome> {
  assertOutsideTransaction(db);
  if (!tx.provider_payment_id) return { result: 'NO_HOLD' };
  const key = idempotenceKey(tx.order_id, 'cancel', tx.id);
  const result = await client.cancelPayment(tx.provider_payment_id, key, callOptions(ctx));
  if (result.ok) {
    const applied = await applyProviderPayment(db, client, tx, result.object, ctx);
    return outcomeOf(applied.status, result.httpStatus);
  }
  if (result.kind === 'unknown')
    return {
      result: 'UNKNOWN',
      reason: result.reason,
      ...(result.httpStatus ? { httpStatus: result.httpStatus } : {}),
    };
  await refetchPayment(db, client, tx, ctx);
  return { result: 'REJECTED', httpStatus: result.httpStatus, code: result.code };
}

/**
 * PY-8: the POS accepted (or skipped) the order: capture the full held amount with
 * `ctea-<orderId>-capture-<txId>` and apply the answer (SUCCEEDED → CONFIRMED; canceled, e.g.
 * expired_on_capture → CANCELLED). Unknown results are left to the reconciler.
 */
export async function captureOrderPayment(
  db: Db,
  client: YooKassaClient,
  orderId: number,
  ctx: PaymentCallContext = {},
): Promise<ProviderCallOutcome> {
  assertOutsideTransaction(db);
  const tx = (await listPaymentAttempts(db, orderId)).find(
    (a) => a.status === 'WAITING_FOR_CAPTURE' || a.status === 'SUCCEEDED',
  );
  if (!tx || !tx.provider_payment_id) return { result: 'NO_HOLD' };
  if (tx.status === 'SUCCEEDED') return { result: 'SUCCEEDED' };
  const key = idempotenceKey(orderId, 'capture', tx.id);
  const result = await client.capturePayment(
    tx.provider_payment_id,
    fromDecimal(tx.amount),
    key,
    callOptions(ctx),
  );
  if (result.ok) {
    const applied = await applyProviderPayment(db, client, tx, result.object, ctx);
    return outcomeOf(applied.status, result.httpStatus);
  }
  if (result.kind === 'unknown')
    return {
      result: 'UNKNOWN',
      reason: result.reason,
      ...(result.httpStatus ? { httpStatus: result.httpStatus } : {}),
    };
  // refused: the hold expired or was released meanwhile; take the provider's word for it
  await refetchPayment(db, client, tx, ctx);
  return { result: 'REJECTED', httpStatus: result.httpStatus, code: result.code };
}

/**
 * ORDER_PUSH succeeded or was skipped (IK-10): record it, then capture the hold, or confirm at
 * once an order with nothing to pay (points or zero amount).
 */
export async function completeAcceptedOrder(
  db: Db,
  client: YooKassaClient | null,
  args: { orderId: number; iiko: 'SYNCED' | 'SKIPPED' },
  ctx: PaymentCallContext = {},
): Promise<ProviderCallOutcome | { result: 'CONFIRMED' | 'ORDER_CLOSED' }> {
  assertOutsideTransaction(db);
  await setOrderIikoSyncStatus(db, args.orderId, { from: ['PENDING'], to: args.iiko });
  const order = await getPaymentOrder(db, { orderId: args.orderId });
  if (!order || order.status !== 'PENDING') return { result: 'ORDER_CLOSED' };
  if (order.payment_status === 'NOT_REQUIRED') {
    await db.transaction().execute((trx) =>
      transitionOrder(trx, {
        orderId: order.id,
        from: ['PENDING'],
        to: 'CONFIRMED',
        actor: SYSTEM,
        paymentStatus: { from: ['NOT_REQUIRED'], to: 'NOT_REQUIRED' },
        requestId: ctx.requestId ?? null,
      }),
    );
    return { result: 'CONFIRMED' };
  }
  if (order.payment_status !== 'WAITING_FOR_CAPTURE') return { result: 'NO_HOLD' };
  if (!client) return { result: 'NOT_CONFIGURED' };
  return captureOrderPayment(db, client, order.id, ctx);
}

/**
 * ORDER_PUSH failed for good (IK-10): iiko_sync_status FAILED, then the hold is cancelled and the
 * order VOIDED (PY-8); an order with nothing held is voided directly.
 */
export async function voidRejectedOrder(
  db: Db,
  client: YooKassaClient | null,
  args: { orderId: number; reason: string },
  ctx: PaymentCallContext = {},
): Promise<ProviderCallOutcome | { result: 'VOIDED' | 'ORDER_CLOSED' }> {
  assertOutsideTransaction(db);
  const voidedNow = await db.transaction().execute(async (trx) => {
    const order = await getPaymentOrder(trx, { orderId: args.orderId }, { forUpdate: true });
    if (!order || order.status !== 'PENDING') return null;
    await setOrderIikoSyncStatus(trx, order.id, { from: ['PENDING', 'FAILED'], to: 'FAILED' });
    if (order.payment_status === 'WAITING_FOR_CAPTURE') return false;
    return transitionOrder(trx, {
      orderId: order.id,
      from: ['PENDING'],
      to: 'VOIDED',
      actor: SYSTEM,
      reason: args.reason,
      requestId: ctx.requestId ?? null,
    });
  });
  if (voidedNow === null) return { result: 'ORDER_CLOSED' };
  if (voidedNow) {
    await abandonUncreatedAttempts(db, args.orderId, ABANDONED_REASON);
    return { result: 'VOIDED' };
  }
  const tx = (await listPaymentAttempts(db, args.orderId)).find(
    (a) => a.status === 'WAITING_FOR_CAPTURE',
  );
  if (!tx) return { result: 'NO_HOLD' };
  if (!client) return { result: 'NOT_CONFIGURED' };
  return cancelHold(db, client, tx, ctx);
}

// --- refunds (PY-9) -----------------------------------------------------------------------------

export type RefundOutcome =
  | { status: 'SUCCEEDED' | 'PENDING' | 'CANCELED' | 'FAILED'; txId: number; code?: string }
  | { status: 'NOT_REFUNDABLE' };

/**
 * Full refund of the captured payment: a REFUND row (next attempt, key stored first), then
 * POST /refunds. SUCCEEDED → order payment_status REFUNDED; a refusal leaves it SUCCEEDED, so the
 * order stays in the "refund pending" list and can be refunded again (next attempt). A refund
 * still PENDING is continued with its own key instead of starting another. The order status
 * (CANCELLED, REFUNDED) is the caller's transition; this moves only the money.
 */
export async function refundOrder(
  db: Db,
  client: YooKassaClient,
  args: { orderId: number; actor: TransitionActor; reason?: string | null },
  ctx: PaymentCallContext = {},
): Promise<RefundOutcome> {
  assertOutsideTransaction(db);
  let tx: PaymentTx | null;
  try {
    tx = await db.transaction().execute(async (trx) => {
      const order = await getPaymentOrder(trx, { orderId: args.orderId }, { forUpdate: true });
      if (!order || order.payment_status !== 'SUCCEEDED') return null;
      const payment = (await listPaymentAttempts(trx, order.id)).find(
        (a) => a.status === 'SUCCEEDED',
      );
      if (!payment || !payment.provider_payment_id) return null;
      const refunds = await listRefundAttempts(trx, order.id);
      const open = refunds.find((r) => r.status === 'PENDING');
      if (open) return open;
      const created = await insertRefundAttempt(trx, payment, (refunds[0]?.attempt_no ?? 0) + 1);
      await writeAudit(trx, {
        actorType: args.actor.type,
        actorUserId: args.actor.type === 'USER' ? args.actor.userId : null,
        actorMemberId: args.actor.type === 'MEMBER' ? args.actor.memberId : null,
        storeId: order.store_id,
        action: 'payment.refund',
        entityType: 'order',
        entityId: order.id,
        after: { attempt_no: created.attempt_no, amount: created.amount },
        reason: args.reason ?? null,
        requestId: ctx.requestId ?? null,
        ip: ctx.ip ?? null,
      });
      return created;
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    tx = (await listRefundAttempts(db, args.orderId)).find((r) => r.status === 'PENDING') ?? null;
  }
  if (!tx) return { status: 'NOT_REFUNDABLE' };
  return sendRefund(db, client, tx, ctx, { actor: args.actor, reason: args.reason ?? null });
}

async function sendRefund(
  db: Db,
  client: YooKassaClient,
  tx: PaymentTx,
  ctx: PaymentCallContext,
  close?: CompletedOrderClose,
): Promise<RefundOutcome> {
  if (tx.provider_payment_id) {
    const fetched = await client.getRefund(tx.provider_payment_id, callOptions(ctx));
    if (!fetched.ok) return { status: 'PENDING', txId: tx.id };
    const applied = await applyProviderRefund(db, tx, fetched.object, ctx, close);
    return { status: applied.status as 'SUCCEEDED' | 'PENDING' | 'CANCELED', txId: tx.id };
  }
  const payment = tx.parent_id === null ? undefined : await getTransaction(db, tx.parent_id);
  if (!payment?.provider_payment_id) throw new Error(`refund ${tx.id} has no captured payment`);
  await touchTransaction(db, tx.id);
  const result = await client.createRefund(
    { paymentId: payment.provider_payment_id, amountKopecks: fromDecimal(tx.amount) },
    tx.idempotence_key,
    callOptions(ctx),
  );
  if (result.ok) {
    const applied = await applyProviderRefund(db, tx, result.object, ctx, close);
    const status = applied.applied ? applied.status : txStatusOfRefund(result.object.status);
    return { status: status as 'SUCCEEDED' | 'PENDING' | 'CANCELED', txId: tx.id };
  }
  if (result.kind === 'unknown') return { status: 'PENDING', txId: tx.id };
  await transitionTransaction(db, tx.id, {
    to: 'FAILED',
    failure: { code: result.code, party: null, reason: result.description || null },
  });
  return { status: 'FAILED', txId: tx.id, code: result.code };
}

// --- member cancel (OR-6) -----------------------------------------------------------------------

export type CancelByMemberResult =
  | { ok: true }
  | { ok: false; code: Extract<CheckoutErrorCode, 'NOT_FOUND' | 'INVALID_TRANSITION'> };

/**
 * OR-6: a member cancels their own PENDING order while nothing is held (payment_status PENDING
 * or FAILED). The conditional transition races safely with a hold arriving at the same moment:
 * whichever commits first wins; a hold that arrives afterwards is cancelled at once (PY-8).
 */
export async function cancelOrderByMember(
  db: Db,
  args: { order: OrderRef; memberId: number },
  ctx: PaymentCallContext = {},
): Promise<CancelByMemberResult> {
  const order = await getPaymentOrder(db, args.order);
  if (!order || order.member_id !== args.memberId) return { ok: false, code: 'NOT_FOUND' };
  const cancelled = await db.transaction().execute(async (trx) => {
    const done = await transitionOrder(trx, {
      orderId: order.id,
      from: ['PENDING'],
      to: 'CANCELLED',
      actor: { type: 'MEMBER', memberId: args.memberId },
      reason: 'cancelled_by_member',
      paymentStatus: { from: ['PENDING', 'FAILED'], to: 'CANCELED' },
      requestId: ctx.requestId ?? null,
      ip: ctx.ip ?? null,
    });
    if (done) await abandonUncreatedAttempts(trx, order.id, ABANDONED_REASON);
    return done;
  });
  return cancelled ? { ok: true } : { ok: false, code: 'INVALID_TRANSITION' };
}

// --- notifications (PY-6 steps 2–4) -------------------------------------------------------------

export interface NotificationOutcome {
  /** 200 handled or ignored; 400 unreadable body; 503 the provider did not answer the re-fetch. */
  status: 200 | 400 | 503;
  outcome: 'applied' | 'unchanged' | 'ignored' | 'unknown_object' | 'invalid' | 'refetch_failed';
}

/**
 * A notification is only a hint: the object is re-fetched by id and the fetched status applied.
 * Unknown ids are acknowledged (200) and ignored; a failed re-fetch answers 503 so the provider
 * delivers again. The source address was checked by the route.
 */
export async function handleYooKassaNotification(
  db: Db,
  client: YooKassaClient,
  body: unknown,
  ctx: PaymentCallContext = {},
): Promise<NotificationOutcome> {
  const parsed = notificationSchema.safeParse(body);
  if (!parsed.success) return { status: 400, outcome: 'invalid' };
  const { event, object } = parsed.data;
  const log = { event: 'yookassa.notification', notification: event, requestId: ctx.requestId };

  if (event.startsWith('payment.')) {
    const tx = await findTransactionByProviderId(db, 'PAYMENT', object.id);
    if (!tx) {
      logger.info(
        { ...log, providerId: object.id },
        'notification for an unknown payment: ignored',
      );
      return { status: 200, outcome: 'unknown_object' };
    }
    const fetched = await client.getPayment(object.id, callOptions(ctx));
    if (!fetched.ok) return { status: 503, outcome: 'refetch_failed' };
    const applied = await applyProviderPayment(db, client, tx, fetched.object, ctx);
    return {
      status: 200,
      outcome: applied.applied ? 'applied' : applied.ignored ? 'ignored' : 'unchanged',
    };
  }
  if (event.startsWith('refund.')) {
    const tx = await findTransactionByProviderId(db, 'REFUND', object.id);
    if (!tx) return { status: 200, outcome: 'unknown_object' };
    const fetched = await client.getRefund(object.id, callOptions(ctx));
    if (!fetched.ok) return { status: 503, outcome: 'refetch_failed' };
    const applied = await applyProviderRefund(db, tx, fetched.object, ctx);
    return {
      status: 200,
      outcome: applied.applied ? 'applied' : applied.ignored ? 'ignored' : 'unchanged',
    };
  }
  logger.info(log, 'notification of a kind CTEA does not use: ignored');
  return { status: 200, outcome: 'ignored' };
}

// --- reconciler (PY-10) and payment deadline (OR-4) ----------------------------------------------

export interface ReconcileSummary {
  checked: number;
  changed: number;
  captured: number;
  cancelled: number;
  unknown: number;
  errors: number;
}

const RECONCILE_PENDING_AFTER_MS = 2 * 60_000;
/** Rows touched more recently are being handled by a request or a job right now. */
const RECONCILE_UNTOUCHED_MS = 60_000;

/**
 * PY-10, every minute: brings every open attempt to the provider's truth and finishes what a
 * crash or an unknown answer left half done — creates retried with their stored key, holds
 * captured or released once the POS outcome is known (or the order closed), refunds fetched or
 * re-sent. Each row is handled on its own; one failure does not stop the others.
 */
export async function reconcilePayments(
  db: Db,
  client: YooKassaClient,
  {
    now = new Date(),
    limit = 100,
    signal,
  }: { now?: Date; limit?: number; signal?: AbortSignal } = {},
): Promise<ReconcileSummary> {
  assertOutsideTransaction(db);
  const rows = await listTransactionsToReconcile(db, {
    pendingBefore: new Date(now.getTime() - RECONCILE_PENDING_AFTER_MS),
    untouchedBefore: new Date(now.getTime() - RECONCILE_UNTOUCHED_MS),
    limit,
  });
  const summary: ReconcileSummary = {
    checked: 0,
    changed: 0,
    captured: 0,
    cancelled: 0,
    unknown: 0,
    errors: 0,
  };
  const timeoutMinutes = await getPaymentTimeoutMinutes(db);
  const ctx: PaymentCallContext = signal ? { signal } : {};
  for (const row of rows) {
    if (signal?.aborted) break;
    summary.checked += 1;
    try {
      await reconcileOne(db, client, row, { now, timeoutMinutes, ctx, summary });
    } catch (err) {
      summary.errors += 1;
      logger.error(
        { err, event: 'payment.reconcile_failed', txId: row.id, orderId: row.order_id },
        'reconcile failed',
      );
    }
  }
  if (summary.checked > 0)
    logger.info({ event: 'payment.reconciled', ...summary }, 'payments reconciled');
  return summary;
}

async function reconcileOne(
  db: Db,
  client: YooKassaClient,
  row: ReconcileRow,
  env: { now: Date; timeoutMinutes: number; ctx: PaymentCallContext; summary: ReconcileSummary },
): Promise<void> {
  const { ctx, summary } = env;
  if (row.kind === 'REFUND') {
    const outcome = await sendRefund(db, client, row, ctx);
    if (outcome.status !== 'PENDING') summary.changed += 1;
    else summary.unknown += 1;
    return;
  }

  if (row.status === 'PENDING' && !row.provider_payment_id) {
    if (row.order_status !== 'PENDING') {
      if ((await abandonUncreatedAttempts(db, row.order_id, ABANDONED_REASON)) > 0)
        summary.changed += 1;
      return;
    }
    // past the deadline the sweeper closes the order and this attempt with it
    if (row.order_created_at.getTime() + env.timeoutMinutes * 60_000 <= env.now.getTime()) return;
    const order = await getPaymentOrder(db, { orderId: row.order_id });
    if (!order) return;
    const created = await createAtProvider(db, client, order, row, ctx);
    if (created.kind === 'unknown') summary.unknown += 1;
    else summary.changed += 1;
    return;
  }

  // PENDING with a provider id, or on hold: ask the provider first
  const applied = await refetchPayment(db, client, row, ctx);
  if (!applied) {
    summary.unknown += 1;
    return;
  }
  if (applied.applied) summary.changed += 1;
  const current = await getTransaction(db, row.id);
  if (!current || current.status !== 'WAITING_FOR_CAPTURE') return;

  const order = await getPaymentOrder(db, { orderId: row.order_id });
  if (!order) return;
  if (order.status !== 'PENDING' || order.iiko_sync_status === 'FAILED' || row.push_job_failed) {
    // the POS refused (or the order closed): release the hold; VOIDED when the push failed
    if (order.status === 'PENDING' && order.iiko_sync_status !== 'FAILED')
      await setOrderIikoSyncStatus(db, order.id, { from: ['PENDING'], to: 'FAILED' });
    const outcome = await cancelHold(db, client, current, ctx);
    if (outcome.result === 'CANCELED') summary.cancelled += 1;
    else if (outcome.result === 'UNKNOWN') summary.unknown += 1;
    return;
  }
  if (order.iiko_sync_status === 'SYNCED' || order.iiko_sync_status === 'SKIPPED') {
    const outcome = await captureOrderPayment(db, client, order.id, ctx);
    if (outcome.result === 'SUCCEEDED') summary.captured += 1;
    else if (outcome.result === 'UNKNOWN') summary.unknown += 1;
    return;
  }
  // POS outcome not known yet: make sure the push is queued (a no-op when it already exists)
  await enqueueJob(db, { type: 'ORDER_PUSH', resourceId: `order:${order.id}` });
}

export interface DeadlineSummary {
  checked: number;
  cancelled: number;
  held: number;
  unknown: number;
}

/**
 * OR-4: cancels PENDING orders still without a hold `orders.payment_timeout_minutes` after
 * creation. The live attempt is re-fetched first: a hold found then continues the payment flow
 * instead, and an attempt the provider does not answer for keeps its order until the next run.
 */
export async function sweepPaymentDeadlines(
  db: Db,
  client: YooKassaClient | null,
  { now = new Date(), limit = 100 }: { now?: Date; limit?: number } = {},
): Promise<DeadlineSummary> {
  assertOutsideTransaction(db);
  const timeoutMinutes = await getPaymentTimeoutMinutes(db);
  const orders = await listOrdersPastPaymentDeadline(db, {
    createdBefore: new Date(now.getTime() - timeoutMinutes * 60_000),
    limit,
  });
  const summary: DeadlineSummary = { checked: 0, cancelled: 0, held: 0, unknown: 0 };
  for (const { id } of orders) {
    summary.checked += 1;
    try {
      const live = (await listPaymentAttempts(db, id)).find(
        (a) => a.status === 'PENDING' && a.provider_payment_id !== null,
      );
      if (live) {
        const applied = client ? await refetchPayment(db, client, live, {}) : null;
        if (!applied) {
          summary.unknown += 1;
          continue;
        }
        if (applied.status === 'WAITING_FOR_CAPTURE' || applied.status === 'SUCCEEDED') {
          summary.held += 1;
          continue;
        }
      }
      const cancelled = await db.transaction().execute(async (trx) => {
        const done = await transitionOrder(trx, {
          orderId: id,
          from: ['PENDING'],
          to: 'CANCELLED',
          actor: SYSTEM,
          reason: 'payment_timeout',
          paymentStatus: { from: ['PENDING', 'FAILED'], to: 'CANCELED' },
        });
        if (done) await abandonUncreatedAttempts(trx, id, ABANDONED_REASON);
        return done;
      });
      if (cancelled) summary.cancelled += 1;
      else summary.held += 1;
    } catch (err) {
      summary.unknown += 1;
      logger.error(
        { err, event: 'payment.deadline_failed', orderId: id },
        'payment deadline sweep failed',
      );
    }
  }
  if (summary.checked > 0)
    logger.info({ event: 'payment.deadline_swept', ...summary }, 'payment deadlines swept');
  return summary;
}
