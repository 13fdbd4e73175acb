import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import type { Db } from '~db/database.server';
import { isCheckViolation, isUniqueViolation } from '~/utils/pg-errors';
import { storeFormSchema } from './stores.schema';
import { createStore, updateStore } from './stores.service.server';
import { type StaffActor } from '~/features/audit/audit.server';

/**
 * The store form's submission, shared by "new" and "edit": 400 with field errors for bad input,
 * 409 next to the field for a duplicate code or iiko terminal group, never a 500 for input.
 */
export type StoreFormOutcome =
  | { ok: true; storeId: number }
  | {
      ok: false;
      status: 400 | 404 | 409;
      reply: SubmissionResult<string[]>;
    };

const CONFLICTS: Record<string, Record<string, string[]>> = {
  store_code_unique: { code: ['stores.error.codeTaken'] },
  store_iiko_terminal_group_id_unique: { iiko_terminal_group_id: ['stores.error.iikoTaken'] },
};

export async function submitStoreForm(
  db: Db,
  actor: StaffActor,
  formData: FormData,
  storeId: number | null,
): Promise<StoreFormOutcome> {
  const submission = parseWithZod(formData, { schema: storeFormSchema });
  if (submission.status !== 'success') {
    return { ok: false, status: 400, reply: submission.reply() };
  }
  try {
    if (storeId === null) {
      return { ok: true, storeId: await createStore(db, actor, submission.value) };
    }
    const found = await updateStore(db, actor, storeId, submission.value);
    if (!found) return { ok: false, status: 404, reply: submission.reply() };
    return { ok: true, storeId };
  } catch (err) {
    for (const [constraint, fieldErrors] of Object.entries(CONFLICTS)) {
      if (isUniqueViolation(err, constraint)) {
        return {
          ok: false,
          status: 409,
          reply: submission.reply({ fieldErrors }),
        };
      }
    }
    if (isCheckViolation(err)) {
      return {
        ok: false,
        status: 400,
        reply: submission.reply({ formErrors: ['stores.error.invalid'] }),
      };
    }
    throw err;
  }
}
