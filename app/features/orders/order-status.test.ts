import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, isLegalTransition } from './order-status';

describe('isLegalTransition (OR-1)', () => {
  it('allows exactly the table of OR-1', () => {
    const legal = ORDER_STATUSES.flatMap((from) =>
      ORDER_STATUSES.filter((to) => isLegalTransition(from, to)).map((to) => `${from}>${to}`),
    );
    expect(legal.sort()).toEqual(
      [
        'PENDING>CONFIRMED',
        'PENDING>CANCELLED',
        'PENDING>VOIDED',
        'CONFIRMED>PREPARING',
        'CONFIRMED>READY',
        'CONFIRMED>DELIVERING',
        'CONFIRMED>COMPLETED',
        'CONFIRMED>CANCELLED',
        'PREPARING>READY',
        'PREPARING>DELIVERING',
        'PREPARING>COMPLETED',
        'PREPARING>CANCELLED',
        'READY>DELIVERING',
        'READY>COMPLETED',
        'READY>CANCELLED',
        'DELIVERING>COMPLETED',
        'DELIVERING>CANCELLED',
        'COMPLETED>REFUNDED',
      ].sort(),
    );
  });

  it('never leaves a terminal state', () => {
    for (const from of ['CANCELLED', 'VOIDED', 'REFUNDED'] as const)
      for (const to of ORDER_STATUSES) expect(isLegalTransition(from, to)).toBe(false);
  });
});
