import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  RULE_ERRORS,
  TEMPLATE_ERRORS,
  couponTemplateCoreFields,
  couponTemplateCoreSchema,
  normalizeCouponTemplateCore,
  issuePathToName,
  listRuleReferences,
  listTemplateReferences,
  parseRuleJson,
  unknownReferenceIssues,
  type CouponTemplateCoreInput,
} from './rule-json.schema';
import { catalog } from '~/i18n/catalog';

const issuesOf = (result: ReturnType<typeof parseRuleJson>) =>
  result.success ? [] : result.issues.map((i) => [issuePathToName(i.path), i.message]);

const tier = (min: string, discount: string) => ({ min_amount: min, discount_amount: discount });

describe('THRESHOLD_OFF rule_json (CP-2)', () => {
  it('accepts the canonical example', () => {
    const rule = { tiers: [tier('300.00', '50.00'), tier('600.00', '120.00')] };
    expect(parseRuleJson('THRESHOLD_OFF', rule)).toEqual({ success: true, data: rule });
  });

  it('takes 1 to 10 tiers', () => {
    const tiers = (n: number) =>
      Array.from({ length: n }, (_, i) => tier(`${(i + 1) * 100}.00`, '10.00'));
    expect(parseRuleJson('THRESHOLD_OFF', { tiers: tiers(10) }).success).toBe(true);
    expect(issuesOf(parseRuleJson('THRESHOLD_OFF', { tiers: tiers(11) }))).toEqual([
      ['tiers', RULE_ERRORS.tiersCount],
    ]);
    expect(issuesOf(parseRuleJson('THRESHOLD_OFF', { tiers: [] }))).toEqual([
      ['tiers', RULE_ERRORS.tiersCount],
    ]);
  });

  it('needs strictly increasing min_amount', () => {
    const rule = { tiers: [tier('300.00', '50.00'), tier('300.00', '60.00')] };
    expect(issuesOf(parseRuleJson('THRESHOLD_OFF', rule))).toEqual([
      ['tiers[1].min_amount', RULE_ERRORS.tierMinIncreasing],
    ]);
  });

  it('needs 0 < discount_amount < min_amount', () => {
    expect(issuesOf(parseRuleJson('THRESHOLD_OFF', { tiers: [tier('300.00', '300.00')] }))).toEqual(
      [['tiers[0].discount_amount', RULE_ERRORS.tierDiscountRange]],
    );
    expect(issuesOf(parseRuleJson('THRESHOLD_OFF', { tiers: [tier('300.00', '0.00')] }))).toEqual([
      ['tiers[0].discount_amount', RULE_ERRORS.tierDiscountRange],
    ]);
  });

  it('needs a non-decreasing discount_amount', () => {
    const rule = { tiers: [tier('300.00', '50.00'), tier('600.00', '49.99')] };
    expect(issuesOf(parseRuleJson('THRESHOLD_OFF', rule))).toEqual([
      ['tiers[1].discount_amount', RULE_ERRORS.tierDiscountDecreasing],
    ]);
    const equal = { tiers: [tier('300.00', '50.00'), tier('600.00', '50.00')] };
    expect(parseRuleJson('THRESHOLD_OFF', equal).success).toBe(true);
  });

  it('wants amounts as 2-decimal strings', () => {
    const rule = { tiers: [tier('300', '50.00'), { min_amount: 600, discount_amount: '60.00' }] };
    expect(issuesOf(parseRuleJson('THRESHOLD_OFF', rule))).toEqual([
      ['tiers[0].min_amount', RULE_ERRORS.amountFormat],
      ['tiers[1].min_amount', RULE_ERRORS.amountFormat],
    ]);
  });

  it('rejects unknown keys at their own path, and missing ones', () => {
    expect(
      issuesOf(
        parseRuleJson('THRESHOLD_OFF', {
          tiers: [{ ...tier('300.00', '50.00'), percent: 5 }],
          note: 'x',
        }),
      ),
    ).toEqual([
      ['tiers[0].percent', RULE_ERRORS.unknownKey],
      ['note', RULE_ERRORS.unknownKey],
    ]);
    expect(issuesOf(parseRuleJson('THRESHOLD_OFF', {}))).toEqual([['tiers', RULE_ERRORS.required]]);
    expect(issuesOf(parseRuleJson('THRESHOLD_OFF', 'tiers'))).toEqual([
      ['', RULE_ERRORS.notAnObject],
    ]);
    expect(parseRuleJson('THRESHOLD_OFF', null)).toMatchObject({
      success: false,
      code: 'INVALID_RULE',
    });
  });
});

