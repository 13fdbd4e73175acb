import type { Db } from '~db/database.server';
import { can, type StaffRole } from '~/auth/permissions';
import { transitionOrder, type TransitionActor } from '~/features/orders/lifecycle.service.server';
import { isLegalTransition, type OrderStatus } from '~/features/orders/order-status';
import { ABANDONED_REASON } from '~/features/payments/payment-rules';
import { abandonUncreatedAttempts } from '~/features/payments/payments.server';
import { refundOrder } from '~/features/payments/payments.service.server';
import {
  getOptionalYooKassaClient,
  type YooKassaClient,
} from '~/integrations/yookassa/yookassa-client.server';
import { logger } from '~/utils/logger.server';
import {
  ACTIVE_STATUSES,
  CANCELLABLE_PENDING_PAYMENT_STATUSES,
  type RefundState,
} from './order-board.schema';
import { getOrderState, type OrderScope, type OrderState } from './order-board.server';

/**
 * Staff status changes from the order board (OR-1 … OR-3, PY-9, RB-1). Every change goes through
 * `transitionOrder` — the conditional UPDATE on the status the order was seen in (OR-2), its
 * audit row and the release effects, in one transaction. Refunds are provider calls and happen
 * after that commit, never inside it (no row lock is held across the network).
 *
 * Order of effects:
 * - cancel of a paid order (CONFIRMED … DELIVERING, payment SUCCEEDED): CANCELLED with its
 *   release (coupon, points, attribution) commits first; the refund follows. A refund the
 *   provider refuses leaves the order CANCELLED with payment SUCCEEDED — "refund pending" (PY-9)
 *   — and an admin retries it; one with an unknown result is finished by the reconciler.
 * - COMPLETED → REFUNDED (ADMIN): the money goes back first, and only a SUCCEEDED refund lets the
 *   order become REFUNDED (which reverses earned points and attribution, PT-8 and OS-9). A refused
 *   refund changes nothing but the refund attempt; an unknown one leaves the order COMPLETED until
 *   the reconciler confirms it, after which the admin's retry closes the order.
 * Every refusal is a typed result; nothing here throws for a user's input.
 */

export interface BoardActor {
  userId: number;
  role: StaffRole;
  /** store_staff links (empty for ADMIN, who reaches every store). */
  storeIds: readonly number[];
  requestId?: string | null;
  ip?: string | null;
}

export interface OrderBoardDeps {
  /** The payment client; defaults to the one configured by the environment (null: not configured). */
  yookassa?: YooKassaClient | null;
}

export const ORDER_CHANGE_ERROR_STATUS = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  INVALID_TRANSITION: 409,
  REASON_REQUIRED: 400,
  /** The provider refused the refund: nothing changed but a FAILED refund attempt. */
  REFUND_FAILED: 409,
  /** No payment client is configured: the money cannot be moved now. */
  REFUND_UNAVAILABLE: 503,
} as const;
export type OrderChangeErrorCode = keyof typeof ORDER_CHANGE_ERROR_STATUS;

export type OrderChangeResult =
  | { ok: true; orderId: number; orderNumber: string; status: OrderStatus; refund: RefundState }
  | {
      ok: false;
      code: OrderChangeErrorCode;
      status: (typeof ORDER_CHANGE_ERROR_STATUS)[OrderChangeErrorCode];
      /** Why a transition was refused, when more specific than "not from this state". */
      detail?: 'DELIVERY_ONLY' | 'STALE';
    };

export interface ChangeOrderStatusArgs {
  orderId: number;
  to: OrderStatus;
  /** The status the page showed; a different current status is a stale click → INVALID_TRANSITION. */
  from?: OrderStatus;
  /** Required for CANCELLED; kept in the order (cancel_reason) and the audit row. */
  reason?: string | null;
  /** The store the request works in (/manage/$storeId): the order must belong to it. */
  storeId?: number;
}

function fail(
  code: OrderChangeErrorCode,
  detail?: 'DELIVERY_ONLY' | 'STALE',
): Extract<OrderChangeResult, { ok: false }> {
  return {
    ok: false,
    code,
    status: ORDER_CHANGE_ERROR_STATUS[code],
    ...(detail ? { detail } : {}),
  };
}

function done(order: OrderState, status: OrderStatus, refund: RefundState): OrderChangeResult {
  return { ok: true, orderId: order.id, orderNumber: order.orderNumber, status, refund };
}

/**
 * The orders an actor may touch: ADMIN every store (or the one being worked in); a STORE_MANAGER
 * only their store_staff stores, narrowed to the one being worked in (RB-2).
 */
export function scopeForActor(
  actor: Pick<BoardActor, 'role' | 'storeIds'>,
  storeId?: number,
): OrderScope {
  if (actor.role === 'ADMIN') {
    return storeId === undefined ? { kind: 'all' } : { kind: 'stores', storeIds: [storeId] };
  }
  const storeIds =
    storeId === undefined ? actor.storeIds : actor.storeIds.filter((id) => id === storeId);
  return { kind: 'stores', storeIds };
}

