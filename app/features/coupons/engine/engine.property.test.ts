import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCouponDiscount } from './compute-discount';
import { evaluateCoupon } from './evaluate-coupon';
import { NOW, template } from './test-fixtures';
import type { EngineCartLine, EngineDiscount, EngineTemplate } from './types';

/**
 * Properties of the engine over random carts and templates. The test re-states CP-3 on its own
 * (inScope) instead of calling the engine's eligibleLines, so the two can disagree.
 */

const PRODUCTS = [1, 2, 3, 4, 5, 6];
const CATEGORIES = [1, 2, 3];

const lineArb = fc.record({
  productId: fc.constantFrom(...PRODUCTS),
  categoryId: fc.option(fc.constantFrom(...CATEGORIES), { freq: 5 }),
  // a few common prices, so equal units (the line_no tie-break) come up often
  unitPriceKopecks: fc.oneof(
    fc.constantFrom(0, 1, 30_000, 35_000),
    fc.integer({ min: 0, max: 100_000 }),
  ),
  optionsPriceKopecks: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20_000 })),
  quantity: fc.integer({ min: 1, max: 12 }),
});

const cartLinesArb: fc.Arbitrary<EngineCartLine[]> = fc
  .array(lineArb, { maxLength: 12 })
  .chain((ls) =>
    fc
      .uniqueArray(fc.integer({ min: 1, max: 60 }), {
        minLength: ls.length,
        maxLength: ls.length,
      })
      .map((nos) => ls.map((l, i) => ({ ...l, lineNo: nos[i] as number }))),
  );

const idSubset = (ids: number[]) => fc.subarray(ids, { minLength: 1 });

const thresholdArb: fc.Arbitrary<EngineDiscount> = fc
  .uniqueArray(fc.integer({ min: 2, max: 1_000_000 }), { minLength: 1, maxLength: 10 })
  .chain((mins) => {
    const sorted = [...mins].sort((a, b) => a - b);
    return fc
      .array(fc.integer({ min: 1, max: 1_000_000 }), {
        minLength: sorted.length,
        maxLength: sorted.length,
      })
      .map((raw) => {
        let previous = 1;
        const tiers = sorted.map((minKopecks, i) => {
          // CP-2: 0 < discount < min_amount, non-decreasing
          const discountKopecks = Math.min(Math.max(raw[i] as number, previous), minKopecks - 1);
          previous = discountKopecks;
          return { minKopecks, discountKopecks };
        });
        return { type: 'THRESHOLD_OFF' as const, tiers };
      });
  });

const unitRuleFields = {
  buyQuantity: fc.integer({ min: 1, max: 4 }),
  getQuantity: fc.integer({ min: 1, max: 4 }),
  getDiscountPercent: fc.oneof(fc.constant(100), fc.integer({ min: 1, max: 100 })),
  maxFreeItems: fc.option(fc.integer({ min: 1, max: 6 })),
};

const bogoArb: fc.Arbitrary<EngineDiscount> = idSubset(PRODUCTS).chain((buy) => {
  const rest = PRODUCTS.filter((id) => !buy.includes(id));
  const get = rest.length > 0 ? fc.oneof(fc.constant(buy), idSubset(rest)) : fc.constant(buy);
  return fc.record({
    type: fc.constant('BOGO' as const),
    buyProductIds: fc.constant(buy),
    getProductIds: get,
    ...unitRuleFields,
  });
});

const buyNGetMArb: fc.Arbitrary<EngineDiscount> = fc.oneof(
  fc.record({
    type: fc.constant('BUY_N_GET_M' as const),
    productIds: idSubset(PRODUCTS),
    categoryIds: fc.constant(null),
    ...unitRuleFields,
  }),
  fc.record({
    type: fc.constant('BUY_N_GET_M' as const),
    productIds: fc.constant(null),
    categoryIds: idSubset(CATEGORIES),
    ...unitRuleFields,
  }),
);

const scopeArb = fc.oneof(
  fc.constant({ scopeType: 'ALL' as const, scopeCategoryIds: null, scopeProductIds: null }),
  idSubset(CATEGORIES).map((ids) => ({
    scopeType: 'CATEGORIES' as const,
    scopeCategoryIds: ids,
    scopeProductIds: null,
  })),
  idSubset(PRODUCTS).map((ids) => ({
    scopeType: 'PRODUCTS' as const,
    scopeCategoryIds: null,
    scopeProductIds: ids,
  })),
);

const discountArb = fc.oneof(
  fc.integer({ min: 1, max: 100_00 }).map((p) => ({
    type: 'SIMPLE_PERCENTAGE' as const,
    percentHundredths: p,
  })),
  fc.integer({ min: 1, max: 500_000 }).map((v) => ({
    type: 'SIMPLE_FIXED' as const,
    valueKopecks: v,
  })),
  thresholdArb,
  bogoArb,
  buyNGetMArb,
);

