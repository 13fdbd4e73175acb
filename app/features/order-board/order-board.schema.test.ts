import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES } from '~/features/orders/order-status';
import { errorMessageOf, noticeOf } from './order-action-messages';
import {
  boardColumnOf,
  forwardTargets,
  isRefundPending,
  orderActionSchema,
  parseOrderSearch,
  staffActionsFor,
} from './order-board.schema';

const order = (
  status: string,
  extra: Partial<{ paymentStatus: string; orderType: string; refundPending: boolean }> = {},
) => ({
  status,
  paymentStatus: extra.paymentStatus ?? 'SUCCEEDED',
  orderType: extra.orderType ?? 'PICKUP',
  refundPending: extra.refundPending ?? false,
});

describe('boardColumnOf', () => {
  it('puts held, paid and free PENDING orders in NEW, unpaid ones nowhere', () => {
    expect(boardColumnOf(order('PENDING', { paymentStatus: 'WAITING_FOR_CAPTURE' }))).toBe('NEW');
    expect(boardColumnOf(order('PENDING', { paymentStatus: 'SUCCEEDED' }))).toBe('NEW');
    expect(boardColumnOf(order('PENDING', { paymentStatus: 'NOT_REQUIRED' }))).toBe('NEW');
    expect(boardColumnOf(order('PENDING', { paymentStatus: 'PENDING' }))).toBeNull();
    expect(boardColumnOf(order('PENDING', { paymentStatus: 'FAILED' }))).toBeNull();
  });

  it('maps CONFIRMED … DELIVERING to their columns and closed orders to none', () => {
    for (const s of ['CONFIRMED', 'PREPARING', 'READY', 'DELIVERING']) {
      expect(boardColumnOf(order(s))).toBe(s);
    }
    for (const s of ['COMPLETED', 'CANCELLED', 'VOIDED', 'REFUNDED']) {
      expect(boardColumnOf(order(s))).toBeNull();
    }
  });
});

describe('forwardTargets (OR-1)', () => {
  it('offers every later state, DELIVERING only for delivery orders', () => {
    expect(forwardTargets({ status: 'CONFIRMED', orderType: 'PICKUP' })).toEqual([
      'PREPARING',
      'READY',
      'COMPLETED',
    ]);
    expect(forwardTargets({ status: 'READY', orderType: 'DELIVERY' })).toEqual([
      'DELIVERING',
      'COMPLETED',
    ]);
    expect(forwardTargets({ status: 'READY', orderType: 'PICKUP' })).toEqual(['COMPLETED']);
    expect(forwardTargets({ status: 'DELIVERING', orderType: 'DELIVERY' })).toEqual(['COMPLETED']);
  });

  it('offers nothing from PENDING (the system confirms) or a closed order', () => {
    for (const s of ['PENDING', 'COMPLETED', 'CANCELLED', 'VOIDED', 'REFUNDED']) {
      expect(forwardTargets({ status: s, orderType: 'DELIVERY' })).toEqual([]);
    }
  });
});

describe('staffActionsFor (RB-1)', () => {
  const kinds = (o: ReturnType<typeof order>, role: 'ADMIN' | 'STORE_MANAGER') =>
    staffActionsFor(o, role).map((a) => `${a.kind}:${a.to ?? '-'}`);

  it('lets both roles move and cancel an active order', () => {
    for (const role of ['ADMIN', 'STORE_MANAGER'] as const) {
      expect(kinds(order('PREPARING'), role)).toEqual([
        'forward:READY',
        'forward:COMPLETED',
        'cancel:CANCELLED',
      ]);
    }
  });

  it('cancels a PENDING order only while nothing is held', () => {
    expect(kinds(order('PENDING', { paymentStatus: 'FAILED' }), 'STORE_MANAGER')).toEqual([
      'cancel:CANCELLED',
    ]);
    expect(kinds(order('PENDING', { paymentStatus: 'WAITING_FOR_CAPTURE' }), 'ADMIN')).toEqual([]);
    expect(kinds(order('PENDING', { paymentStatus: 'NOT_REQUIRED' }), 'ADMIN')).toEqual([]);
  });

  it('keeps the refund of a completed order and refund retries for ADMIN', () => {
    expect(kinds(order('COMPLETED'), 'ADMIN')).toEqual(['refund:REFUNDED']);
    expect(kinds(order('COMPLETED'), 'STORE_MANAGER')).toEqual([]);
    expect(kinds(order('CANCELLED', { refundPending: true }), 'ADMIN')).toEqual(['retry-refund:-']);
    expect(kinds(order('COMPLETED', { refundPending: true }), 'ADMIN')).toEqual([
      'retry-refund:REFUNDED',
    ]);
    expect(kinds(order('CANCELLED', { refundPending: true }), 'STORE_MANAGER')).toEqual([]);
  });

  it('never offers CONFIRMED, VOIDED or PENDING as a staff target', () => {
    for (const status of ORDER_STATUSES) {
      for (const role of ['ADMIN', 'STORE_MANAGER'] as const) {
        const targets = staffActionsFor(order(status, { orderType: 'DELIVERY' }), role).map(
          (a) => a.to,
        );
        expect(targets).not.toContain('CONFIRMED');
        expect(targets).not.toContain('VOIDED');
        expect(targets).not.toContain('PENDING');
      }
    }
  });
});

