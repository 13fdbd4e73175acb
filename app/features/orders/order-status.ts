/** Order and payment states (domain §1.3, OR-1, PY-2). Isomorphic. */

export const ORDER_STATUSES = [
  'PENDING',
  'CONFIRMED',
  'PREPARING',
  'READY',
  'DELIVERING',
  'COMPLETED',
  'CANCELLED',
  'VOIDED',
  'REFUNDED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_STATUSES = [
  'PENDING',
  'WAITING_FOR_CAPTURE',
  'SUCCEEDED',
  'CANCELED',
  'FAILED',
  'REFUNDED',
  'NOT_REQUIRED',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = ['CANCELLED', 'VOIDED', 'REFUNDED'];

/** The fulfilment chain: staff may move an order to any later state of it (OR-1). */
const CHAIN: readonly OrderStatus[] = [
  'CONFIRMED',
  'PREPARING',
  'READY',
  'DELIVERING',
  'COMPLETED',
];

/** OR-1 as data: may an order go from `from` to `to` at all (who may do it is the caller's check). */
export function isLegalTransition(from: OrderStatus, to: OrderStatus): boolean {
  if (from === 'PENDING') return to === 'CONFIRMED' || to === 'CANCELLED' || to === 'VOIDED';
  const i = CHAIN.indexOf(from);
  if (i >= 0) {
    if (to === 'CANCELLED') return from !== 'COMPLETED';
    if (to === 'REFUNDED') return from === 'COMPLETED';
    const j = CHAIN.indexOf(to);
    return j > i;
  }
  return false;
}
