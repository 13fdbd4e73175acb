import { describe, expect, it } from 'vitest';
import { computeCouponDiscount } from './compute-discount';
import { bogo, buyNGetM, line, lines, rub, template } from './test-fixtures';
import type { EngineCartLine, EngineDiscount } from './types';

const compute = (
  discount: EngineDiscount,
  cart: EngineCartLine[],
  overrides: Parameters<typeof template>[1] = {},
) => computeCouponDiscount(template(discount, overrides), cart);

const perLine = (result: ReturnType<typeof compute>) => result.lines.map((l) => l.discountKopecks);

describe('SIMPLE_PERCENTAGE (CP-1)', () => {
  it('rounds each eligible line half-up, once', () => {
    // 12.5 % of 1.00 ₽ = 12.5 kopecks → 13; of 3.33 ₽ = 41.625 → 42
    const result = compute(
      { type: 'SIMPLE_PERCENTAGE', percentHundredths: 1250 },
      lines(line(100), line(333)),
    );
    expect(perLine(result)).toEqual([13, 42]);
    expect(result.discountKopecks).toBe(55);
  });

  it('uses unit price + options × quantity as the line total', () => {
    const result = compute(
      { type: 'SIMPLE_PERCENTAGE', percentHundredths: 1000 },
      lines(line(rub(300), { optionsPriceKopecks: rub(50), quantity: 3 })),
    );
    expect(result.discountKopecks).toBe(rub(105));
  });

  it('100 % makes the eligible lines free', () => {
    const result = compute(
      { type: 'SIMPLE_PERCENTAGE', percentHundredths: 100_00 },
      lines(line(rub(300)), line(rub(250), { categoryId: 2 })),
      { scopeType: 'CATEGORIES', scopeCategoryIds: [2] },
    );
    expect(perLine(result)).toEqual([0, rub(250)]);
  });

  it('scope PRODUCTS discounts only the listed products', () => {
    const result = compute(
      { type: 'SIMPLE_PERCENTAGE', percentHundredths: 2000 },
      lines(line(rub(300), { productId: 7 }), line(rub(200), { productId: 8 })),
      { scopeType: 'PRODUCTS', scopeProductIds: [8] },
    );
    expect(perLine(result)).toEqual([0, rub(40)]);
    expect(result.eligibleAmountKopecks).toBe(rub(200));
  });

  it('a capped result is spread over the eligible lines by line total (CP-5)', () => {
    const result = compute(
      { type: 'SIMPLE_PERCENTAGE', percentHundredths: 5000 },
      lines(line(rub(1000)), line(rub(500)), line(rub(400), { categoryId: 9 })),
      { scopeType: 'CATEGORIES', scopeCategoryIds: [1], maxDiscountKopecks: rub(300) },
    );
    expect(perLine(result)).toEqual([rub(200), rub(100), 0]);
  });

  it('keeps the per-line results when below the cap', () => {
    const result = compute(
      { type: 'SIMPLE_PERCENTAGE', percentHundredths: 1250 },
      lines(line(100), line(333)),
      { maxDiscountKopecks: 55 },
    );
    expect(perLine(result)).toEqual([13, 42]);
  });
});

describe('SIMPLE_FIXED (CP-1, CP-5)', () => {
  it('spreads the value in proportion to the line totals', () => {
    const result = compute(
      { type: 'SIMPLE_FIXED', valueKopecks: rub(90) },
      lines(line(rub(600)), line(rub(300))),
    );
    expect(perLine(result)).toEqual([rub(60), rub(30)]);
  });

  it('never exceeds the eligible amount', () => {
    const result = compute(
      { type: 'SIMPLE_FIXED', valueKopecks: rub(500) },
      lines(line(rub(300), { productId: 2 }), line(rub(120))),
      { scopeType: 'PRODUCTS', scopeProductIds: [1] },
    );
    expect(perLine(result)).toEqual([0, rub(120)]);
  });

  it('gives leftover kopecks to the largest remainders, ties to the lower line_no', () => {
    // 1.00 ₽ over three equal lines: 33 each, one kopeck left, all remainders equal → line 1
    const equal = compute(
      { type: 'SIMPLE_FIXED', valueKopecks: 100 },
      lines(line(rub(1)), line(rub(1)), line(rub(1))),
    );
    expect(perLine(equal)).toEqual([34, 33, 33]);
    // 1.00 ₽ over 1.00 / 2.00 / 4.00: exact 14.29 / 28.57 / 57.14 → 14 / 29 / 57
    const unequal = compute(
      { type: 'SIMPLE_FIXED', valueKopecks: 100 },
      lines(line(rub(1)), line(rub(2)), line(rub(4))),
    );
    expect(perLine(unequal)).toEqual([14, 29, 57]);
  });

  it('is capped by max_discount_amount', () => {
    const result = compute(
      { type: 'SIMPLE_FIXED', valueKopecks: rub(500) },
      lines(line(rub(1000))),
      { maxDiscountKopecks: rub(300) },
    );
    expect(result.discountKopecks).toBe(rub(300));
  });
});

