import { describe, expect, it } from 'vitest';
import {
  commissionKopecks,
  conversionHundredths,
  formatHundredths,
  performanceTotals,
  rateHundredths,
} from './commission';

describe('rateHundredths', () => {
  it('reads numeric(5,2) percent strings exactly as hundredths', () => {
    expect(rateHundredths('10.00')).toBe(1000);
    expect(rateHundredths('12.35')).toBe(1235);
    expect(rateHundredths('0.5')).toBe(50);
    expect(rateHundredths('7')).toBe(700);
    expect(rateHundredths('100.00')).toBe(10_000);
    // 0.29 * 100 is 28.999999999999996 in floating point; the string parse is exact
    expect(rateHundredths('0.29')).toBe(29);
  });

  it('refuses anything that is not a 0..100 percent', () => {
    for (const bad of ['', '-1', '100.01', '1.234', 'abc', '1e2']) {
      expect(() => rateHundredths(bad), bad).toThrow(RangeError);
    }
  });
});

describe('commissionKopecks (OS-8)', () => {
  it('is rhu(gmv × rate × 100, 10 000)', () => {
    // 12 345.67 ₽ at 10 % = 1 234.567 → 1 234.57 ₽
    expect(commissionKopecks(1_234_567, '10.00')).toBe(123_457);
    // 350.00 ₽ at 12.35 % = 43.225 → half up to 43.23 ₽
    expect(commissionKopecks(35_000, '12.35')).toBe(4_323);
    // 0.01 ₽ at 49.99 % = 0.004999 → 0; at 50 % = 0.005 → 0.01 (half up)
    expect(commissionKopecks(1, '49.99')).toBe(0);
    expect(commissionKopecks(1, '50.00')).toBe(1);
    expect(commissionKopecks(0, '15.00')).toBe(0);
    expect(commissionKopecks(99_999, '0.00')).toBe(0);
    expect(commissionKopecks(99_999, '100.00')).toBe(99_999);
  });

  it('stays exact beyond the safe-integer range of gmv × 10 000', () => {
    // 9 999 999 999.99 ₽ (the largest numeric(12,2)) at 33.33 % = 3 332 999 999.999667 ₽
    expect(commissionKopecks(999_999_999_999, '33.33')).toBe(333_300_000_000);
    expect(commissionKopecks(999_999_999_999, '100.00')).toBe(999_999_999_999);
  });
});

describe('conversionHundredths', () => {
  it('is orders ÷ scans in hundredths of a percent, half up; null without scans', () => {
    expect(conversionHundredths(1, 3)).toBe(3333);
    expect(conversionHundredths(2, 3)).toBe(6667);
    expect(conversionHundredths(0, 5)).toBe(0);
    expect(conversionHundredths(5, 5)).toBe(10_000);
    expect(conversionHundredths(0, 0)).toBeNull();
    expect(formatHundredths(3333, ',')).toBe('33,33');
    expect(formatHundredths(5)).toBe('0.05');
  });
});

describe('performanceTotals', () => {
  it('sums per-code commissions (rounded per code) and recomputes conversion', () => {
    const rows = [
      { scan_count: 10, order_count: 3, gmv_kopecks: 100_001, commission_kopecks: 10_000 },
      { scan_count: 5, order_count: 1, gmv_kopecks: 35_000, commission_kopecks: 4_323 },
    ];
    expect(performanceTotals(rows)).toEqual({
      scans: 15,
      orders: 4,
      gmvKopecks: 135_001,
      commissionKopecks: 14_323,
      conversionHundredths: 2667,
    });
  });
});
