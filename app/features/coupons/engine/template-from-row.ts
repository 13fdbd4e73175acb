import {
  isRuleCouponType,
  parseRuleJson,
  type RuleIssue,
  type TypedRuleJson,
} from '../rule-json.schema';
import type { EngineDiscount, EngineInstance, EngineTemplate } from './types';
import { fromDecimal } from '~/utils/money';
import {
  COUPON_INSTANCE_STATUSES,
  COUPON_SCOPE_TYPES,
  COUPON_TYPES,
  isOneOf,
} from '~/utils/vocabularies';

/**
 * The coupon_template columns the engine needs, as Kysely selects them (numeric as strings).
 * The output of couponTemplateCoreSchema plus is_active and the limits fits too (try-it panel).
 */
export type CouponTemplateRowLike = {
  type: string;
  discount_value: string | null;
  rule_json: unknown;
  scope_type: string;
  scope_category_ids: readonly number[] | null;
  scope_product_ids: readonly number[] | null;
  scope_store_ids: readonly number[] | null;
  min_order_amount: string | null;
  max_discount_amount: string | null;
  max_usage_per_user: number | null;
  max_total_usage: number | null;
  valid_from: Date;
  valid_until: Date;
  is_active: boolean;
};

/** A stored template the engine cannot read: the database let through what CP-2 forbids. */
export class CouponTemplateDataError extends Error {
  constructor(
    message: string,
    readonly issues: RuleIssue[] = [],
  ) {
    super(message);
    this.name = 'CouponTemplateDataError';
  }
}

const money = (value: string | null) => (value === null ? null : fromDecimal(value));

function discountFromRow(row: CouponTemplateRowLike): EngineDiscount {
  const { type } = row;
  if (!isOneOf(COUPON_TYPES, type)) throw new CouponTemplateDataError(`unknown type ${type}`);
  if (type === 'SIMPLE_PERCENTAGE' || type === 'SIMPLE_FIXED') {
    if (row.discount_value === null) throw new CouponTemplateDataError(`${type} without value`);
    // "12.50" % parses exactly like "12.50" ₽: both are hundredths
    const hundredths = fromDecimal(row.discount_value);
    return type === 'SIMPLE_PERCENTAGE'
      ? { type, percentHundredths: hundredths }
      : { type, valueKopecks: hundredths };
  }
  if (!isRuleCouponType(type)) throw new CouponTemplateDataError(`unhandled type ${type}`);
  const parsed = parseRuleJson(type, row.rule_json);
  if (!parsed.success) {
    throw new CouponTemplateDataError(`invalid rule_json for ${type}`, parsed.issues);
  }
  return discountFromRule({ type, rule: parsed.data } as TypedRuleJson);
}

/** Canonical rule_json (already validated) → the engine's kopecks-and-camelCase form. */
export function discountFromRule(typed: TypedRuleJson): EngineDiscount {
  switch (typed.type) {
    case 'THRESHOLD_OFF':
      return {
        type: 'THRESHOLD_OFF',
        tiers: typed.rule.tiers.map((t) => ({
          minKopecks: fromDecimal(t.min_amount),
          discountKopecks: fromDecimal(t.discount_amount),
        })),
      };
    case 'BOGO':
      return {
        type: 'BOGO',
        buyProductIds: typed.rule.buy_product_ids,
        buyQuantity: typed.rule.buy_quantity,
        getProductIds: typed.rule.get_product_ids ?? typed.rule.buy_product_ids,
        getQuantity: typed.rule.get_quantity,
        getDiscountPercent: typed.rule.get_discount_percent,
        maxFreeItems: typed.rule.max_free_items ?? null,
      };
    case 'BUY_N_GET_M':
      return {
        type: 'BUY_N_GET_M',
        buyQuantity: typed.rule.buy_quantity,
        getQuantity: typed.rule.get_quantity,
        getDiscountPercent: typed.rule.get_discount_percent,
        productIds: typed.rule.product_ids ?? null,
        categoryIds: typed.rule.category_ids ?? null,
        maxFreeItems: typed.rule.max_free_items ?? null,
      };
  }
}

/** A coupon_template row → EngineTemplate; throws CouponTemplateDataError on a row CP-2 forbids. */
export function engineTemplateFromRow(row: CouponTemplateRowLike): EngineTemplate {
  if (!isOneOf(COUPON_SCOPE_TYPES, row.scope_type)) {
    throw new CouponTemplateDataError(`unknown scope_type ${row.scope_type}`);
  }
  return {
    discount: discountFromRow(row),
    scopeType: row.scope_type,
    scopeCategoryIds: row.scope_category_ids,
    scopeProductIds: row.scope_product_ids,
    scopeStoreIds: row.scope_store_ids,
    minOrderKopecks: money(row.min_order_amount),
    maxDiscountKopecks: money(row.max_discount_amount),
    maxUsagePerUser: row.max_usage_per_user,
    maxTotalUsage: row.max_total_usage,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    isActive: row.is_active,
  };
}

export type CouponInstanceRowLike = {
  status: string;
  adjusted_valid_until: Date | null;
  member_id: number;
};

export function engineInstanceFromRow(row: CouponInstanceRowLike): EngineInstance {
  if (!isOneOf(COUPON_INSTANCE_STATUSES, row.status)) {
    throw new CouponTemplateDataError(`unknown coupon_instance.status ${row.status}`);
  }
  return {
    status: row.status,
    adjustedValidUntil: row.adjusted_valid_until,
    memberId: row.member_id,
  };
}