describe('THRESHOLD_OFF (CP-1)', () => {
  const threshold: EngineDiscount = {
    type: 'THRESHOLD_OFF',
    tiers: [
      { minKopecks: rub(300), discountKopecks: rub(50) },
      { minKopecks: rub(600), discountKopecks: rub(120) },
    ],
  };

  it('takes the highest tier reached by the eligible amount', () => {
    expect(compute(threshold, lines(line(rub(300)))).discountKopecks).toBe(rub(50));
    expect(compute(threshold, lines(line(59_999))).discountKopecks).toBe(rub(50));
    expect(compute(threshold, lines(line(rub(400)), line(rub(200)))).discountKopecks).toBe(
      rub(120),
    );
    expect(compute(threshold, lines(line(rub(5000)))).discountKopecks).toBe(rub(120));
  });

  it('below the lowest tier says how much is missing', () => {
    const result = compute(threshold, lines(line(29_999)));
    expect(result.discountKopecks).toBe(0);
    expect(result.zeroCause).toEqual({
      cause: 'BELOW_THRESHOLD',
      min_amount: '300.00',
      missing_amount: '0.01',
    });
  });

  it('counts only in-scope lines towards the tier, and spreads over them', () => {
    const result = compute(
      threshold,
      lines(line(rub(500), { categoryId: 2 }), line(rub(200)), line(rub(400))),
      { scopeType: 'CATEGORIES', scopeCategoryIds: [1] },
    );
    expect(result.eligibleAmountKopecks).toBe(rub(600));
    expect(perLine(result)).toEqual([0, rub(40), rub(80)]);
  });

  it('is capped by max_discount_amount', () => {
    const result = compute(threshold, lines(line(rub(700))), { maxDiscountKopecks: rub(100) });
    expect(result.discountKopecks).toBe(rub(100));
  });
});

describe('BOGO (CP-4)', () => {
  const buy1get1 = bogo();
  const cups = (...prices: number[]) => lines(...prices.map((p) => line(rub(p))));

  it('the worked examples of CP-4', () => {
    const one = compute(buy1get1, cups(300));
    expect(one.discountKopecks).toBe(0);
    expect(one.zeroCause).toEqual({ cause: 'NOT_ENOUGH_ITEMS', buy_quantity: 1, get_quantity: 1 });
    expect(compute(buy1get1, cups(300, 300)).discountKopecks).toBe(rub(300));
    // the cheaper cup only, never both
    const twoPrices = compute(buy1get1, cups(300, 350));
    expect(twoPrices.discountKopecks).toBe(rub(300));
    expect(perLine(twoPrices)).toEqual([rub(300), 0]);
    expect(compute(buy1get1, cups(300, 300, 350)).discountKopecks).toBe(rub(300));
    const four = compute(buy1get1, cups(360, 340, 320, 300));
    expect(four.discountKopecks).toBe(rub(620));
    expect(perLine(four)).toEqual([0, 0, rub(320), rub(300)]);
    expect(four.discountedUnits).toBe(2);
  });

  it('counts units, not lines', () => {
    const result = compute(buy1get1, lines(line(rub(300), { quantity: 2 })));
    expect(perLine(result)).toEqual([rub(300)]);
  });

  it('prices a unit with its options', () => {
    const result = compute(
      buy1get1,
      lines(line(rub(300), { optionsPriceKopecks: rub(60) }), line(rub(340))),
    );
    expect(perLine(result)).toEqual([0, rub(340)]);
  });

  it('breaks a price tie by the lower line_no', () => {
    const result = compute(bogo({ buyProductIds: [1, 2], getProductIds: [2, 1] }), [
      line(rub(300), { lineNo: 3 }),
      line(rub(350), { lineNo: 1 }),
      line(rub(300), { lineNo: 2, productId: 2 }),
    ]);
    expect(perLine(result)).toEqual([0, rub(300), 0]);
  });

  it('get_discount_percent rounds half-up per unit', () => {
    // 50 % of 3.33 ₽ = 1.665 ₽ → 1.67 ₽, per unit: two free units on one line → 3.34 ₽
    const result = compute(bogo({ getDiscountPercent: 50 }), lines(line(333, { quantity: 4 })));
    expect(perLine(result)).toEqual([334]);
  });

  it('caps the discounted units by max_free_items', () => {
    const result = compute(bogo({ maxFreeItems: 2 }), cups(300, 310, 320, 330, 340, 350));
    expect(result.discountKopecks).toBe(rub(610));
    expect(result.discountedUnits).toBe(2);
  });

  it('buy 2 get 1 on one set is BUY_N_GET_M over that set', () => {
    const result = compute(bogo({ buyQuantity: 2 }), cups(300, 320, 340, 360, 380));
    expect(result.discountKopecks).toBe(rub(300));
  });

  it('disjoint sets: applications = min(buy units / buy_quantity, get units / get_quantity)', () => {
    const rule = bogo({ buyProductIds: [1], getProductIds: [2], getDiscountPercent: 50 });
    const result = compute(
      rule,
      lines(
        line(rub(400), { productId: 1, quantity: 2 }),
        line(rub(200), { productId: 2, quantity: 1 }),
        line(rub(150), { productId: 2, quantity: 2 }),
      ),
    );
    // two applications → the two cheapest get units (150, 150) at 50 %
    expect(perLine(result)).toEqual([0, 0, rub(150)]);
    expect(result.discountedUnits).toBe(2);
  });

  it('disjoint sets: buying only get items gives nothing', () => {
    const rule = bogo({ buyProductIds: [1], getProductIds: [2] });
    const result = compute(rule, lines(line(rub(200), { productId: 2, quantity: 4 })));
    expect(result.discountKopecks).toBe(0);
    expect(result.zeroCause?.cause).toBe('NOT_ENOUGH_ITEMS');
  });

  it('disjoint sets: a free get item may be dearer than the bought one', () => {
    const rule = bogo({ buyProductIds: [1], getProductIds: [2] });
    const result = compute(
      rule,
      lines(line(rub(100), { productId: 1 }), line(rub(400), { productId: 2 })),
    );
    expect(perLine(result)).toEqual([0, rub(400)]);
  });

  it('ignores lines outside its product lists', () => {
    const result = compute(buy1get1, lines(line(rub(100), { productId: 5 }), line(rub(300))));
    expect(result.zeroCause?.cause).toBe('NOT_ENOUGH_ITEMS');
    expect(result.eligibleAmountKopecks).toBe(rub(300));
  });

  it('a capped result is spread over the rule’s lines (CP-5)', () => {
    const result = compute(buy1get1, cups(300, 300), { maxDiscountKopecks: rub(100) });
    expect(perLine(result)).toEqual([rub(50), rub(50)]);
  });
});