describe('BOGO rule_json (CP-2)', () => {
  const canonical = {
    buy_product_ids: [12],
    buy_quantity: 1,
    get_product_ids: [12],
    get_quantity: 1,
    get_discount_percent: 100,
    max_free_items: 2,
  };

  it('accepts the canonical example, and without the optional keys', () => {
    expect(parseRuleJson('BOGO', canonical)).toEqual({ success: true, data: canonical });
    const { get_product_ids: _get, max_free_items: _max, ...minimal } = canonical;
    expect(parseRuleJson('BOGO', minimal).success).toBe(true);
  });

  it('takes get_product_ids equal to (in any order) or disjoint from the buy list', () => {
    const rule = (buy: number[], get: number[]) => ({
      ...canonical,
      buy_product_ids: buy,
      get_product_ids: get,
    });
    expect(parseRuleJson('BOGO', rule([1, 2], [2, 1])).success).toBe(true);
    expect(parseRuleJson('BOGO', rule([1, 2], [3])).success).toBe(true);
    expect(issuesOf(parseRuleJson('BOGO', rule([1, 2], [2, 3])))).toEqual([
      ['get_product_ids', RULE_ERRORS.getOverlap],
    ]);
    expect(issuesOf(parseRuleJson('BOGO', rule([1, 2], [2])))).toEqual([
      ['get_product_ids', RULE_ERRORS.getOverlap],
    ]);
  });

  it('checks the ranges', () => {
    const bad = {
      buy_product_ids: [],
      buy_quantity: 0,
      get_product_ids: [3, 3],
      get_quantity: 11,
      get_discount_percent: 50.5,
      max_free_items: 0,
    };
    expect(issuesOf(parseRuleJson('BOGO', bad))).toEqual([
      ['buy_product_ids', RULE_ERRORS.idsEmpty],
      ['buy_quantity', RULE_ERRORS.quantity],
      ['get_product_ids', RULE_ERRORS.idsDuplicate],
      ['get_quantity', RULE_ERRORS.quantity],
      ['get_discount_percent', RULE_ERRORS.percent],
      ['max_free_items', RULE_ERRORS.maxFreeItems],
    ]);
    expect(issuesOf(parseRuleJson('BOGO', { ...canonical, get_discount_percent: 101 }))).toEqual([
      ['get_discount_percent', RULE_ERRORS.percent],
    ]);
    expect(issuesOf(parseRuleJson('BOGO', { ...canonical, buy_product_ids: ['12'] }))).toEqual([
      ['buy_product_ids[0]', RULE_ERRORS.ids],
    ]);
    expect(issuesOf(parseRuleJson('BOGO', { ...canonical, max_free_items: null }))).toEqual([
      ['max_free_items', RULE_ERRORS.maxFreeItems],
    ]);
  });
});

describe('BUY_N_GET_M rule_json (CP-2)', () => {
  const base = { buy_quantity: 3, get_quantity: 1, get_discount_percent: 100 };

  it('takes exactly one of product_ids and category_ids', () => {
    expect(parseRuleJson('BUY_N_GET_M', { ...base, product_ids: [4, 5] }).success).toBe(true);
    expect(parseRuleJson('BUY_N_GET_M', { ...base, category_ids: [2] }).success).toBe(true);
    expect(
      issuesOf(parseRuleJson('BUY_N_GET_M', { ...base, product_ids: [4], category_ids: [2] })),
    ).toEqual([['category_ids', RULE_ERRORS.listBoth]]);
    expect(issuesOf(parseRuleJson('BUY_N_GET_M', base))).toEqual([
      ['product_ids', RULE_ERRORS.listRequired],
    ]);
    expect(issuesOf(parseRuleJson('BUY_N_GET_M', { ...base, category_ids: [] }))).toEqual([
      ['category_ids', RULE_ERRORS.idsEmpty],
    ]);
  });

  it('rejects keys of another type', () => {
    expect(
      issuesOf(parseRuleJson('BUY_N_GET_M', { ...base, category_ids: [2], buy_product_ids: [1] })),
    ).toEqual([['buy_product_ids', RULE_ERRORS.unknownKey]]);
  });
});

