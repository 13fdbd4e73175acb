import type { Db } from '~db/database.server';
import { toDecimal } from '~/utils/money';
import type { CampaignStatus } from '~/utils/vocabularies';
import { isLegalTransition, type CampaignDetail, type CampaignValues } from './campaigns.schema';
import {
  campaignExists,
  getCampaignDetail,
  insertCampaign,
  setCampaignStatus,
  updateCampaignRow,
} from './campaigns.server';
import { writeStaffAudit, type StaffActor } from '~/features/audit/audit.server';

/** The audited shape of a campaign: instants as ISO strings, money as decimal strings. */
function auditShape(v: Omit<CampaignDetail, 'id' | 'status'> | CampaignValues) {
  return {
    code: v.code,
    name_ru: v.name_ru,
    name_zh: v.name_zh,
    name_en: v.name_en,
    description: v.description,
    type: v.type,
    start_at: new Date(v.start_at).toISOString(),
    end_at: new Date(v.end_at).toISOString(),
    code_letter: v.code_letter,
    budget_amount: v.budget_kopecks === null ? null : toDecimal(v.budget_kopecks),
  };
}

function changed<T extends Record<string, unknown>>(before: T, after: T) {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}

/**
 * Creates a DRAFT campaign with its audit row. A duplicate code surfaces as the unique violation
 * of campaign_code_unique for the form to show next to the field.
 */
export async function createCampaign(
  db: Db,
  actor: StaffActor,
  values: CampaignValues,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const id = await insertCampaign(trx, values);
    await writeStaffAudit(trx, actor, {
      action: 'campaign.create',
      entityType: 'campaign',
      entityId: id,
      after: { ...auditShape(values), status: 'DRAFT' },
    });
    return id;
  });
}

/**
 * Saves the edit form (never the status: that moves only through `transitionCampaign`). The row is
 * locked so the audit `before` is exactly what was overwritten. False when it does not exist.
 */
export async function updateCampaign(
  db: Db,
  actor: StaffActor,
  campaignId: number,
  values: CampaignValues,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const current = await getCampaignDetail(trx, campaignId, { lock: true });
    if (!current) return false;
    const diff = changed(auditShape(current), auditShape(values));
    if (!diff) return true;
    await updateCampaignRow(trx, campaignId, values);
    await writeStaffAudit(trx, actor, {
      action: 'campaign.update',
      entityType: 'campaign',
      entityId: campaignId,
      before: diff.before,
      after: diff.after,
    });
    return true;
  });
}

export type TransitionOutcome =
  { ok: true } | { ok: false; code: 'INVALID_TRANSITION' | 'NOT_FOUND'; current?: CampaignStatus };

/**
 * One lifecycle step `from` → `to`. An illegal pair is refused without touching the row; a legal
 * one is a conditional UPDATE (`WHERE status = from`), so a stale page or a concurrent click that
 * lost the race changes nothing and answers INVALID_TRANSITION (409).
 */
export async function transitionCampaign(
  db: Db,
  actor: StaffActor,
  campaignId: number,
  from: CampaignStatus,
  to: CampaignStatus,
): Promise<TransitionOutcome> {
  if (!isLegalTransition(from, to)) {
    if (!(await campaignExists(db, campaignId))) return { ok: false, code: 'NOT_FOUND' };
    return { ok: false, code: 'INVALID_TRANSITION' };
  }
  return db.transaction().execute(async (trx): Promise<TransitionOutcome> => {
    if (!(await setCampaignStatus(trx, campaignId, from, to))) {
      const current = await getCampaignDetail(trx, campaignId);
      if (!current) return { ok: false, code: 'NOT_FOUND' };
      return { ok: false, code: 'INVALID_TRANSITION', current: current.status };
    }
    await writeStaffAudit(trx, actor, {
      action: 'campaign.status',
      entityType: 'campaign',
      entityId: campaignId,
      before: { status: from },
      after: { status: to },
    });
    return { ok: true };
  });
}
