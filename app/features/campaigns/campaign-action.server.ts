import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import type { Db } from '~db/database.server';
import { isCheckViolation, isUniqueViolation } from '~/utils/pg-errors';
import { campaignFormSchema, campaignTransitionSchema } from './campaigns.schema';
import { createCampaign, transitionCampaign, updateCampaign } from './campaigns.service.server';
import { type StaffActor } from '~/features/audit/audit.server';

/**
 * The campaign form's submission, shared by "new" and "edit": 400 with field errors for bad
 * input, 409 next to the code for a duplicate, never a 500 for input.
 */
export type CampaignFormOutcome =
  | { ok: true; campaignId: number }
  | { ok: false; status: 400 | 404 | 409; reply: SubmissionResult<string[]> };

export async function submitCampaignForm(
  db: Db,
  actor: StaffActor,
  formData: FormData,
  campaignId: number | null,
): Promise<CampaignFormOutcome> {
  const submission = parseWithZod(formData, { schema: campaignFormSchema });
  if (submission.status !== 'success') {
    return { ok: false, status: 400, reply: submission.reply() };
  }
  try {
    if (campaignId === null) {
      return { ok: true, campaignId: await createCampaign(db, actor, submission.value) };
    }
    const found = await updateCampaign(db, actor, campaignId, submission.value);
    if (!found) return { ok: false, status: 404, reply: submission.reply() };
    return { ok: true, campaignId };
  } catch (err) {
    if (isUniqueViolation(err, 'campaign_code_unique')) {
      return {
        ok: false,
        status: 409,
        reply: submission.reply({ fieldErrors: { code: ['campaigns.error.codeTaken'] } }),
      };
    }
    if (isCheckViolation(err, 'campaign_dates_valid')) {
      return {
        ok: false,
        status: 400,
        reply: submission.reply({ fieldErrors: { end_at: ['campaigns.error.datesOrder'] } }),
      };
    }
    if (isCheckViolation(err)) {
      return {
        ok: false,
        status: 400,
        reply: submission.reply({ formErrors: ['campaigns.error.invalid'] }),
      };
    }
    throw err;
  }
}

export type TransitionActionOutcome =
  { ok: true } | { ok: false; status: 400 | 404 | 409; error: { code: string; message: string } };

/** A lifecycle button: `from` (the status the page showed) and `to`. */
export async function submitCampaignTransition(
  db: Db,
  actor: StaffActor,
  formData: FormData,
  campaignId: number,
): Promise<TransitionActionOutcome> {
  const parsed = campaignTransitionSchema.safeParse({
    from: formData.get('from'),
    to: formData.get('to'),
  });
  if (!parsed.success) {
    return {
      ok: false,
      status: 400,
      error: { code: 'INVALID_INPUT', message: 'campaigns.error.transition' },
    };
  }
  const outcome = await transitionCampaign(db, actor, campaignId, parsed.data.from, parsed.data.to);
  if (outcome.ok) return outcome;
  if (outcome.code === 'NOT_FOUND') {
    return { ok: false, status: 404, error: { code: 'NOT_FOUND', message: 'error.notFound' } };
  }
  return {
    ok: false,
    status: 409,
    error: { code: 'INVALID_TRANSITION', message: 'campaigns.error.invalidTransition' },
  };
}
