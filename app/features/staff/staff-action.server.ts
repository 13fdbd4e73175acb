import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import type { Db } from '~db/database.server';
import { isCheckViolation, isForeignKeyViolation, isUniqueViolation } from '~/utils/pg-errors';
import { createStaffSchema, resetPasswordSchema, storeLinkSchema } from './staff.schema';
import {
  activateStaffUser,
  assignStaffStore,
  createStaffUser,
  deactivateStaffUser,
  resetStaffPassword,
  unassignStaffStore,
  type StaffChangeResult,
} from './staff.service.server';
import { type StaffActor } from '~/features/audit/audit.server';

/**
 * The staff pages' submissions. Each answer names the intent so the page shows the errors next to
 * the right form. Bad input is 400, a duplicate e-mail 409, an unknown user 404; never a 500.
 */
export type StaffOutcome =
  | { ok: true; userId: number; result?: StaffChangeResult }
  | { ok: false; status: 400 | 404 | 409; reply: SubmissionResult<string[]> };

export async function submitCreateStaff(
  db: Db,
  actor: StaffActor,
  formData: FormData,
): Promise<StaffOutcome> {
  const submission = parseWithZod(formData, { schema: createStaffSchema });
  if (submission.status !== 'success')
    return { ok: false, status: 400, reply: submission.reply({ hideFields: ['password'] }) };
  try {
    return { ok: true, userId: await createStaffUser(db, actor, submission.value) };
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_lower_unique')) {
      return {
        ok: false,
        status: 409,
        reply: submission.reply({
          fieldErrors: { email: ['staff.error.emailTaken'] },
          hideFields: ['password'],
        }),
      };
    }
    if (isForeignKeyViolation(err) || isCheckViolation(err, 'store_staff_user_is_manager')) {
      return {
        ok: false,
        status: 400,
        reply: submission.reply({
          fieldErrors: { storeIds: ['staff.error.store'] },
          hideFields: ['password'],
        }),
      };
    }
    throw err;
  }
}

export const STAFF_INTENTS = [
  'resetPassword',
  'assignStore',
  'unassignStore',
  'deactivate',
  'activate',
] as const;
export type StaffIntent = (typeof STAFF_INTENTS)[number];

export function isStaffIntent(value: unknown): value is StaffIntent {
  return typeof value === 'string' && (STAFF_INTENTS as readonly string[]).includes(value);
}

function changed(
  userId: number,
  result: StaffChangeResult,
  reply: SubmissionResult<string[]>,
): StaffOutcome {
  if (result === 'NOT_FOUND') return { ok: false, status: 404, reply };
  return { ok: true, userId, result };
}

export async function submitStaffChange(
  db: Db,
  actor: StaffActor,
  userId: number,
  intent: StaffIntent,
  formData: FormData,
): Promise<StaffOutcome> {
  switch (intent) {
    case 'resetPassword': {
      const submission = parseWithZod(formData, { schema: resetPasswordSchema });
      if (submission.status !== 'success')
        return { ok: false, status: 400, reply: submission.reply({ hideFields: ['password'] }) };
      const result = await resetStaffPassword(db, actor, userId, submission.value.password);
      return changed(userId, result, submission.reply({ resetForm: true }));
    }
    case 'assignStore':
    case 'unassignStore': {
      const submission = parseWithZod(formData, { schema: storeLinkSchema });
      if (submission.status !== 'success')
        return { ok: false, status: 400, reply: submission.reply() };
      try {
        const fn = intent === 'assignStore' ? assignStaffStore : unassignStaffStore;
        return changed(
          userId,
          await fn(db, actor, userId, submission.value.storeId),
          submission.reply(),
        );
      } catch (err) {
        if (isForeignKeyViolation(err) || isCheckViolation(err, 'store_staff_user_is_manager')) {
          const key = isForeignKeyViolation(err) ? 'staff.error.store' : 'staff.error.notManager';
          return {
            ok: false,
            status: 400,
            reply: submission.reply({ fieldErrors: { storeId: [key] } }),
          };
        }
        throw err;
      }
    }
    case 'deactivate':
    case 'activate': {
      const submission = parseWithZod(formData, { schema: storeLinkSchema.partial() });
      const fn = intent === 'deactivate' ? deactivateStaffUser : activateStaffUser;
      const result = await fn(db, actor, userId);
      if (result === 'SELF') {
        return {
          ok: false,
          status: 400,
          reply: submission.reply({ formErrors: ['staff.error.self'] }),
        };
      }
      return changed(userId, result, submission.reply());
    }
  }
}