function userActor(actor: BoardActor): TransitionActor {
  return { type: 'USER', userId: actor.userId };
}

const isActive = (status: string) => (ACTIVE_STATUSES as readonly string[]).includes(status);

/**
 * A staff status change (button or cancel form). The order is read within the actor's scope
 * (another store's order is NOT_FOUND); the transition itself is decided by transitionOrder's
 * conditional UPDATE, so of two concurrent clicks at most one moves the order.
 */
export async function changeOrderStatus(
  db: Db,
  actor: BoardActor,
  args: ChangeOrderStatusArgs,
  deps: OrderBoardDeps = {},
): Promise<OrderChangeResult> {
  if (!can(actor.role, 'orders.status')) return fail('FORBIDDEN');
  const order = await getOrderState(db, {
    scope: scopeForActor(actor, args.storeId),
    orderId: args.orderId,
  });
  if (!order) return fail('NOT_FOUND');
  if (args.to === 'REFUNDED' && !can(actor.role, 'orders.refund')) return fail('FORBIDDEN');
  if (args.from && args.from !== order.status) return fail('INVALID_TRANSITION', 'STALE');
  if (args.to === 'REFUNDED') {
    return refundCompletedOrder(db, actor, order, args.reason ?? null, deps);
  }
  if (args.to === 'CANCELLED') return cancelOrder(db, actor, order, args.reason ?? '', deps);

  // forward along CONFIRMED → PREPARING → READY → DELIVERING → COMPLETED; PENDING → CONFIRMED
  // and → VOIDED are the system's (payment and POS outcome), never a staff button
  if (!isActive(order.status) || !isLegalTransition(order.status as OrderStatus, args.to)) {
    return fail('INVALID_TRANSITION');
  }
  if (args.to === 'DELIVERING' && order.orderType !== 'DELIVERY') {
    return fail('INVALID_TRANSITION', 'DELIVERY_ONLY');
  }
  const moved = await db.transaction().execute((trx) =>
    transitionOrder(trx, {
      orderId: order.id,
      from: [order.status as OrderStatus],
      to: args.to,
      actor: userActor(actor),
      requestId: actor.requestId ?? null,
      ip: actor.ip ?? null,
    }),
  );
  if (!moved) return fail('INVALID_TRANSITION', 'STALE');
  logChange(actor, order, args.to);
  return done(order, args.to, 'NONE');
}

/**
 * OR-1 cancel by staff: a PENDING order only while nothing is held (payment PENDING or FAILED);
 * CONFIRMED … DELIVERING always, with a full refund of a captured payment after the commit.
 */
async function cancelOrder(
  db: Db,
  actor: BoardActor,
  order: OrderState,
  reasonInput: string,
  deps: OrderBoardDeps,
): Promise<OrderChangeResult> {
  const reason = reasonInput.trim();
  if (!reason) return fail('REASON_REQUIRED');
  const base = {
    orderId: order.id,
    to: 'CANCELLED' as const,
    actor: userActor(actor),
    reason,
    requestId: actor.requestId ?? null,
    ip: actor.ip ?? null,
  };

  if (order.status === 'PENDING') {
    const noHold = CANCELLABLE_PENDING_PAYMENT_STATUSES as readonly string[];
    if (!noHold.includes(order.paymentStatus)) return fail('INVALID_TRANSITION');
    const moved = await db.transaction().execute(async (trx) => {
      // conditional on the payment status too: a hold that lands first wins, and this refuses
      const cancelled = await transitionOrder(trx, {
        ...base,
        from: ['PENDING'],
        paymentStatus: { from: [...noHold] as ('PENDING' | 'FAILED')[], to: 'CANCELED' },
      });
      if (cancelled) await abandonUncreatedAttempts(trx, order.id, ABANDONED_REASON);
      return cancelled;
    });
    if (!moved) return fail('INVALID_TRANSITION', 'STALE');
    logChange(actor, order, 'CANCELLED');
    return done(order, 'CANCELLED', 'NONE');
  }

  if (!isActive(order.status)) return fail('INVALID_TRANSITION');
  const moved = await db
    .transaction()
    .execute((trx) => transitionOrder(trx, { ...base, from: [order.status as OrderStatus] }));
  if (!moved) return fail('INVALID_TRANSITION', 'STALE');
  logChange(actor, order, 'CANCELLED');
  // after the commit: the release stands whatever the provider answers (PY-9 refund pending)
  const refund =
    order.paymentStatus === 'SUCCEEDED' ? await requestRefund(db, actor, order, deps) : 'NONE';
  return done(order, 'CANCELLED', refund);
}