describe('references', () => {
  it('lists the ids a rule references with their paths', () => {
    expect(
      listRuleReferences({
        type: 'BOGO',
        rule: {
          buy_product_ids: [1, 2],
          buy_quantity: 1,
          get_product_ids: [3],
          get_quantity: 1,
          get_discount_percent: 100,
        },
      }),
    ).toEqual([
      { kind: 'product', id: 1, path: ['buy_product_ids', 0] },
      { kind: 'product', id: 2, path: ['buy_product_ids', 1] },
      { kind: 'product', id: 3, path: ['get_product_ids', 0] },
    ]);
    expect(
      listRuleReferences({
        type: 'BUY_N_GET_M',
        rule: { buy_quantity: 1, get_quantity: 1, get_discount_percent: 100, category_ids: [7] },
      }),
    ).toEqual([{ kind: 'category', id: 7, path: ['category_ids', 0] }]);
  });

  it('turns unknown ids into field issues', () => {
    const core = couponTemplateCoreSchema.parse({
      type: 'BUY_N_GET_M',
      rule_json: {
        buy_quantity: 1,
        get_quantity: 1,
        get_discount_percent: 100,
        product_ids: [4, 5],
      },
      scope_store_ids: [1, 9],
      valid_from: new Date('2026-01-01'),
      valid_until: new Date('2026-02-01'),
    });
    const refs = listTemplateReferences(core);
    expect(
      unknownReferenceIssues(refs, {
        productIds: new Set([4]),
        categoryIds: new Set(),
        storeIds: new Set([1]),
      }).map((i) => [issuePathToName(i.path), i.message]),
    ).toEqual([
      ['scope_store_ids[1]', RULE_ERRORS.unknownStore],
      ['rule_json.product_ids[1]', RULE_ERRORS.unknownProduct],
    ]);
  });
});

describe('couponTemplateCoreSchema (coupon_template_* constraints)', () => {
  const valid: CouponTemplateCoreInput = {
    type: 'SIMPLE_PERCENTAGE',
    discount_value: '12,5',
    scope_type: 'ALL',
    valid_from: new Date('2026-01-01T00:00:00Z'),
    valid_until: new Date('2026-02-01T00:00:00Z'),
  };
  const issues = (input: Partial<CouponTemplateCoreInput>) => {
    const result = couponTemplateCoreSchema.safeParse({ ...valid, ...input });
    return result.success
      ? []
      : result.error.issues.map((i) => [issuePathToName(i.path as (string | number)[]), i.message]);
  };

  it('normalizes a valid template', () => {
    expect(couponTemplateCoreSchema.parse({ ...valid, scope_category_ids: [] })).toEqual({
      type: 'SIMPLE_PERCENTAGE',
      discount_value: '12.50',
      rule_json: null,
      scope_type: 'ALL',
      scope_category_ids: null,
      scope_product_ids: null,
      scope_store_ids: null,
      min_order_amount: null,
      max_discount_amount: null,
      max_usage_per_user: 1,
      max_total_usage: null,
      valid_from: valid.valid_from,
      valid_until: valid.valid_until,
    });
    expect(
      couponTemplateCoreSchema.parse({
        ...valid,
        scope_type: 'PRODUCTS',
        scope_product_ids: [3, 3, 4],
        min_order_amount: '500',
        max_discount_amount: '99,9',
        max_usage_per_user: null,
        max_total_usage: 1000,
      }),
    ).toMatchObject({
      scope_product_ids: [3, 4],
      min_order_amount: '500.00',
      max_discount_amount: '99.90',
      max_usage_per_user: null,
      max_total_usage: 1000,
    });
  });

  it('percentage: above 0, at most 100 (coupon_template_percent_range)', () => {
    expect(issues({ discount_value: '100' })).toEqual([]);
    expect(issues({ discount_value: '100.01' })).toEqual([
      ['discount_value', TEMPLATE_ERRORS.percentRange],
    ]);
    expect(issues({ discount_value: '0' })).toEqual([
      ['discount_value', TEMPLATE_ERRORS.percentRange],
    ]);
    expect(issues({ discount_value: '12.345' })).toEqual([
      ['discount_value', TEMPLATE_ERRORS.amountFormat],
    ]);
    expect(issues({ discount_value: '-5' })).toEqual([
      ['discount_value', TEMPLATE_ERRORS.amountFormat],
    ]);
  });

  it('fixed: above 0 (coupon_template_fixed_positive)', () => {
    expect(issues({ type: 'SIMPLE_FIXED', discount_value: '0.00' })).toEqual([
      ['discount_value', TEMPLATE_ERRORS.fixedPositive],
    ]);
  });

  it('discount_value only for the simple types (coupon_template_discount_value_consistency)', () => {
    expect(issues({ discount_value: '' })).toEqual([
      ['discount_value', TEMPLATE_ERRORS.discountValueRequired],
    ]);
    expect(
      issues({
        type: 'THRESHOLD_OFF',
        discount_value: '10',
        rule_json: { tiers: [tier('300.00', '50.00')] },
      }),
    ).toEqual([['discount_value', TEMPLATE_ERRORS.discountValueNotAllowed]]);
  });

  it('rule_json only for the rule types, validated with paths (coupon_template_rule_json_consistency)', () => {
    expect(issues({ type: 'THRESHOLD_OFF', discount_value: null })).toEqual([
      ['rule_json', TEMPLATE_ERRORS.ruleRequired],
    ]);
    expect(issues({ rule_json: { tiers: [] } })).toEqual([
      ['rule_json', TEMPLATE_ERRORS.ruleNotAllowed],
    ]);
    expect(
      issues({
        type: 'THRESHOLD_OFF',
        discount_value: null,
        rule_json: { tiers: [tier('600.00', '50.00'), tier('300.00', '60.00')] },
      }),
    ).toEqual([['rule_json.tiers[1].min_amount', RULE_ERRORS.tierMinIncreasing]]);
  });

  it('scope lists match the scope type (coupon_template_scope_consistency)', () => {
    expect(issues({ scope_type: 'CATEGORIES', scope_category_ids: [] })).toEqual([
      ['scope_category_ids', TEMPLATE_ERRORS.scopeListEmpty],
    ]);
    expect(issues({ scope_type: 'PRODUCTS' })).toEqual([
      ['scope_product_ids', TEMPLATE_ERRORS.scopeListEmpty],
    ]);
    expect(
      issues({ scope_type: 'CATEGORIES', scope_category_ids: [1], scope_product_ids: [2] }),
    ).toEqual([['scope_product_ids', TEMPLATE_ERRORS.scopeListNotAllowed]]);
    expect(issues({ scope_product_ids: [2] })).toEqual([
      ['scope_product_ids', TEMPLATE_ERRORS.scopeListNotAllowed],
    ]);
    expect(issues({ scope_store_ids: [] })).toEqual([
      ['scope_store_ids', TEMPLATE_ERRORS.storesEmpty],
    ]);
  });

  it('unit types apply to scope ALL (coupon_template_item_rule_scope)', () => {
    expect(
      issues({
        type: 'BUY_N_GET_M',
        discount_value: null,
        scope_type: 'CATEGORIES',
        scope_category_ids: [1],
        rule_json: {
          buy_quantity: 1,
          get_quantity: 1,
          get_discount_percent: 100,
          category_ids: [1],
        },
      }),
    ).toEqual([['scope_type', TEMPLATE_ERRORS.itemRuleScope]]);
  });

  it('valid_from before valid_until (coupon_template_validity)', () => {
    expect(issues({ valid_until: valid.valid_from })).toEqual([
      ['valid_until', TEMPLATE_ERRORS.validityOrder],
    ]);
    expect(issues({ valid_from: new Date('nope') })).toEqual([
      ['valid_from', TEMPLATE_ERRORS.date],
    ]);
  });

  it('limits and amounts (column CHECKs)', () => {
    expect(issues({ max_discount_amount: '0' })).toEqual([
      ['max_discount_amount', TEMPLATE_ERRORS.maxDiscountPositive],
    ]);
    expect(issues({ max_total_usage: 0 })).toEqual([
      ['max_total_usage', TEMPLATE_ERRORS.usageLimit],
    ]);
    expect(issues({ max_usage_per_user: 1.5 })).toEqual([
      ['max_usage_per_user', TEMPLATE_ERRORS.usageLimit],
    ]);
    expect(issues({ min_order_amount: '0' })).toEqual([]);
  });
});

