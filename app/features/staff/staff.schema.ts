import { z } from 'zod';
import { booleanFilter, defineListParams, enumFilter } from '~/utils/search-params';
import { USER_ROLES } from '~/utils/vocabularies';

/** Staff account forms. Issues carry message keys (staff.error.*). */

/** Minimum length for a password an admin sets; argon2 bounds the cost of long ones at 1024. */
export const MIN_PASSWORD_LENGTH = 12;

const password = z
  .string({ error: 'staff.error.passwordRequired' })
  .min(MIN_PASSWORD_LENGTH, { error: 'staff.error.passwordShort' })
  .max(1024, { error: 'staff.error.passwordLong' });

const storeId = z
  .number({ error: 'staff.error.store' })
  .int({ error: 'staff.error.store' })
  .positive({ error: 'staff.error.store' })
  .max(2_147_483_647, { error: 'staff.error.store' });

export const createStaffSchema = z
  .object({
    email: z
      .string({ error: 'staff.error.emailRequired' })
      .trim()
      .max(254, { error: 'staff.error.emailInvalid' })
      .pipe(z.email({ error: 'staff.error.emailInvalid' })),
    display_name: z
      .string({ error: 'staff.error.nameRequired' })
      .trim()
      .min(1, { error: 'staff.error.nameRequired' })
      .max(100, { error: 'staff.error.nameLong' }),
    role: z.enum(USER_ROLES, { error: 'staff.error.role' }),
    password,
    storeIds: z.array(storeId).default([]),
  })
  .superRefine((value, ctx) => {
    if (value.role === 'ADMIN' && value.storeIds.length > 0) {
      // store_staff is for managers only (the trigger store_staff_user_is_manager enforces it)
      ctx.addIssue({ code: 'custom', path: ['storeIds'], message: 'staff.error.adminStores' });
    }
  });

export type CreateStaffValues = z.output<typeof createStaffSchema>;

export const resetPasswordSchema = z.object({ password });

export const storeLinkSchema = z.object({ storeId });

export const staffListParams = defineListParams({
  sortKeys: ['email', 'name', 'role', 'created', 'lastLogin'] as const,
  defaultSort: 'email',
  filters: { role: enumFilter(USER_ROLES), active: booleanFilter() },
});
