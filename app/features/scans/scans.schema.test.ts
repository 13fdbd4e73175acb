import { describe, expect, it } from 'vitest';
import { scanActionSchema, scanBatchSchema, scanEventSchema } from './scans.schema';

const valid = {
  client_event_id: '3f6c2a9e-8b1d-4c57-9a0e-2d4b6f8a1c35',
  code: 'A4821',
  scan_type: 'POS',
  scanned_by: 'msk-01-cashier-03',
  scanned_at: '2026-01-06T14:05:09+03:00',
  order_amount: '350.00',
};

describe('scanEventSchema', () => {
  it('takes an event as OS-2 describes it, with or without an amount', () => {
    expect(scanEventSchema.safeParse(valid).success).toBe(true);
    const { order_amount: _, ...withoutAmount } = valid;
    expect(scanEventSchema.safeParse(withoutAmount).success).toBe(true);
    expect(scanEventSchema.safeParse({ ...valid, order_amount: null }).success).toBe(true);
    expect(scanEventSchema.safeParse({ ...valid, extra: 'ignored' }).success).toBe(true);
  });

  it.each([
    ['a malformed id', { client_event_id: '3f6c2a9e' }],
    ['a back-office scan type', { scan_type: 'ADMIN' }],
    ['an empty cashier', { scanned_by: '   ' }],
    ['a cashier over 100 characters', { scanned_by: 'c'.repeat(101) }],
    ['a time without offset', { scanned_at: '2026-01-06T14:05:09' }],
    ['a date only', { scanned_at: '2026-01-06' }],
    ['an amount with three decimals', { order_amount: '350.001' }],
    ['a negative amount', { order_amount: '-5.00' }],
    ['a numeric amount', { order_amount: 350 }],
    ['an amount too large for numeric(12,2)', { order_amount: '12345678901.00' }],
    ['an empty code', { code: '' }],
  ])('refuses %s', (_label, change) => {
    expect(scanEventSchema.safeParse({ ...valid, ...change }).success).toBe(false);
  });

  it('trims the cashier and the code', () => {
    const parsed = scanEventSchema.parse({ ...valid, scanned_by: ' c-1 ', code: ' a4821 ' });
    expect(parsed.scanned_by).toBe('c-1');
    expect(parsed.code).toBe('a4821');
  });
});

describe('scanBatchSchema', () => {
  it('takes 1..500 entries of anything (events are checked one by one)', () => {
    expect(scanBatchSchema.safeParse({ events: [1] }).success).toBe(true);
    expect(scanBatchSchema.safeParse({ events: Array(500).fill({}) }).success).toBe(true);
    expect(scanBatchSchema.safeParse({ events: [] }).success).toBe(false);
    expect(scanBatchSchema.safeParse({ events: Array(501).fill({}) }).success).toBe(false);
    expect(scanBatchSchema.safeParse({ event: [{}] }).success).toBe(false);
  });
});

describe('scanActionSchema', () => {
  it('reads the match and unmatch forms', () => {
    expect(
      scanActionSchema.parse({ intent: 'match', scanId: '12', orderNumber: ' p202601060001 ' }),
    ).toEqual({ intent: 'match', scanId: 12, orderNumber: 'P202601060001' });
    expect(scanActionSchema.parse({ intent: 'unmatch', scanId: '7' })).toEqual({
      intent: 'unmatch',
      scanId: 7,
    });
    expect(
      scanActionSchema.safeParse({ intent: 'match', scanId: '0', orderNumber: 'x' }).success,
    ).toBe(false);
    expect(
      scanActionSchema.safeParse({ intent: 'match', scanId: '1', orderNumber: '' }).success,
    ).toBe(false);
    expect(scanActionSchema.safeParse({ intent: 'drop', scanId: '1' }).success).toBe(false);
  });
});
