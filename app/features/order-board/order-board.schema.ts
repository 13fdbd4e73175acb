import type { SubmissionResult } from '@conform-to/react';
import { z } from 'zod';
import type { StaffRole } from '~/auth/permissions';
import {
  isLegalTransition,
  ORDER_STATUSES,
  type OrderStatus,
} from '~/features/orders/order-status';
import { dateFilter, defineListParams, enumFilter, idFilter } from '~/utils/search-params';
import type { MessageKey } from '~/i18n/translate';
import { ORDER_TYPES } from '~/utils/vocabularies';

/**
 * The order board's vocabulary, form schemas and list state. Isomorphic: the routes parse with it,
 * the components decide which buttons to show with `staffActionsFor`, and the service checks the
 * same rules again (the server is the authority).
 */

export const STATUS_INTENT = 'status';
export const RETRY_REFUND_INTENT = 'retry-refund';
export const ORDER_ACTION_INTENTS = [STATUS_INTENT, RETRY_REFUND_INTENT] as const;

/** The board's columns, left to right. NEW = PENDING with money held or nothing to pay. */
export const BOARD_COLUMNS = ['NEW', 'CONFIRMED', 'PREPARING', 'READY', 'DELIVERING'] as const;
export type BoardColumn = (typeof BOARD_COLUMNS)[number];

/** The fulfilment states a staff member moves an order through (OR-1). */
export const ACTIVE_STATUSES = ['CONFIRMED', 'PREPARING', 'READY', 'DELIVERING'] as const;

/** payment_status of a PENDING order that counts as "new" on the board: held or nothing to pay. */
export const NEW_ORDER_PAYMENT_STATUSES = ['WAITING_FOR_CAPTURE', 'SUCCEEDED', 'NOT_REQUIRED'];

/** payment_status of a PENDING order staff may still cancel: nothing held yet (OR-1, OR-6). */
export const CANCELLABLE_PENDING_PAYMENT_STATUSES = ['PENDING', 'FAILED'] as const;

export const CANCEL_REASON_MAX = 300;
const ORDER_ID_MAX = 2_147_483_647;

/** The column an order sits in, or null when it is not on the board. */
export function boardColumnOf(order: {
  status: string;
  paymentStatus: string;
}): BoardColumn | null {
  if (order.status === 'PENDING') {
    return NEW_ORDER_PAYMENT_STATUSES.includes(order.paymentStatus) ? 'NEW' : null;
  }
  return (ACTIVE_STATUSES as readonly string[]).includes(order.status)
    ? (order.status as BoardColumn)
    : null;
}

/**
 * Money taken that still has to go back (PY-9): a cancelled order whose payment is still
 * SUCCEEDED; a completed order an admin started refunding (a refund attempt exists) whose money
 * is not back yet; a completed order whose money is back but which is not REFUNDED yet (the refund
 * finished later, through the reconciler). The same rule is the SQL in order-board.server.ts.
 */
export function isRefundPending(order: {
  status: string;
  paymentStatus: string;
  hasRefundAttempt: boolean;
}): boolean {
  if (order.status === 'CANCELLED') return order.paymentStatus === 'SUCCEEDED';
  if (order.status === 'COMPLETED') {
    return (
      order.paymentStatus === 'REFUNDED' ||
      (order.paymentStatus === 'SUCCEEDED' && order.hasRefundAttempt)
    );
  }
  return false;
}

export type OrderActionKind = 'forward' | 'cancel' | 'refund' | 'retry-refund';

export interface OrderAction {
  kind: OrderActionKind;
  /** The status the order goes to (absent for a refund retry of a cancelled order). */
  to: OrderStatus | null;
}

interface ActionSubject {
  status: string;
  paymentStatus: string;
  orderType: string;
  refundPending: boolean;
}

/** Later states of the fulfilment chain the order may jump to (OR-1), next one first. */
export function forwardTargets(order: { status: string; orderType: string }): OrderStatus[] {
  const chain: OrderStatus[] = ['PREPARING', 'READY', 'DELIVERING', 'COMPLETED'];
  if (!(ACTIVE_STATUSES as readonly string[]).includes(order.status)) return [];
  return chain.filter(
    (to) =>
      isLegalTransition(order.status as OrderStatus, to) &&
      (to !== 'DELIVERING' || order.orderType === 'DELIVERY'),
  );
}

/**
 * The buttons a role gets for an order (RB-1): fulfilment steps and cancel for both roles; the
 * refund of a completed order and refund retries for ADMIN only. PENDING → CONFIRMED and VOIDED
 * belong to the system (payment and POS outcome), so staff never get them.
 */
