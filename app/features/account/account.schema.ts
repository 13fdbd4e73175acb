import { z } from 'zod';
import { COUPON_INSTANCE_STATUSES } from '~/utils/vocabularies';

/**
 * "My coupons" filters (CP-16) from the account page URL: `?status=UNUSED&tag=summer`. Anything
 * unknown is ignored rather than refused, so a stale or edited link still shows the page.
 */
export const couponFilterSchema = z.object({
  status: z.enum(COUPON_INSTANCE_STATUSES).optional().catch(undefined),
  tag: z
    .string()
    .trim()
    .max(50)
    .optional()
    .catch(undefined)
    .transform((v) => (v ? v : undefined)),
});

export type CouponFilter = z.output<typeof couponFilterSchema>;

export function parseCouponFilter(params: URLSearchParams): CouponFilter {
  return couponFilterSchema.parse({
    status: params.get('status') ?? undefined,
    tag: params.get('tag') ?? undefined,
  });
}
