/** The coupon engine (CP-1 … CP-9): pure functions, no I/O. */
export { spreadProportionally } from './allocate';
export {
  computeCouponDiscount,
  eligibleLines,
  lineTotalKopecks,
  type ComputedDiscount,
} from './compute-discount';
export { evaluateCoupon } from './evaluate-coupon';
export {
  CouponTemplateDataError,
  discountFromRule,
  engineInstanceFromRow,
  engineTemplateFromRow,
  type CouponInstanceRowLike,
  type CouponTemplateRowLike,
} from './template-from-row';
export type * from './types';