export function staffActionsFor(order: ActionSubject, role: StaffRole): OrderAction[] {
  const actions: OrderAction[] = forwardTargets(order).map((to) => ({ kind: 'forward', to }));
  const status = order.status as OrderStatus;
  const cancellable =
    status === 'PENDING'
      ? (CANCELLABLE_PENDING_PAYMENT_STATUSES as readonly string[]).includes(order.paymentStatus)
      : (ACTIVE_STATUSES as readonly string[]).includes(status);
  if (cancellable) actions.push({ kind: 'cancel', to: 'CANCELLED' });
  if (role === 'ADMIN') {
    if (order.refundPending) {
      actions.push({ kind: 'retry-refund', to: status === 'COMPLETED' ? 'REFUNDED' : null });
    } else if (status === 'COMPLETED') {
      actions.push({ kind: 'refund', to: 'REFUNDED' });
    }
  }
  return actions;
}

const orderIdField = z.coerce.number().int().positive().max(ORDER_ID_MAX);

/** One status button or the cancel form. `from` is the status the page showed (stale clicks → 409). */
export const statusActionSchema = z
  .object({
    intent: z.literal(STATUS_INTENT),
    orderId: orderIdField,
    to: z.enum(ORDER_STATUSES),
    from: z.enum(ORDER_STATUSES).optional(),
    reason: z.string().trim().max(CANCEL_REASON_MAX, 'orderBoard.error.reasonTooLong').optional(),
  })
  .superRefine((value, ctx) => {
    if (value.to === 'CANCELLED' && !value.reason) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'orderBoard.error.REASON_REQUIRED',
      });
    }
  });
export type StatusActionInput = z.infer<typeof statusActionSchema>;

export const retryRefundSchema = z.object({
  intent: z.literal(RETRY_REFUND_INTENT),
  orderId: orderIdField,
});

export const orderActionSchema = z.discriminatedUnion('intent', [
  statusActionSchema,
  retryRefundSchema,
]);

/** History list state (URL): newest first by default; dates are the stores' local dates. */
export const HISTORY_LIST = defineListParams({
  sortKeys: ['created', 'number', 'total'] as const,
  defaultSort: 'created',
  defaultDir: 'desc',
  filters: {
    from: dateFilter(),
    to: dateFilter(),
    status: enumFilter(ORDER_STATUSES),
    type: enumFilter(ORDER_TYPES),
    store: idFilter(),
    refund: enumFilter(['pending'] as const),
  },
});
export type HistoryParams = ReturnType<typeof HISTORY_LIST.parse>;

/** Board URL state: only the store (admin board); the search box leads to the history page. */
export const BOARD_PARAMS = defineListParams({
  sortKeys: ['created'] as const,
  defaultSort: 'created',
  filters: { store: idFilter() },
});

export type OrderSearch =
  /** An order number or its beginning: `P20260106`, `p202601060001`. */
  | { kind: 'number'; prefix: string }
  /** Digits: the end of an order number or of the customer's phone. */
  | { kind: 'digits'; digits: string }
  /** Something that can be neither: matches nothing. */
  | { kind: 'unsupported' };

/**
 * What the search box means. Spaces, dashes, brackets and a leading + are ignored (phones are
 * typed every which way); a Russian 8-prefixed 11-digit number is the same phone as +7.
 */
export function parseOrderSearch(q: string): OrderSearch | null {
  const compact = q.replace(/[\s()+-]/g, '');
  if (compact === '') return null;
  if (/^[A-Za-z][0-9]{0,14}$/.test(compact))
    return { kind: 'number', prefix: compact.toUpperCase() };
  if (/^[0-9]{3,15}$/.test(compact)) {
    const digits =
      compact.length === 11 && compact.startsWith('8') ? `7${compact.slice(1)}` : compact;
    return { kind: 'digits', digits };
  }
  return { kind: 'unsupported' };
}

/** The refresh period of the board while its tab is visible. */
export const BOARD_REFRESH_MS = 10_000;

/**
 * What happened to the money of a staff change: NONE (nothing to refund), SUCCEEDED, PENDING
 * (result unknown, the reconciler continues it), FAILED (refused: refund pending, PY-9),
 * UNAVAILABLE (no payment client configured: refund pending).
 */
export type RefundState = 'NONE' | 'SUCCEEDED' | 'PENDING' | 'FAILED' | 'UNAVAILABLE';

/** The JSON an order action answers with (the pages read it through their fetchers). */
export type OrderActionData =
  | {
      ok: true;
      orderId: number;
      orderNumber: string;
      status: string;
      refund: RefundState;
      notice: MessageKey;
      tone: 'success' | 'warning';
    }
  | {
      ok: false;
      orderId: number | null;
      code: string;
      message: MessageKey;
      /** The form's reply when a field is at fault (the cancel reason). */
      result?: SubmissionResult<string[]>;
    };
