/** Order status rules (OR-1) over the vocabularies of domain §1.3. Isomorphic. */

import type { OrderPaymentStatus, OrderStatus } from '~/utils/vocabularies';

export {
  ORDER_PAYMENT_STATUSES as PAYMENT_STATUSES,
  ORDER_STATUSES,
  TERMINAL_ORDER_STATUSES,
  type OrderStatus,
} from '~/utils/vocabularies';
export type PaymentStatus = OrderPaymentStatus;

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
