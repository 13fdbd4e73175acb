import { describe, expect, it } from 'vitest';
import { evaluateCoupon } from './evaluate-coupon';
import { NOW, bogo, line, lines, rub, template } from './test-fixtures';
import type { EngineInstance, EvaluateCouponInput } from './types';

const tenPercent = template({ type: 'SIMPLE_PERCENTAGE', percentHundredths: 1000 });
const instance: EngineInstance = { status: 'UNUSED', adjustedValidUntil: null, memberId: 7 };
const cart = { storeId: 1, lines: lines(line(rub(300)), line(rub(200))) };

function evaluate(overrides: Partial<EvaluateCouponInput> = {}) {
  return evaluateCoupon({
    cart,
    template: tenPercent,
    instance,
    memberId: 7,
    usage: { memberUsedCount: 0, templateUsageCount: 0 },
    now: NOW,
    ...overrides,
  });
}

describe('evaluateCoupon', () => {
  it('applies an eligible coupon with the discount of every line', () => {
    expect(evaluate()).toEqual({
      eligible: true,
      discountKopecks: rub(50),
      eligibleAmountKopecks: rub(500),
      lines: [
        { lineNo: 1, discountKopecks: rub(30) },
        { lineNo: 2, discountKopecks: rub(20) },
      ],
      discountedUnits: null,
    });
  });

  it('previews without instance, member or usage (try-it panel)', () => {
    const result = evaluateCoupon({ cart, template: tenPercent, now: NOW });
    expect(result).toMatchObject({ eligible: true, discountKopecks: rub(50) });
  });

  describe('ownership and status (CP-7)', () => {
    it('someone else’s coupon is not found', () => {
      expect(evaluate({ memberId: 8 })).toEqual({
        eligible: false,
        reason: 'COUPON_NOT_FOUND',
        details: {},
      });
      expect(evaluate({ memberId: null })).toMatchObject({ reason: 'COUPON_NOT_FOUND' });
    });

    it.each(['USED', 'FROZEN', 'REVOKED'] as const)('a %s coupon is unavailable', (status) => {
      expect(evaluate({ instance: { ...instance, status } })).toEqual({
        eligible: false,
        reason: 'COUPON_UNAVAILABLE',
        details: { status },
      });
    });

    it('an EXPIRED instance is reported as expired', () => {
      expect(evaluate({ instance: { ...instance, status: 'EXPIRED' } })).toEqual({
        eligible: false,
        reason: 'COUPON_EXPIRED',
        details: { valid_until: '2026-07-01T00:00:00.000Z' },
      });
    });

    it('an inactive template makes the coupon unavailable', () => {
      expect(evaluate({ template: { ...tenPercent, isActive: false } })).toEqual({
        eligible: false,
        reason: 'COUPON_UNAVAILABLE',
        details: { status: 'INACTIVE' },
      });
    });
  });

  describe('validity (CP-7)', () => {
    it('is valid from valid_from inclusive', () => {
      const startsNow = { ...tenPercent, validFrom: NOW };
      expect(evaluate({ template: startsNow }).eligible).toBe(true);
      expect(evaluate({ template: startsNow, now: new Date(NOW.getTime() - 1) })).toEqual({
        eligible: false,
        reason: 'COUPON_NOT_STARTED',
        details: { valid_from: NOW.toISOString() },
      });
    });

    it('is valid until valid_until exclusive', () => {
      const endsNow = { ...tenPercent, validUntil: NOW };
      expect(evaluate({ template: endsNow })).toEqual({
        eligible: false,
        reason: 'COUPON_EXPIRED',
        details: { valid_until: NOW.toISOString() },
      });
      expect(evaluate({ template: endsNow, now: new Date(NOW.getTime() - 1) }).eligible).toBe(true);
    });

    it('adjusted_valid_until replaces the template’s end for the instance', () => {
      const ended = { ...tenPercent, validUntil: new Date('2026-06-10T00:00:00Z') };
      const extended = { ...instance, adjustedValidUntil: new Date('2026-06-20T00:00:00Z') };
      expect(evaluate({ template: ended, instance: extended }).eligible).toBe(true);
      const shortened = { ...instance, adjustedValidUntil: new Date('2026-06-14T00:00:00Z') };
      expect(evaluate({ instance: shortened })).toMatchObject({
        reason: 'COUPON_EXPIRED',
        details: { valid_until: '2026-06-14T00:00:00.000Z' },
      });
    });
  });

  describe('limits (CP-8)', () => {
    it('stops at max_usage_per_user', () => {
      expect(evaluate({ usage: { memberUsedCount: 1, templateUsageCount: 0 } })).toEqual({
        eligible: false,
        reason: 'COUPON_USER_LIMIT_REACHED',
        details: { max_usage_per_user: 1 },
      });
      const three = { ...tenPercent, maxUsagePerUser: 3 };
      expect(
        evaluate({ template: three, usage: { memberUsedCount: 2, templateUsageCount: 0 } })
          .eligible,
      ).toBe(true);
      const unlimited = { ...tenPercent, maxUsagePerUser: null };
      expect(
        evaluate({ template: unlimited, usage: { memberUsedCount: 99, templateUsageCount: 0 } })
          .eligible,
      ).toBe(true);
    });

    it('stops at max_total_usage', () => {
      const limited = { ...tenPercent, maxTotalUsage: 10 };
      expect(
        evaluate({ template: limited, usage: { memberUsedCount: 0, templateUsageCount: 10 } }),
      ).toEqual({
        eligible: false,
        reason: 'COUPON_USAGE_LIMIT_REACHED',
        details: { max_total_usage: 10 },
      });
      expect(
        evaluate({ template: limited, usage: { memberUsedCount: 0, templateUsageCount: 9 } })
          .eligible,
      ).toBe(true);
    });

    it('are not checked without usage counts (preview)', () => {
      const limited = { ...tenPercent, maxTotalUsage: 1 };
      expect(evaluate({ template: limited, usage: null }).eligible).toBe(true);
    });
  });

  describe('store scope (CP-3)', () => {
    it('applies only in the listed stores', () => {
      const twoStores = { ...tenPercent, scopeStoreIds: [2, 3] };
      expect(evaluate({ template: twoStores })).toEqual({
        eligible: false,
        reason: 'COUPON_NOT_APPLICABLE',
        details: { cause: 'STORE' },
      });
      expect(evaluate({ template: twoStores, cart: { ...cart, storeId: 3 } }).eligible).toBe(true);
    });
  });

  describe('minimum order (CP-6)', () => {
    it('compares with the subtotal of all lines, out-of-scope ones included', () => {
      const scoped = {
        ...tenPercent,
        scopeType: 'PRODUCTS' as const,
        scopeProductIds: [2],
        minOrderKopecks: rub(500),
      };
      const mixed = { storeId: 1, lines: lines(line(rub(400)), line(rub(100), { productId: 2 })) };
      expect(evaluate({ template: scoped, cart: mixed })).toMatchObject({
        eligible: true,
        discountKopecks: rub(10),
      });
      const short = { storeId: 1, lines: lines(line(39_999), line(rub(100), { productId: 2 })) };
      expect(evaluate({ template: scoped, cart: short })).toEqual({
        eligible: false,
        reason: 'COUPON_MIN_ORDER_NOT_MET',
        details: { min_order_amount: '500.00' },
      });
    });

    it('uses the subtotal the caller passes', () => {
      const min = { ...tenPercent, minOrderKopecks: rub(600) };
      expect(evaluate({ template: min }).eligible).toBe(false);
      expect(
        evaluate({ template: min, cart: { ...cart, subtotalKopecks: rub(600) } }).eligible,
      ).toBe(true);
    });
  });

  describe('zero discount (CP-9)', () => {
    it('is not applicable, with the cause', () => {
      const oneCup = { storeId: 1, lines: lines(line(rub(300))) };
      expect(evaluate({ template: template(bogo()), cart: oneCup })).toEqual({
        eligible: false,
        reason: 'COUPON_NOT_APPLICABLE',
        details: { cause: 'NOT_ENOUGH_ITEMS', buy_quantity: 1, get_quantity: 1 },
      });
      const otherCategory = {
        ...tenPercent,
        scopeType: 'CATEGORIES' as const,
        scopeCategoryIds: [5],
      };
      expect(evaluate({ template: otherCategory })).toMatchObject({
        reason: 'COUPON_NOT_APPLICABLE',
        details: { cause: 'NO_ELIGIBLE_ITEMS' },
      });
    });
  });

  it('reports the first failing check', () => {
    const everythingWrong = {
      ...tenPercent,
      isActive: false,
      validUntil: NOW,
      scopeStoreIds: [9],
      minOrderKopecks: rub(10_000),
    };
    expect(evaluate({ template: everythingWrong, memberId: 8 }).eligible).toBe(false);
    expect(evaluate({ template: everythingWrong, memberId: 8 })).toMatchObject({
      reason: 'COUPON_NOT_FOUND',
    });
    expect(evaluate({ template: everythingWrong })).toMatchObject({
      reason: 'COUPON_UNAVAILABLE',
    });
    expect(evaluate({ template: { ...everythingWrong, isActive: true } })).toMatchObject({
      reason: 'COUPON_EXPIRED',
    });
    expect(
      evaluate({
        template: { ...everythingWrong, isActive: true, validUntil: tenPercent.validUntil },
        usage: { memberUsedCount: 1, templateUsageCount: 0 },
      }),
    ).toMatchObject({ reason: 'COUPON_USER_LIMIT_REACHED' });
    expect(
      evaluate({
        template: { ...everythingWrong, isActive: true, validUntil: tenPercent.validUntil },
      }),
    ).toMatchObject({ reason: 'COUPON_NOT_APPLICABLE', details: { cause: 'STORE' } });
    expect(
      evaluate({
        template: {
          ...everythingWrong,
          isActive: true,
          validUntil: tenPercent.validUntil,
          scopeStoreIds: null,
        },
      }),
    ).toMatchObject({ reason: 'COUPON_MIN_ORDER_NOT_MET' });
  });
});
