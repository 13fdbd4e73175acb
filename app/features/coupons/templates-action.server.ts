import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import type { Db } from '~db/database.server';
import { isCheckViolation, isUniqueViolation } from '~/utils/pg-errors';
import {
  couponTemplateFormSchema,
  couponTemplateLimitedFormSchema,
  TEMPLATE_FORM_ERRORS,
} from './templates.schema';
import {
  createCouponTemplate,
  updateCouponTemplate,
  type TemplateSaveOutcome,
} from './templates.service.server';
import { type StaffActor } from '~/features/audit/audit.server';

/**
 * The template form's submission, shared by "new" and "edit": 400 with field errors for bad input
 * (including unknown ids), 409 for a duplicate code or a frozen field (CP-15); never a 500 for input.
 */
export type TemplateFormOutcome =
  | { ok: true; templateId: number }
  | { ok: false; status: 400 | 404 | 409; reply: SubmissionResult<string[]> };

const parseFull = (formData: FormData) =>
  parseWithZod(formData, { schema: couponTemplateFormSchema });

export async function submitCouponTemplateForm(
  db: Db,
  actor: StaffActor,
  formData: FormData,
  templateId: number | null,
): Promise<TemplateFormOutcome> {
  // the edit form of a frozen template disables (and so does not post) the frozen inputs
  const limited = templateId !== null && !formData.has('type');
  let outcome: TemplateSaveOutcome;
  let reply: (
    options?: Parameters<ReturnType<typeof parseFull>['reply']>[0],
  ) => SubmissionResult<string[]>;
  try {
    if (limited) {
      const submission = parseWithZod(formData, { schema: couponTemplateLimitedFormSchema });
      reply = (o) => submission.reply(o);
      if (submission.status !== 'success') return { ok: false, status: 400, reply: reply() };
      outcome = await updateCouponTemplate(db, actor, templateId, {
        kind: 'limited',
        values: submission.value,
      });
    } else {
      const submission = parseFull(formData);
      reply = (o) => submission.reply(o);
      if (submission.status !== 'success') return { ok: false, status: 400, reply: reply() };
      outcome =
        templateId === null
          ? await createCouponTemplate(db, actor, submission.value)
          : await updateCouponTemplate(db, actor, templateId, {
              kind: 'full',
              values: submission.value,
            });
    }
  } catch (err) {
    if (isUniqueViolation(err, 'coupon_template_code_unique')) {
      return {
        ok: false,
        status: 409,
        reply: reply!({ fieldErrors: { code: [TEMPLATE_FORM_ERRORS.codeTaken] } }),
      };
    }
    // the schema mirrors every CHECK; this is only the backstop for a race (e.g. usage count)
    if (isCheckViolation(err)) {
      return {
        ok: false,
        status: 400,
        reply: reply!({ formErrors: [TEMPLATE_FORM_ERRORS.invalid] }),
      };
    }
    throw err;
  }
  if (outcome.ok) return outcome;
  return {
    ok: false,
    status: outcome.status,
    reply: reply!({ fieldErrors: outcome.fieldErrors }),
  };
}
