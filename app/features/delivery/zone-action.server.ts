import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import type { Db } from '~db/database.server';
import { isCheckViolation } from '~/utils/pg-errors';
import { zoneFormSchema } from './delivery.schema';
import { createZone, updateZone } from './delivery.service.server';
import { type StaffActor } from '~/features/audit/audit.server';

export const ZONE_INTENTS = ['create', 'update'] as const;

export type ZoneFormOutcome =
  | { ok: true; zoneId: number }
  | { ok: false; status: 400 | 404; reply: SubmissionResult<string[]> };

/**
 * The zone form of /admin/stores/$storeId/zones. Malformed polygons and amounts are 400 field
 * errors; the delivery_zone CHECK constraints are the backstop and map to 400 as well.
 */
export async function submitZoneForm(
  db: Db,
  actor: StaffActor,
  storeId: number,
  formData: FormData,
  zoneId: number | null,
): Promise<ZoneFormOutcome> {
  const submission = parseWithZod(formData, { schema: zoneFormSchema });
  if (submission.status !== 'success') return { ok: false, status: 400, reply: submission.reply() };
  try {
    if (zoneId === null) {
      return { ok: true, zoneId: await createZone(db, actor, storeId, submission.value) };
    }
    const found = await updateZone(db, actor, storeId, zoneId, submission.value);
    return found ? { ok: true, zoneId } : { ok: false, status: 404, reply: submission.reply() };
  } catch (err) {
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
