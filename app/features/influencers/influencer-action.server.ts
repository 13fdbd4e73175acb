import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import type { Db } from '~db/database.server';
import { isCheckViolation } from '~/utils/pg-errors';
import { codeToggleSchema, generateCodeSchema, influencerFormSchema } from './influencers.schema';
import {
  createInfluencer,
  generateCampaignCode,
  setCampaignCodeActive,
  updateInfluencer,
  type RandomInt,
} from './influencers.service.server';
import { type StaffActor } from '~/features/audit/audit.server';

export type InfluencerFormOutcome =
  | { ok: true; influencerId: number }
  | { ok: false; status: 400 | 404; reply: SubmissionResult<string[]> };

/** The influencer form ("new" and "edit"): field errors with 400, never a 500 for input. */
export async function submitInfluencerForm(
  db: Db,
  actor: StaffActor,
  formData: FormData,
  influencerId: number | null,
): Promise<InfluencerFormOutcome> {
  const submission = parseWithZod(formData, { schema: influencerFormSchema });
  if (submission.status !== 'success') {
    return { ok: false, status: 400, reply: submission.reply() };
  }
  try {
    if (influencerId === null) {
      return { ok: true, influencerId: await createInfluencer(db, actor, submission.value) };
    }
    const found = await updateInfluencer(db, actor, influencerId, submission.value);
    if (!found) return { ok: false, status: 404, reply: submission.reply() };
    return { ok: true, influencerId };
  } catch (err) {
    if (isCheckViolation(err)) {
      return {
        ok: false,
        status: 400,
        reply: submission.reply({ formErrors: ['influencers.error.invalid'] }),
      };
    }
    throw err;
  }
}

export interface ActionError {
  code: string;
  /** A message key. */
  message: string;
}

export type CodeActionOutcome =
  | { ok: true; codeId: number; created: boolean }
  | { ok: false; status: 400 | 404 | 409; error: ActionError };

const GENERATE_ERRORS = {
  CODE_SPACE_EXHAUSTED: { status: 409, message: 'influencers.error.codeSpaceExhausted' },
  CAMPAIGN_ENDED: { status: 409, message: 'influencers.error.campaignEnded' },
  INFLUENCER_NOT_ACTIVE: { status: 409, message: 'influencers.error.notActive' },
  CAMPAIGN_NOT_FOUND: { status: 400, message: 'influencers.error.campaignRequired' },
  INFLUENCER_NOT_FOUND: { status: 404, message: 'error.notFound' },
} as const;

/** "Generate code" for (campaign from the form, this influencer), OS-1. */
export async function submitGenerateCode(
  db: Db,
  actor: StaffActor,
  formData: FormData,
  influencerId: number,
  randomInt?: RandomInt,
): Promise<CodeActionOutcome> {
  const parsed = generateCodeSchema.safeParse({ campaignId: formData.get('campaignId') });
  if (!parsed.success) {
    return {
      ok: false,
      status: 400,
      error: { code: 'INVALID_INPUT', message: 'influencers.error.campaignRequired' },
    };
  }
  const outcome = await generateCampaignCode(
    db,
    actor,
    { campaignId: parsed.data.campaignId, influencerId },
    randomInt,
  );
  if (outcome.ok) return { ok: true, codeId: outcome.code.id, created: outcome.created };
  const mapped = GENERATE_ERRORS[outcome.error];
  return {
    ok: false,
    status: mapped.status,
    error: { code: outcome.error, message: mapped.message },
  };
}

/** Activate / deactivate one of this influencer's codes. */
export async function submitCodeToggle(
  db: Db,
  actor: StaffActor,
  formData: FormData,
  influencerId: number,
): Promise<CodeActionOutcome> {
  const parsed = codeToggleSchema.safeParse({
    codeId: formData.get('codeId'),
    active: formData.get('active'),
  });
  if (!parsed.success) {
    return {
      ok: false,
      status: 400,
      error: { code: 'INVALID_INPUT', message: 'influencers.error.invalid' },
    };
  }
  const row = await setCampaignCodeActive(db, actor, { influencerId, ...parsed.data });
  if (!row) {
    return { ok: false, status: 404, error: { code: 'NOT_FOUND', message: 'error.notFound' } };
  }
  return { ok: true, codeId: row.id, created: false };
}
