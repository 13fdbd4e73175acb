import type { CouponRejection } from '../coupon-reasons';
import { assertValidLines, computeCouponDiscount, lineTotalKopecks } from './compute-discount';
import type { CouponEvaluation, EvaluateCouponInput } from './types';
import { toDecimal } from '~/utils/money';

const reject = (rejection: CouponRejection): CouponEvaluation => ({
  eligible: false,
  ...rejection,
});

/**
 * Whether a coupon applies to a cart now, and its discount per line (CP-1 … CP-9). Pure: the
 * caller loads the rows; the checkout re-checks the limits and the instance status in the
 * database (CP-8, CP-11), since they can change between this call and the commit.
 *
 * Checks run in this order, the first failure wins: ownership (CP-7, a 404 that must not reveal
 * anything else about someone else's coupon), instance status, template active, started,
 * not expired (CP-7), limits (CP-8), store (CP-3), minimum order (CP-6), zero discount (CP-9).
 */
export function evaluateCoupon(input: EvaluateCouponInput): CouponEvaluation {
  const { cart, template, instance, usage, now } = input;
  assertValidLines(cart.lines);

  if (instance) {
    if (input.memberId == null || instance.memberId !== input.memberId) {
      return reject({ reason: 'COUPON_NOT_FOUND', details: {} });
    }
    // an EXPIRED instance has passed its effective validity (CP-13): say so rather than "unavailable"
    if (instance.status === 'EXPIRED') {
      const until = instance.adjustedValidUntil ?? template.validUntil;
      return reject({ reason: 'COUPON_EXPIRED', details: { valid_until: until.toISOString() } });
    }
    if (instance.status !== 'UNUSED') {
      return reject({ reason: 'COUPON_UNAVAILABLE', details: { status: instance.status } });
    }
  }
  if (!template.isActive) {
    return reject({ reason: 'COUPON_UNAVAILABLE', details: { status: 'INACTIVE' } });
  }

  const t = now.getTime();
  if (t < template.validFrom.getTime()) {
    return reject({
      reason: 'COUPON_NOT_STARTED',
      details: { valid_from: template.validFrom.toISOString() },
    });
  }
  const validUntil = instance?.adjustedValidUntil ?? template.validUntil;
  if (t >= validUntil.getTime()) {
    return reject({ reason: 'COUPON_EXPIRED', details: { valid_until: validUntil.toISOString() } });
  }

  if (usage) {
    if (template.maxUsagePerUser !== null && usage.memberUsedCount >= template.maxUsagePerUser) {
      return reject({
        reason: 'COUPON_USER_LIMIT_REACHED',
        details: { max_usage_per_user: template.maxUsagePerUser },
      });
    }
    if (template.maxTotalUsage !== null && usage.templateUsageCount >= template.maxTotalUsage) {
      return reject({
        reason: 'COUPON_USAGE_LIMIT_REACHED',
        details: { max_total_usage: template.maxTotalUsage },
      });
    }
  }

  if (template.scopeStoreIds !== null && !template.scopeStoreIds.includes(cart.storeId)) {
    return reject({ reason: 'COUPON_NOT_APPLICABLE', details: { cause: 'STORE' } });
  }

  const subtotal = cart.subtotalKopecks ?? cart.lines.reduce((s, l) => s + lineTotalKopecks(l), 0);
  if (template.minOrderKopecks !== null && subtotal < template.minOrderKopecks) {
    return reject({
      reason: 'COUPON_MIN_ORDER_NOT_MET',
      details: { min_order_amount: toDecimal(template.minOrderKopecks) },
    });
  }

  const computed = computeCouponDiscount(template, cart.lines);
  if (computed.zeroCause) {
    return reject({ reason: 'COUPON_NOT_APPLICABLE', details: computed.zeroCause });
  }
  return {
    eligible: true,
    discountKopecks: computed.discountKopecks,
    eligibleAmountKopecks: computed.eligibleAmountKopecks,
    lines: computed.lines,
    discountedUnits: computed.discountedUnits,
  };
}