/** ADMIN: COMPLETED → REFUNDED, the money first (see the module comment). */
async function refundCompletedOrder(
  db: Db,
  actor: BoardActor,
  order: OrderState,
  reason: string | null,
  deps: OrderBoardDeps,
): Promise<OrderChangeResult> {
  if (order.status !== 'COMPLETED') return fail('INVALID_TRANSITION');
  let refund: RefundState = 'NONE';
  let paymentStatus = order.paymentStatus;
  if (paymentStatus === 'SUCCEEDED') {
    refund = await requestRefund(db, actor, order, deps, reason);
    if (refund === 'UNAVAILABLE') return fail('REFUND_UNAVAILABLE');
    if (refund === 'FAILED') return fail('REFUND_FAILED');
    if (refund === 'PENDING') return done(order, 'COMPLETED', 'PENDING');
    const now = await getOrderState(db, { scope: { kind: 'all' }, orderId: order.id });
    // a SUCCEEDED refund closes the order in its own transaction (applyProviderRefund)
    if (now?.status === 'REFUNDED') {
      logChange(actor, order, 'REFUNDED');
      return done(order, 'REFUNDED', refund);
    }
    paymentStatus = now?.paymentStatus ?? paymentStatus;
  }
  // the money is back (REFUNDED) or none was taken (NOT_REQUIRED: points or a free order)
  if (paymentStatus !== 'REFUNDED' && paymentStatus !== 'NOT_REQUIRED') {
    return fail('INVALID_TRANSITION', 'STALE');
  }
  const settled = paymentStatus;
  const moved = await db.transaction().execute((trx) =>
    transitionOrder(trx, {
      orderId: order.id,
      from: ['COMPLETED'],
      to: 'REFUNDED',
      actor: userActor(actor),
      reason,
      // unchanged, but the UPDATE must still find the money settled as seen
      paymentStatus: { from: [settled], to: settled },
      requestId: actor.requestId ?? null,
      ip: actor.ip ?? null,
    }),
  );
  if (!moved) return fail('INVALID_TRANSITION', 'STALE');
  logChange(actor, order, 'REFUNDED');
  return done(order, 'REFUNDED', refund);
}

/**
 * ADMIN, PY-9: sends the refund of a "refund pending" order again (a new attempt, or the open one
 * continued with its key). A completed order is closed as REFUNDED once its money is back.
 */
export async function retryRefund(
  db: Db,
  actor: BoardActor,
  args: { orderId: number; storeId?: number },
  deps: OrderBoardDeps = {},
): Promise<OrderChangeResult> {
  if (!can(actor.role, 'orders.refund')) return fail('FORBIDDEN');
  const order = await getOrderState(db, {
    scope: scopeForActor(actor, args.storeId),
    orderId: args.orderId,
  });
  if (!order) return fail('NOT_FOUND');
  if (!order.refundPending) return fail('INVALID_TRANSITION');
  if (order.status === 'COMPLETED') return refundCompletedOrder(db, actor, order, null, deps);
  const refund = await requestRefund(db, actor, order, deps);
  if (refund === 'UNAVAILABLE') return fail('REFUND_UNAVAILABLE');
  if (refund === 'FAILED') return fail('REFUND_FAILED');
  return done(order, order.status as OrderStatus, refund);
}

/** The refund call (outside any transaction); provider and database failures become a state. */
async function requestRefund(
  db: Db,
  actor: BoardActor,
  order: OrderState,
  deps: OrderBoardDeps,
  reason: string | null = null,
): Promise<RefundState> {
  const log = { event: 'order_board.refund', orderId: order.id, requestId: actor.requestId };
  const client = deps.yookassa !== undefined ? deps.yookassa : getOptionalYooKassaClient();
  if (!client) {
    logger.error(
      log,
      'refund needed but YooKassa is not configured: the order stays refund pending',
    );
    return 'UNAVAILABLE';
  }
  try {
    const outcome = await refundOrder(
      db,
      client,
      { orderId: order.id, actor: userActor(actor), reason },
      { requestId: actor.requestId ?? null, ip: actor.ip ?? null },
    );
    logger.info({ ...log, outcome: outcome.status }, 'refund requested from the order board');
    switch (outcome.status) {
      case 'SUCCEEDED':
        return 'SUCCEEDED';
      case 'PENDING':
        return 'PENDING';
      case 'NOT_REFUNDABLE':
        return 'NONE';
      default:
        return 'FAILED';
    }
  } catch (err) {
    logger.error({ ...log, err }, 'refund failed: the order stays refund pending');
    return 'FAILED';
  }
}

function logChange(actor: BoardActor, order: OrderState, to: OrderStatus): void {
  logger.info(
    {
      event: 'order_board.status',
      orderId: order.id,
      storeId: order.storeId,
      from: order.status,
      to,
      userId: actor.userId,
      requestId: actor.requestId,
    },
    'order status changed by staff',
  );
}