describe('BUY_N_GET_M (CP-4)', () => {
  it('discounts applications × M cheapest units of the category pool', () => {
    const result = compute(
      buyNGetM({ buyQuantity: 3, getQuantity: 1 }),
      lines(
        line(rub(300), { quantity: 3 }),
        line(rub(250), { quantity: 2 }),
        line(rub(350), { quantity: 3 }),
        line(rub(100), { categoryId: 2 }),
      ),
    );
    // 8 units → 2 applications → the two 250 ₽ units; the 100 ₽ line is outside the pool
    expect(perLine(result)).toEqual([0, rub(500), 0, 0]);
  });

  it('works with product_ids', () => {
    const result = compute(
      buyNGetM({ buyQuantity: 2, getQuantity: 2, productIds: [4, 5], categoryIds: null }),
      lines(
        line(rub(300), { productId: 4, quantity: 2 }),
        line(rub(200), { productId: 5, quantity: 2 }),
        line(rub(50), { productId: 6, quantity: 4 }),
      ),
    );
    expect(perLine(result)).toEqual([0, rub(400), 0]);
  });

  it('a line with no category is never in a category pool', () => {
    const result = compute(
      buyNGetM({ buyQuantity: 1, getQuantity: 1 }),
      lines(line(rub(300), { categoryId: null, quantity: 2 })),
    );
    expect(result.zeroCause).toEqual({ cause: 'NO_ELIGIBLE_ITEMS' });
  });

  it('max_free_items and the percentage apply', () => {
    const result = compute(
      buyNGetM({ buyQuantity: 1, getQuantity: 1, getDiscountPercent: 30, maxFreeItems: 1 }),
      lines(line(rub(300), { quantity: 4 })),
    );
    expect(result.discountKopecks).toBe(rub(90));
  });
});

describe('zero discount (CP-9)', () => {
  it('names the cause', () => {
    expect(
      compute({ type: 'SIMPLE_PERCENTAGE', percentHundredths: 100 }, lines(line(10))).zeroCause,
    ).toEqual({ cause: 'ZERO_DISCOUNT' });
    expect(
      compute({ type: 'SIMPLE_FIXED', valueKopecks: 100 }, lines(line(100, { productId: 3 })), {
        scopeType: 'PRODUCTS',
        scopeProductIds: [4],
      }).zeroCause,
    ).toEqual({ cause: 'NO_ELIGIBLE_ITEMS' });
  });

  it('an empty cart has nothing eligible', () => {
    expect(compute({ type: 'SIMPLE_FIXED', valueKopecks: 100 }, []).zeroCause).toEqual({
      cause: 'NO_ELIGIBLE_ITEMS',
    });
  });
});

describe('cart validation', () => {
  it('refuses malformed lines as a programming error', () => {
    const fixed: EngineDiscount = { type: 'SIMPLE_FIXED', valueKopecks: 100 };
    expect(() => compute(fixed, [line(100, { lineNo: 1 }), line(100, { lineNo: 1 })])).toThrow(
      RangeError,
    );
    expect(() => compute(fixed, [line(1.5)])).toThrow(RangeError);
    expect(() => compute(fixed, [line(100, { quantity: 0 })])).toThrow(RangeError);
    expect(() => compute(fixed, [line(-1)])).toThrow(RangeError);
  });
});