const templateArb: fc.Arbitrary<EngineTemplate> = fc
  .record({
    discount: discountArb,
    scope: scopeArb,
    cap: fc.option(fc.integer({ min: 1, max: 200_000 })),
  })
  .map(({ discount, scope, cap }) =>
    template(discount, {
      // BOGO and BUY_N_GET_M carry their own lists; their scope is ALL (CP-3)
      ...(discount.type === 'BOGO' || discount.type === 'BUY_N_GET_M' ? {} : scope),
      maxDiscountKopecks: cap,
    }),
  );

const lineTotal = (l: EngineCartLine) => (l.unitPriceKopecks + l.optionsPriceKopecks) * l.quantity;

function inScope(t: EngineTemplate, l: EngineCartLine): boolean {
  const d = t.discount;
  if (d.type === 'BOGO') {
    return d.buyProductIds.includes(l.productId) || d.getProductIds.includes(l.productId);
  }
  if (d.type === 'BUY_N_GET_M') {
    return (
      (d.productIds?.includes(l.productId) ?? false) ||
      (l.categoryId !== null && (d.categoryIds?.includes(l.categoryId) ?? false))
    );
  }
  if (t.scopeType === 'CATEGORIES') {
    return l.categoryId !== null && (t.scopeCategoryIds ?? []).includes(l.categoryId);
  }
  if (t.scopeType === 'PRODUCTS') return (t.scopeProductIds ?? []).includes(l.productId);
  return true;
}

const RUNS = { numRuns: 400 };

