import { describe, expect, it } from 'vitest';
import { evaluateCoupon } from './evaluate-coupon';
import {
  CouponTemplateDataError,
  engineInstanceFromRow,
  engineTemplateFromRow,
  type CouponTemplateRowLike,
} from './template-from-row';
import { NOW } from './test-fixtures';

const row = (overrides: Partial<CouponTemplateRowLike>): CouponTemplateRowLike => ({
  type: 'SIMPLE_PERCENTAGE',
  discount_value: '10.00',
  rule_json: null,
  scope_type: 'ALL',
  scope_category_ids: null,
  scope_product_ids: null,
  scope_store_ids: null,
  min_order_amount: null,
  max_discount_amount: null,
  max_usage_per_user: 1,
  max_total_usage: null,
  valid_from: new Date('2026-06-01T00:00:00Z'),
  valid_until: new Date('2026-07-01T00:00:00Z'),
  is_active: true,
  ...overrides,
});

describe('engineTemplateFromRow', () => {
  it('reads a percentage in hundredths, exactly', () => {
    const t = engineTemplateFromRow(row({ discount_value: '12.50' }));
    expect(t.discount).toEqual({ type: 'SIMPLE_PERCENTAGE', percentHundredths: 1250 });
  });

  it('reads money columns as kopecks', () => {
    const t = engineTemplateFromRow(
      row({
        type: 'SIMPLE_FIXED',
        discount_value: '150.00',
        min_order_amount: '500.00',
        max_discount_amount: '99.99',
        scope_type: 'CATEGORIES',
        scope_category_ids: [3],
        scope_store_ids: [1, 2],
      }),
    );
    expect(t).toMatchObject({
      discount: { type: 'SIMPLE_FIXED', valueKopecks: 15_000 },
      minOrderKopecks: 50_000,
      maxDiscountKopecks: 9_999,
      scopeType: 'CATEGORIES',
      scopeCategoryIds: [3],
      scopeStoreIds: [1, 2],
    });
  });

  it('parses the rule_json of each rule type', () => {
    expect(
      engineTemplateFromRow(
        row({
          type: 'THRESHOLD_OFF',
          discount_value: null,
          rule_json: { tiers: [{ min_amount: '300.00', discount_amount: '50.00' }] },
        }),
      ).discount,
    ).toEqual({ type: 'THRESHOLD_OFF', tiers: [{ minKopecks: 30_000, discountKopecks: 5_000 }] });
    expect(
      engineTemplateFromRow(
        row({
          type: 'BOGO',
          discount_value: null,
          rule_json: {
            buy_product_ids: [12],
            buy_quantity: 1,
            get_quantity: 1,
            get_discount_percent: 100,
          },
        }),
      ).discount,
    ).toEqual({
      type: 'BOGO',
      buyProductIds: [12],
      buyQuantity: 1,
      getProductIds: [12],
      getQuantity: 1,
      getDiscountPercent: 100,
      maxFreeItems: null,
    });
    expect(
      engineTemplateFromRow(
        row({
          type: 'BUY_N_GET_M',
          discount_value: null,
          rule_json: {
            buy_quantity: 3,
            get_quantity: 1,
            get_discount_percent: 100,
            category_ids: [2],
            max_free_items: 2,
          },
        }),
      ).discount,
    ).toEqual({
      type: 'BUY_N_GET_M',
      buyQuantity: 3,
      getQuantity: 1,
      getDiscountPercent: 100,
      productIds: null,
      categoryIds: [2],
      maxFreeItems: 2,
    });
  });

  it('refuses a row CP-2 forbids', () => {
    expect(() => engineTemplateFromRow(row({ type: 'GIFT' }))).toThrow(CouponTemplateDataError);
    expect(() => engineTemplateFromRow(row({ discount_value: null }))).toThrow(
      CouponTemplateDataError,
    );
    let error: unknown;
    try {
      engineTemplateFromRow(
        row({ type: 'THRESHOLD_OFF', discount_value: null, rule_json: { tiers: [], x: 1 } }),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CouponTemplateDataError);
    expect((error as CouponTemplateDataError).issues).toEqual([
      { path: ['tiers'], message: 'couponEngine.rule.tiersCount' },
      { path: ['x'], message: 'couponEngine.rule.unknownKey' },
    ]);
  });

  it('feeds evaluateCoupon end to end', () => {
    const template = engineTemplateFromRow(row({ discount_value: '12.50' }));
    const instance = engineInstanceFromRow({
      status: 'UNUSED',
      adjusted_valid_until: null,
      member_id: 3,
    });
    const result = evaluateCoupon({
      cart: {
        storeId: 1,
        lines: [
          {
            lineNo: 1,
            productId: 1,
            categoryId: null,
            unitPriceKopecks: 100,
            optionsPriceKopecks: 0,
            quantity: 1,
          },
        ],
      },
      template,
      instance,
      memberId: 3,
      usage: { memberUsedCount: 0, templateUsageCount: 0 },
      now: NOW,
    });
    expect(result).toMatchObject({ eligible: true, discountKopecks: 13 });
  });

  it('refuses an unknown instance status', () => {
    expect(() =>
      engineInstanceFromRow({ status: 'LOST', adjusted_valid_until: null, member_id: 1 }),
    ).toThrow(CouponTemplateDataError);
  });
});
