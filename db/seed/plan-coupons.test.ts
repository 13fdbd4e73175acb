import { describe, expect, it } from 'vitest';
import { couponDiscount, spread, type PricedLine, type TemplatePlan } from './plan-coupons';

const line = (
  lineNo: number,
  price: number,
  quantity = 1,
  productIdx = 1,
  categoryIdx = 0,
): PricedLine => ({
  lineNo,
  productIdx,
  categoryIdx,
  unitPrice: price,
  optionsPrice: 0,
  quantity,
  lineTotal: price * quantity,
});

const template = (over: Partial<TemplatePlan>): TemplatePlan => ({
  idx: 0,
  code: 'T',
  name: { ru: 'T', zh: 'T', en: 'T' },
  description: { ru: 'T', zh: 'T', en: 'T' },
  type: 'SIMPLE_PERCENTAGE',
  discountValue: null,
  rule: null,
  scope: { type: 'ALL' },
  storeIdx: null,
  minOrder: null,
  maxDiscount: null,
  maxPerUser: 1,
  maxTotal: null,
  validFrom: 0,
  validUntil: 1,
  createdAt: 0,
  issue: { kind: 'SIGNUP' },
  appetite: 1,
  usage: 0,
  ...over,
});

const total = (m: Map<number, number>) => [...m.values()].reduce((s, v) => s + v, 0);

describe('seed coupon math', () => {
  const bogo = template({
    type: 'BOGO',
    rule: {
      kind: 'BOGO',
      buyProductIdx: [1],
      buyQuantity: 1,
      getQuantity: 1,
      percent: 100,
      maxFreeItems: null,
    },
  });

  it('applies buy 1 get 1 to the cheaper cups only (CP-4 examples)', () => {
    expect(total(couponDiscount(bogo, [line(1, 30_000)], 30_000))).toBe(0);
    expect(total(couponDiscount(bogo, [line(1, 30_000, 2)], 60_000))).toBe(30_000);
    expect(total(couponDiscount(bogo, [line(1, 30_000), line(2, 35_000)], 65_000))).toBe(30_000);
    expect(total(couponDiscount(bogo, [line(1, 30_000, 2), line(2, 35_000)], 95_000))).toBe(30_000);
    const four = [line(1, 30_000), line(2, 32_000), line(3, 34_000), line(4, 36_000)];
    expect(total(couponDiscount(bogo, four, 132_000))).toBe(62_000);
  });

  it('spreads a fixed amount in proportion to line totals, remainders to the largest then lower line_no (CP-5)', () => {
    const shares = spread(10_000, [line(1, 10_000), line(2, 10_000), line(3, 10_000)]);
    expect([...shares.entries()]).toEqual([
      [1, 3_334],
      [2, 3_333],
      [3, 3_333],
    ]);
  });

  it('caps a percentage at max_discount_amount and honours the minimum order (CP-1, CP-6)', () => {
    const pct = template({ discountValue: 15, maxDiscount: 5_000, minOrder: 40_000 });
    expect(total(couponDiscount(pct, [line(1, 30_000)], 30_000))).toBe(0);
    expect(total(couponDiscount(pct, [line(1, 30_000), line(2, 30_000)], 60_000))).toBe(5_000);
    expect(total(couponDiscount(template({ discountValue: 10 }), [line(1, 29_050)], 29_050))).toBe(
      2_905,
    );
  });
});
