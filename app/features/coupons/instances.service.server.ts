import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import type { Db } from '~db/database.server';
import type { CouponInstanceStatus } from '~/utils/vocabularies';
import { changeInstanceStatus, extendInstances, type ChangedInstance } from './instances.server';
import {
  instanceOperationSchema,
  OPERATION_RULES,
  type InstanceOperation,
} from './instances.schema';
import { writeStaffAudit, type StaffActor } from '~/features/audit/audit.server';

const TARGET: Record<Exclude<InstanceOperation, 'extend'>, CouponInstanceStatus> = {
  freeze: 'FROZEN',
  unfreeze: 'UNUSED',
  revoke: 'REVOKED',
};

export interface OperationRequest {
  operation: InstanceOperation;
  ids: number[];
  reason: string;
  /** Required for extend. */
  validUntil?: Date | null;
}

export type OperationResult =
  | { ok: true; changed: ChangedInstance[]; skipped: number }
  | { ok: false; code: 'INVALID_TRANSITION' };

/**
 * An admin operation on one or several instances (CP-14), in one transaction: the conditional
 * UPDATE changes only rows in a legal status (a batch skips the others), each changed row gets its
 * coupon_audit_log row, and one audit_log row records the operation (RB-4). Nothing changed →
 * INVALID_TRANSITION (the rows are untouched).
 */
export async function operateOnInstances(
  db: Db,
  actor: StaffActor,
  req: OperationRequest,
): Promise<OperationResult> {
  const ids = [...new Set(req.ids)];
  const rule = OPERATION_RULES[req.operation];
  return db.transaction().execute(async (trx): Promise<OperationResult> => {
    let changed: ChangedInstance[];
    if (req.operation === 'extend') {
      if (!req.validUntil) return { ok: false, code: 'INVALID_TRANSITION' };
      changed = await extendInstances(trx, {
        ids,
        validUntil: req.validUntil,
        actorUserId: actor.userId,
        reason: req.reason,
      });
    } else {
      changed = await changeInstanceStatus(trx, {
        ids,
        from: rule.from,
        to: TARGET[req.operation],
        action: rule.action as 'FROZEN' | 'UNFROZEN' | 'REVOKED',
        actorUserId: actor.userId,
        reason: req.reason,
      });
    }
    if (changed.length === 0) return { ok: false, code: 'INVALID_TRANSITION' };
    await writeStaffAudit(trx, actor, {
      action: `coupon_instance.${req.operation}`,
      entityType: 'coupon_instance',
      // one row per operation: a single instance by its id, a batch by its first id
      entityId: changed[0]!.id,
      before: {
        statuses: Object.fromEntries(changed.map((c) => [c.id, c.from_status])),
        ...(req.operation === 'extend'
          ? {
              valid_until: Object.fromEntries(
                changed.map((c) => [c.id, c.old_valid_until && new Date(c.old_valid_until)]),
              ),
            }
          : {}),
      },
      after: {
        ids: changed.map((c) => c.id),
        status: req.operation === 'extend' ? undefined : TARGET[req.operation],
        valid_until: req.operation === 'extend' ? req.validUntil : undefined,
      },
      reason: req.reason,
    });
    return { ok: true, changed, skipped: ids.length - changed.length };
  });
}

export type OperationFormOutcome =
  | { ok: true; operation: InstanceOperation; changed: number; skipped: number }
  | {
      ok: false;
      status: 400 | 409;
      reply: SubmissionResult<string[]>;
      error?: { code: 'INVALID_TRANSITION'; message: string };
    };

export async function submitInstanceOperation(
  db: Db,
  actor: StaffActor,
  formData: FormData,
): Promise<OperationFormOutcome> {
  const submission = parseWithZod(formData, { schema: instanceOperationSchema });
  if (submission.status !== 'success') {
    return { ok: false, status: 400, reply: submission.reply() };
  }
  const v = submission.value;
  const result = await operateOnInstances(db, actor, {
    operation: v.intent,
    ids: v.ids,
    reason: v.reason,
    validUntil: v.validUntil,
  });
  if (!result.ok) {
    const message =
      v.intent === 'extend'
        ? 'couponInstances.error.extendNotLater'
        : 'couponInstances.error.invalidTransition';
    return {
      ok: false,
      status: 409,
      reply: submission.reply({ formErrors: [message] }),
      error: { code: 'INVALID_TRANSITION', message },
    };
  }
  return { ok: true, operation: v.intent, changed: result.changed.length, skipped: result.skipped };
}
