/**
 * Pure rules of the payment flow (PY-2, PY-3, PY-7), shared by the services and their tests.
 * Vocabulary: provider statuses are lowercase (YooKassa), ours uppercase; payments spell
 * CANCELED with one L, as the provider does.
 */

export type TxStatus = 'PENDING' | 'WAITING_FOR_CAPTURE' | 'SUCCEEDED' | 'CANCELED' | 'FAILED';
export type ProviderPaymentStatus = 'pending' | 'waiting_for_capture' | 'succeeded' | 'canceled';
export type ProviderRefundStatus = 'pending' | 'succeeded' | 'canceled';

export type KeyOperation = 'create' | 'capture' | 'cancel' | 'refund';

/**
 * PY-3: `ctea-<orderId>-<operation>-<n>`. create and refund take the attempt number of their row;
 * capture and cancel the PAYMENT row's id. Every retry of one operation reuses its key.
 */
export function idempotenceKey(orderId: number, operation: KeyOperation, n: number): string {
  const key = `ctea-${orderId}-${operation}-${n}`;
  if (key.length > 64) throw new RangeError(`idempotence key over 64 characters: ${key}`);
  return key;
}

const PAYMENT_STATUS: Record<ProviderPaymentStatus, TxStatus> = {
  pending: 'PENDING',
  waiting_for_capture: 'WAITING_FOR_CAPTURE',
  succeeded: 'SUCCEEDED',
  canceled: 'CANCELED',
};

const REFUND_STATUS: Record<ProviderRefundStatus, TxStatus> = {
  pending: 'PENDING',
  succeeded: 'SUCCEEDED',
  canceled: 'CANCELED',
};

export function txStatusOfPayment(status: ProviderPaymentStatus): TxStatus {
  return PAYMENT_STATUS[status];
}

export function txStatusOfRefund(status: ProviderRefundStatus): TxStatus {
  return REFUND_STATUS[status];
}

/**
 * PY-7: the statuses a row may be in for a move to `to` (PENDING < WAITING_FOR_CAPTURE <
 * {SUCCEEDED, CANCELED, FAILED}). The UPDATE matches only these, so a duplicate or out-of-order
 * notification changes nothing. Empty for PENDING: nothing moves back.
 */
export function earlierStatuses(to: TxStatus): readonly TxStatus[] {
  switch (to) {
    case 'PENDING':
      return [];
    case 'WAITING_FOR_CAPTURE':
      return ['PENDING'];
    case 'SUCCEEDED':
    case 'CANCELED':
    case 'FAILED':
      return ['PENDING', 'WAITING_FOR_CAPTURE'];
  }
}

/** Payment attempts that still count (`idx_payment_transaction_live_unique`). */
export const LIVE_PAYMENT_STATUSES = ['PENDING', 'WAITING_FOR_CAPTURE', 'SUCCEEDED'] as const;

/**
 * The cancellation reason recorded for an attempt that never reached the provider (or was never
 * confirmed) when its order closes: counted as abandoned, not as a payment failure (DA-1).
 */
export const ABANDONED_REASON = 'expired_on_confirmation';
