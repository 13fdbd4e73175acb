import type { OrderStatus } from '~/utils/vocabularies';

/**
 * The order statuses counted as revenue on the overview (ADR 0016): paid and accepted, and still
 * so — CONFIRMED (payment captured or nothing to pay, POS accepted), PREPARING, READY, DELIVERING,
 * COMPLETED. PENDING is not paid yet (at most a hold); CANCELLED was released or refunded; VOIDED
 * never captured; REFUNDED gave the money back.
 */
export const REVENUE_ORDER_STATUSES = [
  'CONFIRMED',
  'PREPARING',
  'READY',
  'DELIVERING',
  'COMPLETED',
] as const satisfies readonly OrderStatus[];
