import type { MessageKey } from '~/i18n/translate';
import { RETRY_REFUND_INTENT, type RefundState } from './order-board.schema';

/**
 * The message a staff member sees after an order action. The keys take `{number}` (the order
 * number) and `{status}` (the translated status) as parameters. Isomorphic and pure.
 */
export function noticeOf(
  intent: string,
  result: { status: string; refund: RefundState },
): { key: MessageKey; tone: 'success' | 'warning' } {
  const { status, refund } = result;
  if (status === 'CANCELLED') {
    if (refund === 'SUCCEEDED') {
      return intent === RETRY_REFUND_INTENT
        ? { key: 'orderBoard.notice.refundSucceeded', tone: 'success' }
        : { key: 'orderBoard.notice.cancelledRefunded', tone: 'success' };
    }
    if (refund === 'PENDING') return { key: 'orderBoard.notice.refundProcessing', tone: 'warning' };
    if (refund === 'FAILED' || refund === 'UNAVAILABLE') {
      return { key: 'orderBoard.notice.cancelledRefundFailed', tone: 'warning' };
    }
    return intent === RETRY_REFUND_INTENT
      ? { key: 'orderBoard.notice.refundNothing', tone: 'success' }
      : { key: 'orderBoard.notice.cancelled', tone: 'success' };
  }
  if (status === 'REFUNDED') return { key: 'orderBoard.notice.refunded', tone: 'success' };
  if (refund === 'PENDING') return { key: 'orderBoard.notice.refundProcessing', tone: 'warning' };
  return { key: 'orderBoard.notice.moved', tone: 'success' };
}

/** The message of a refused action (the code and detail of the service's result). */
export function errorMessageOf(error: { code: string; detail?: string }): MessageKey {
  switch (error.code) {
    case 'INVALID_TRANSITION':
      if (error.detail === 'DELIVERY_ONLY') return 'orderBoard.error.deliveryOnly';
      if (error.detail === 'STALE') return 'orderBoard.error.stale';
      return 'orderBoard.error.INVALID_TRANSITION';
    case 'REASON_REQUIRED':
      return 'orderBoard.error.REASON_REQUIRED';
    case 'REFUND_FAILED':
      return 'orderBoard.error.REFUND_FAILED';
    case 'REFUND_UNAVAILABLE':
      return 'orderBoard.error.REFUND_UNAVAILABLE';
    default:
      return 'orderBoard.error.invalid';
  }
}
