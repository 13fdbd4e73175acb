import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRub, fromDecimal, rhu, toDecimal } from './money';

describe('money', () => {
  it('parses numeric(12,2) strings exactly', () => {
    expect(fromDecimal('350.00')).toBe(35000);
    expect(fromDecimal('350.5')).toBe(35050);
    expect(fromDecimal('0.01')).toBe(1);
    expect(fromDecimal('-12.30')).toBe(-1230);
    expect(fromDecimal('9999999999.99')).toBe(999999999999);
  });

  it('rejects what is not a 2-decimal amount', () => {
    for (const bad of ['', 'abc', '1.234', '1e3', '1,00', '12345678901.00', ' .5']) {
      expect(() => fromDecimal(bad)).toThrow(RangeError);
    }
  });

  it('prints kopecks as decimal strings', () => {
    expect(toDecimal(35050)).toBe('350.50');
    expect(toDecimal(5)).toBe('0.05');
    expect(toDecimal(-105)).toBe('-1.05');
    expect(() => toDecimal(1.5)).toThrow(RangeError);
  });

  it('round-trips every amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -999_999_999_999, max: 999_999_999_999 }), (k) => {
        expect(fromDecimal(toDecimal(k))).toBe(k);
      }),
    );
  });

  it('rounds half up once (C-5)', () => {
    expect(rhu(5, 10)).toBe(1); // 0.5 → 1
    expect(rhu(4, 10)).toBe(0);
    expect(rhu(15, 10)).toBe(2);
    expect(rhu(0, 7)).toBe(0);
    expect(() => rhu(-1, 2)).toThrow(RangeError);
    expect(() => rhu(1, 0)).toThrow(RangeError);
  });

  it('formats rubles per language', () => {
    expect(formatRub(123456789, 'ru')).toMatch(/^1\s234\s567,89 ₽$/u);
    expect(formatRub(35000, 'en')).toBe('350.00 ₽');
    expect(formatRub(-5, 'zh')).toBe('-0.05 ₽');
  });
});