describe('isRefundPending (PY-9)', () => {
  it('is a cancelled order still paid, or a completed one with a refund begun or done', () => {
    const rp = (status: string, paymentStatus: string, hasRefundAttempt = false) =>
      isRefundPending({ status, paymentStatus, hasRefundAttempt });
    expect(rp('CANCELLED', 'SUCCEEDED')).toBe(true);
    expect(rp('CANCELLED', 'REFUNDED')).toBe(false);
    expect(rp('CANCELLED', 'CANCELED')).toBe(false);
    expect(rp('COMPLETED', 'SUCCEEDED')).toBe(false);
    expect(rp('COMPLETED', 'SUCCEEDED', true)).toBe(true);
    expect(rp('COMPLETED', 'REFUNDED')).toBe(true);
    expect(rp('REFUNDED', 'REFUNDED', true)).toBe(false);
  });
});

describe('parseOrderSearch', () => {
  it('reads an order number (or its beginning) case-insensitively', () => {
    expect(parseOrderSearch('p202601060001')).toEqual({
      kind: 'number',
      prefix: 'P202601060001',
    });
    expect(parseOrderSearch(' P 2026 ')).toEqual({ kind: 'number', prefix: 'P2026' });
  });

  it('reads digits as the end of a phone or order number; 8… is the same phone as +7…', () => {
    expect(parseOrderSearch('4567')).toEqual({ kind: 'digits', digits: '4567' });
    expect(parseOrderSearch('+7 (900) 123-45-67')).toEqual({
      kind: 'digits',
      digits: '79001234567',
    });
    expect(parseOrderSearch('8 900 123 45 67')).toEqual({ kind: 'digits', digits: '79001234567' });
  });

  it('ignores an empty box and refuses what can be neither', () => {
    expect(parseOrderSearch('   ')).toBeNull();
    expect(parseOrderSearch('12')).toEqual({ kind: 'unsupported' });
    expect(parseOrderSearch("'; drop")).toEqual({ kind: 'unsupported' });
    expect(parseOrderSearch('%45')).toEqual({ kind: 'unsupported' });
  });
});

describe('orderActionSchema', () => {
  it('requires a reason to cancel, and bounds it', () => {
    const base = { intent: 'status', orderId: '12', to: 'CANCELLED' };
    const missing = orderActionSchema.safeParse(base);
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]).toMatchObject({
      path: ['reason'],
      message: 'orderBoard.error.REASON_REQUIRED',
    });
    expect(orderActionSchema.safeParse({ ...base, reason: '   ' }).success).toBe(false);
    expect(orderActionSchema.safeParse({ ...base, reason: 'x'.repeat(301) }).success).toBe(false);
    expect(orderActionSchema.safeParse({ ...base, reason: 'гость передумал' }).success).toBe(true);
  });

  it('refuses unknown statuses, intents and ids out of range', () => {
    expect(
      orderActionSchema.safeParse({ intent: 'status', orderId: '1', to: 'SHIPPED' }).success,
    ).toBe(false);
    expect(orderActionSchema.safeParse({ intent: 'delete', orderId: '1' }).success).toBe(false);
    expect(
      orderActionSchema.safeParse({ intent: 'retry-refund', orderId: '2147483648' }).success,
    ).toBe(false);
    expect(orderActionSchema.safeParse({ intent: 'retry-refund', orderId: '-1' }).success).toBe(
      false,
    );
  });
});

describe('action messages', () => {
  it('warns when a cancelled order keeps its money (refund pending)', () => {
    expect(noticeOf('status', { status: 'CANCELLED', refund: 'FAILED' })).toEqual({
      key: 'orderBoard.notice.cancelledRefundFailed',
      tone: 'warning',
    });
    expect(noticeOf('status', { status: 'CANCELLED', refund: 'SUCCEEDED' }).tone).toBe('success');
    expect(noticeOf('status', { status: 'COMPLETED', refund: 'PENDING' }).key).toBe(
      'orderBoard.notice.refundProcessing',
    );
    expect(noticeOf('retry-refund', { status: 'CANCELLED', refund: 'SUCCEEDED' }).key).toBe(
      'orderBoard.notice.refundSucceeded',
    );
  });

  it('names the reason of a refused transition', () => {
    expect(errorMessageOf({ code: 'INVALID_TRANSITION', detail: 'DELIVERY_ONLY' })).toBe(
      'orderBoard.error.deliveryOnly',
    );
    expect(errorMessageOf({ code: 'INVALID_TRANSITION' })).toBe(
      'orderBoard.error.INVALID_TRANSITION',
    );
    expect(errorMessageOf({ code: 'REFUND_FAILED' })).toBe('orderBoard.error.REFUND_FAILED');
  });
});
