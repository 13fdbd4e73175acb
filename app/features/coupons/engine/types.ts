import type { CouponRejection } from '../coupon-reasons';
import type { CouponInstanceStatus, CouponScopeType } from '~/utils/vocabularies';

/**
 * Input and output of the coupon engine (CP-1 … CP-9). All money is integer kopecks; percentages
 * of SIMPLE_PERCENTAGE are integer hundredths of a percent ("12.50" % → 1250), so no value ever
 * passes through a float.
 */

export type EngineCartLine = {
  /** Unique within the cart; breaks ties between equally cheap units (CP-4) and remainders (CP-5). */
  lineNo: number;
  productId: number;
  categoryId: number | null;
  unitPriceKopecks: number;
  /** Σ chosen option deltas per unit (PR-5). */
  optionsPriceKopecks: number;
  quantity: number;
};

export type EngineCart = {
  storeId: number;
  /** subtotal_amount (PR-6, all lines, before discounts, without delivery fee); default Σ line totals. */
  subtotalKopecks?: number;
  lines: readonly EngineCartLine[];
};

export type EngineThresholdTier = { minKopecks: number; discountKopecks: number };

/** The type-specific part of a template, parsed from discount_value / rule_json. */
export type EngineDiscount =
  | { type: 'SIMPLE_PERCENTAGE'; percentHundredths: number }
  | { type: 'SIMPLE_FIXED'; valueKopecks: number }
  | { type: 'THRESHOLD_OFF'; tiers: readonly EngineThresholdTier[] }
  | {
      type: 'BOGO';
      buyProductIds: readonly number[];
      buyQuantity: number;
      /** Defaults to buyProductIds; either the same set or disjoint from it (CP-2). */
      getProductIds: readonly number[];
      getQuantity: number;
      getDiscountPercent: number;
      maxFreeItems: number | null;
    }
  | {
      type: 'BUY_N_GET_M';
      buyQuantity: number;
      getQuantity: number;
      getDiscountPercent: number;
      /** Exactly one of the two lists is set. */
      productIds: readonly number[] | null;
      categoryIds: readonly number[] | null;
      maxFreeItems: number | null;
    };

export type EngineTemplate = {
  discount: EngineDiscount;
  scopeType: CouponScopeType;
  scopeCategoryIds: readonly number[] | null;
  scopeProductIds: readonly number[] | null;
  /** null = every store. */
  scopeStoreIds: readonly number[] | null;
  minOrderKopecks: number | null;
  maxDiscountKopecks: number | null;
  /** null = unlimited. */
  maxUsagePerUser: number | null;
  /** null = unlimited. */
  maxTotalUsage: number | null;
  validFrom: Date;
  validUntil: Date;
  isActive: boolean;
};

export type EngineInstance = {
  status: CouponInstanceStatus;
  /** Replaces the template's valid_until for this instance when set. */
  adjustedValidUntil: Date | null;
  memberId: number;
};

/** Counts the limits (CP-8) are checked against; the checkout re-checks them in the database. */
export type EngineUsage = {
  /** The member's USED instances of this template. */
  memberUsedCount: number;
  /** coupon_template.current_usage_count. */
  templateUsageCount: number;
};

export type EvaluateCouponInput = {
  cart: EngineCart;
  template: EngineTemplate;
  /** Omitted for a preview without an issued coupon (the admin "try it" panel). */
  instance?: EngineInstance | null;
  /** The member asking; must own `instance` when one is given. */
  memberId?: number | null;
  /** Omitted: the limits are not checked (preview). */
  usage?: EngineUsage | null;
  now: Date;
};

export type LineDiscount = { lineNo: number; discountKopecks: number };

export type CouponApplied = {
  eligible: true;
  discountKopecks: number;
  /** Σ line totals of the eligible lines (the scope, or the rule's pool for unit types). */
  eligibleAmountKopecks: number;
  /** One entry per cart line, ascending lineNo, 0 where nothing is discounted; Σ = discountKopecks. */
  lines: LineDiscount[];
  /** BOGO / BUY_N_GET_M: units discounted (after max_free_items); null for the other types. */
  discountedUnits: number | null;
};

export type CouponNotApplied = { eligible: false } & CouponRejection;

export type CouponEvaluation = CouponApplied | CouponNotApplied;
