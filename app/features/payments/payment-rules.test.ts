import { describe, expect, it } from 'vitest';
import {
  earlierStatuses,
  idempotenceKey,
  txStatusOfPayment,
  txStatusOfRefund,
  type TxStatus,
} from './payment-rules';

describe('payment rules', () => {
  it('builds PY-3 idempotence keys', () => {
    expect(idempotenceKey(42, 'create', 1)).toBe('ctea-42-create-1');
    expect(idempotenceKey(42, 'capture', 917)).toBe('ctea-42-capture-917');
    expect(idempotenceKey(42, 'cancel', 917)).toBe('ctea-42-cancel-917');
    expect(idempotenceKey(42, 'refund', 2)).toBe('ctea-42-refund-2');
    expect(idempotenceKey(2_147_483_647, 'capture', 2_147_483_647).length).toBeLessThanOrEqual(64);
  });

  it('maps provider statuses to ours', () => {
    expect(txStatusOfPayment('pending')).toBe('PENDING');
    expect(txStatusOfPayment('waiting_for_capture')).toBe('WAITING_FOR_CAPTURE');
    expect(txStatusOfPayment('succeeded')).toBe('SUCCEEDED');
    expect(txStatusOfPayment('canceled')).toBe('CANCELED');
    expect(txStatusOfRefund('succeeded')).toBe('SUCCEEDED');
    expect(txStatusOfRefund('canceled')).toBe('CANCELED');
  });

  it('only ever moves forward (PY-7)', () => {
    const rank: Record<TxStatus, number> = {
      PENDING: 0,
      WAITING_FOR_CAPTURE: 1,
      SUCCEEDED: 2,
      CANCELED: 2,
      FAILED: 2,
    };
    for (const to of Object.keys(rank) as TxStatus[]) {
      for (const from of earlierStatuses(to)) expect(rank[from]).toBeLessThan(rank[to]);
    }
    expect(earlierStatuses('PENDING')).toEqual([]);
    expect(earlierStatuses('WAITING_FOR_CAPTURE')).toEqual(['PENDING']);
    expect(earlierStatuses('SUCCEEDED')).not.toContain('CANCELED');
    expect(earlierStatuses('CANCELED')).not.toContain('SUCCEEDED');
  });
});
