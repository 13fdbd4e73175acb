import { z } from 'zod';
import { defineListParams, enumFilter, idFilter, textFilter } from '~/utils/search-params';
import { fromZonedLocal } from '~/features/campaigns/campaign-time';
import { COUPON_INSTANCE_STATUSES, type CouponInstanceStatus } from '~/utils/vocabularies';

/** Issued coupons: list params and the admin operations of CP-14. */

export const instanceListParams = defineListParams({
  sortKeys: ['id', 'status'] as const,
  defaultSort: 'id',
  defaultDir: 'desc',
  filters: {
    status: enumFilter(COUPON_INSTANCE_STATUSES),
    template: idFilter(),
    phone: textFilter(40),
    tag: textFilter(60),
  },
});

export const INSTANCE_OPERATIONS = ['freeze', 'unfreeze', 'revoke', 'extend'] as const;
export type InstanceOperation = (typeof INSTANCE_OPERATIONS)[number];

/** CP-14: the statuses an admin operation starts from, and where it leads. */
export const OPERATION_RULES: Readonly<
  Record<
    InstanceOperation,
    {
      from: readonly CouponInstanceStatus[];
      action: 'FROZEN' | 'UNFROZEN' | 'REVOKED' | 'EXTENDED';
    }
  >
> = {
  freeze: { from: ['UNUSED'], action: 'FROZEN' },
  unfreeze: { from: ['FROZEN'], action: 'UNFROZEN' },
  revoke: { from: ['UNUSED', 'FROZEN'], action: 'REVOKED' },
  extend: { from: ['UNUSED', 'FROZEN', 'EXPIRED'], action: 'EXTENDED' },
};

/** The operations the buttons of one row offer. */
export function operationsFor(status: string): InstanceOperation[] {
  return INSTANCE_OPERATIONS.filter((op) =>
    (OPERATION_RULES[op].from as readonly string[]).includes(status),
  );
}

/** Most ids one batch operation touches (one page of the list at its largest size, and more). */
export const MAX_OPERATION_IDS = 1_000;

export const instanceOperationSchema = z
  .object({
    intent: z.enum(INSTANCE_OPERATIONS, { error: 'couponInstances.error.intent' }),
    ids: z
      .array(z.string().regex(/^[0-9]{1,12}$/, { error: 'couponInstances.error.ids' }), {
        error: 'couponInstances.error.idsRequired',
      })
      .min(1, { error: 'couponInstances.error.idsRequired' })
      .max(MAX_OPERATION_IDS, { error: 'couponInstances.error.tooMany' })
      .transform((ids) => [...new Set(ids.map(Number))]),
    reason: z
      .string({ error: 'couponInstances.error.reasonRequired' })
      .trim()
      .min(1, { error: 'couponInstances.error.reasonRequired' })
      .max(500, { error: 'couponInstances.error.reasonTooLong' }),
    /** Moscow wall-clock `YYYY-MM-DDTHH:mm` (datetime-local), only for extend. */
    valid_until: z.string().trim().optional(),
  })
  .transform((v, ctx) => {
    if (v.intent !== 'extend') return { ...v, validUntil: null };
    const date = v.valid_until ? fromZonedLocal(v.valid_until) : null;
    if (!date) {
      ctx.addIssue({
        code: 'custom',
        path: ['valid_until'],
        message: v.valid_until
          ? 'couponInstances.error.validUntilInvalid'
          : 'couponInstances.error.validUntilRequired',
      });
      return z.NEVER;
    }
    if (date.getTime() <= Date.now()) {
      ctx.addIssue({
        code: 'custom',
        path: ['valid_until'],
        message: 'couponInstances.error.validUntilPast',
      });
      return z.NEVER;
    }
    return { ...v, validUntil: date };
  });

export type InstanceOperationValues = z.output<typeof instanceOperationSchema>;