describe('coupon engine properties', () => {
  it('never negative, never above the eligible lines, per-line sums add up', () => {
    fc.assert(
      fc.property(templateArb, cartLinesArb, (t, cart) => {
        const result = computeCouponDiscount(t, cart);
        const eligibleTotal = cart
          .filter((l) => inScope(t, l))
          .reduce((s, l) => s + lineTotal(l), 0);
        expect(result.eligibleAmountKopecks).toBe(eligibleTotal);
        expect(result.discountKopecks).toBeGreaterThanOrEqual(0);
        expect(result.discountKopecks).toBeLessThanOrEqual(eligibleTotal);
        if (t.maxDiscountKopecks !== null) {
          expect(result.discountKopecks).toBeLessThanOrEqual(t.maxDiscountKopecks);
        }
        expect(result.lines.map((l) => l.lineNo)).toEqual(
          cart.map((l) => l.lineNo).sort((a, b) => a - b),
        );
        expect(result.lines.reduce((s, l) => s + l.discountKopecks, 0)).toBe(
          result.discountKopecks,
        );
        for (const l of cart) {
          const d = result.lines.find((x) => x.lineNo === l.lineNo)?.discountKopecks;
          expect(Number.isSafeInteger(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(inScope(t, l) ? lineTotal(l) : 0);
        }
        expect(result.zeroCause === null).toBe(result.discountKopecks > 0);
      }),
      RUNS,
    );
  });

  it('unit types never make every unit of the pool free', () => {
    const unitTemplate = fc
      .oneof(bogoArb, buyNGetMArb)
      .map((d) => template(d, { maxDiscountKopecks: null }));
    fc.assert(
      fc.property(unitTemplate, cartLinesArb, (t, cart) => {
        const d = t.discount as Extract<EngineDiscount, { type: 'BOGO' | 'BUY_N_GET_M' }>;
        const pool = cart.filter((l) => inScope(t, l));
        const n = pool.reduce((s, l) => s + l.quantity, 0);
        const result = computeCouponDiscount(t, cart);
        const units = result.discountedUnits ?? 0;
        expect(units).toBeLessThanOrEqual(
          Math.floor((n * d.getQuantity) / (d.buyQuantity + d.getQuantity)),
        );
        if (n >= 1) expect(units).toBeLessThan(n);
        if (d.maxFreeItems !== null) expect(units).toBeLessThanOrEqual(d.maxFreeItems);
        // with every unit priced, even 100 % off leaves something to pay on the pool
        const poolTotal = pool.reduce((s, l) => s + lineTotal(l), 0);
        if (n >= 1 && pool.every((l) => l.unitPriceKopecks > 0)) {
          expect(result.discountKopecks).toBeLessThan(poolTotal);
        }
      }),
      RUNS,
    );
  });

  it('adding an out-of-scope line never changes the discount', () => {
    const outsider = fc.record({
      lineNo: fc.constantFrom(0, 1000),
      productId: fc.constant(99),
      categoryId: fc.constantFrom(99, null),
      unitPriceKopecks: fc.integer({ min: 0, max: 100_000 }),
      optionsPriceKopecks: fc.integer({ min: 0, max: 20_000 }),
      quantity: fc.integer({ min: 1, max: 12 }),
    });
    fc.assert(
      fc.property(templateArb, cartLinesArb, outsider, (t, cart, extra) => {
        fc.pre(!inScope(t, extra));
        const before = computeCouponDiscount(t, cart);
        const after = computeCouponDiscount(t, [...cart, extra]);
        expect(after.discountKopecks).toBe(before.discountKopecks);
        expect(after.lines.filter((l) => l.lineNo !== extra.lineNo)).toEqual(before.lines);
        expect(after.lines.find((l) => l.lineNo === extra.lineNo)?.discountKopecks).toBe(0);

        const evaluate = (lines: EngineCartLine[]) =>
          evaluateCoupon({ cart: { storeId: 1, lines }, template: t, now: NOW });
        const { lines: beforeLines, ...beforeRest } = evaluate(cart) as { lines?: unknown };
        const { lines: afterLines, ...afterRest } = evaluate([...cart, extra]) as {
          lines?: unknown;
        };
        expect(afterRest).toEqual(beforeRest);
        expect(afterLines === undefined).toBe(beforeLines === undefined);
      }),
      RUNS,
    );
  });

  it('does not depend on the order of the lines', () => {
    const shuffled = cartLinesArb.chain((cart) =>
      fc
        .shuffledSubarray(cart, { minLength: cart.length, maxLength: cart.length })
        .map((other) => [cart, other] as const),
    );
    fc.assert(
      fc.property(templateArb, shuffled, (t, [cart, other]) => {
        expect(computeCouponDiscount(t, other)).toEqual(computeCouponDiscount(t, cart));
      }),
      RUNS,
    );
  });

  it('equally priced units are discounted from the lowest line_no up, whatever the order', () => {
    const samePrice = fc
      .tuple(cartLinesArb, fc.integer({ min: 1, max: 50_000 }))
      .chain(([cart, price]) => {
        const uniform = cart.map((l) => ({
          ...l,
          unitPriceKopecks: price,
          optionsPriceKopecks: 0,
        }));
        return fc
          .shuffledSubarray(uniform, { minLength: uniform.length, maxLength: uniform.length })
          .map((shuffledCart) => ({ price, shuffledCart }));
      });
    const rule = fc.record({
      type: fc.constant('BUY_N_GET_M' as const),
      productIds: fc.constant(PRODUCTS),
      categoryIds: fc.constant(null),
      buyQuantity: fc.integer({ min: 1, max: 4 }),
      getQuantity: fc.integer({ min: 1, max: 4 }),
      getDiscountPercent: fc.constant(100),
      maxFreeItems: fc.option(fc.integer({ min: 1, max: 6 })),
    });
    fc.assert(
      fc.property(rule, samePrice, (d, { price, shuffledCart }) => {
        const result = computeCouponDiscount(template(d), shuffledCart);
        let left = result.discountedUnits ?? 0;
        const expected = [...shuffledCart]
          .sort((a, b) => a.lineNo - b.lineNo)
          .map((l) => {
            const free = Math.min(left, l.quantity);
            left -= free;
            return { lineNo: l.lineNo, discountKopecks: free * price };
          });
        expect(result.lines).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('SIMPLE_PERCENTAGE below the cap is rhu(line total × hundredths, 10 000) per line', () => {
    const percent = fc.integer({ min: 1, max: 100_00 });
    fc.assert(
      fc.property(percent, cartLinesArb, (p, cart) => {
        const t = template({ type: 'SIMPLE_PERCENTAGE', percentHundredths: p });
        const result = computeCouponDiscount(t, cart);
        for (const l of result.lines) {
          const total = BigInt(lineTotal(cart.find((c) => c.lineNo === l.lineNo)!));
          // half-up without the engine's helper: (2a + b) / 2b in BigInt
          const expected = (2n * total * BigInt(p) + 10_000n) / 20_000n;
          expect(BigInt(l.discountKopecks)).toBe(expected);
        }
      }),
      RUNS,
    );
  });

  it('an eligible evaluation always has a positive discount (CP-9)', () => {
    fc.assert(
      fc.property(templateArb, cartLinesArb, (t, cart) => {
        const result = evaluateCoupon({ cart: { storeId: 1, lines: cart }, template: t, now: NOW });
        if (result.eligible) expect(result.discountKopecks).toBeGreaterThan(0);
        else expect(result.reason).toBe('COUPON_NOT_APPLICABLE');
      }),
      RUNS,
    );
  });
});