describe('messages', () => {
  it('every issue key has a text', () => {
    for (const key of [...Object.values(RULE_ERRORS), ...Object.values(TEMPLATE_ERRORS)]) {
      expect(catalog.ru[key], key).toBeTruthy();
    }
  });

  it('issuePathToName follows conform', () => {
    expect(issuePathToName(['rule_json', 'tiers', 0, 'min_amount'])).toBe(
      'rule_json.tiers[0].min_amount',
    );
    expect(issuePathToName([])).toBe('');
  });
});

describe('composing the core into a form schema', () => {
  it('keeps the form’s own fields and reports core issues', () => {
    const form = z
      .object({ name_ru: z.string().min(1), ...couponTemplateCoreFields })
      .transform((v, ctx) => ({ ...v, ...normalizeCouponTemplateCore(v, ctx) }));
    const base = {
      name_ru: 'Скидка',
      type: 'SIMPLE_FIXED',
      discount_value: '150',
      valid_from: new Date('2026-01-01'),
      valid_until: new Date('2026-02-01'),
    };
    expect(form.parse(base)).toMatchObject({ name_ru: 'Скидка', discount_value: '150.00' });
    const bad = form.safeParse({ ...base, discount_value: '0' });
    expect(bad.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [['discount_value'], TEMPLATE_ERRORS.fixedPositive],
    ]);
  });
});
