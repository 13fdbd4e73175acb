import type { Kysely } from 'kysely';
import type { DB } from '~db/types.generated';
import type { CouponFilter } from './account.schema';
import {
  expireOverdueCoupons,
  listMemberCoupons,
  listMemberCouponTags,
  type MemberCoupon,
} from './account.server';

export interface MyCoupons {
  coupons: MemberCoupon[];
  /** Every tag of the member's coupons (the filter's options). */
  tags: string[];
}

/**
 * "My coupons" (CP-13, CP-16): overdue UNUSED instances are expired first (with their audit rows),
 * in the same transaction as the read, so the list never shows an expired coupon as usable.
 */
export async function readMyCoupons(
  db: Kysely<DB>,
  memberId: number,
  filter: CouponFilter,
): Promise<MyCoupons> {
  return db.transaction().execute(async (trx) => {
    await expireOverdueCoupons(trx, memberId);
    const coupons = await listMemberCoupons(trx, memberId, filter);
    const tags = await listMemberCouponTags(trx, memberId);
    return { coupons, tags };
  });
}
