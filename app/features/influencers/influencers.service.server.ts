import crypto from 'node:crypto';
import type { Db } from '~db/database.server';
import { isUniqueViolation } from '~/utils/pg-errors';
import type { InfluencerValues } from './influencers.schema';
import {
  getCampaignForCodes,
  getCodeForPair,
  getInfluencerDetail,
  insertCodeIfAbsent,
  insertInfluencer,
  setCodeActive,
  updateInfluencerRow,
  type CampaignCodeRow,
} from './influencers.server';
import { writeStaffAudit, type StaffActor } from '~/features/audit/audit.server';

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

export async function createInfluencer(
  db: Db,
  actor: StaffActor,
  values: InfluencerValues,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const id = await insertInfluencer(trx, values);
    await writeStaffAudit(trx, actor, {
      action: 'influencer.create',
      entityType: 'influencer',
      entityId: id,
      after: { ...values },
    });
    return id;
  });
}

/** Saves the edit form with the changed fields audited; false when the influencer is unknown. */
export async function updateInfluencer(
  db: Db,
  actor: StaffActor,
  influencerId: number,
  values: InfluencerValues,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const current = await getInfluencerDetail(trx, influencerId, { lock: true });
    if (!current) return false;
    const { id: _id, ...before } = current;
    const diff = changed<Record<string, unknown>>(before, { ...values });
    if (!diff) return true;
    await updateInfluencerRow(trx, influencerId, values);
    await writeStaffAudit(trx, actor, {
      action: 'influencer.update',
      entityType: 'influencer',
      entityId: influencerId,
      before: diff.before,
      after: diff.after,
    });
    return true;
  });
}

/** The number part of a code: an integer in [min, max). Injected by tests; CSPRNG otherwise. */
export type RandomInt = (min: number, max: number) => number;

export const MAX_CODE_ATTEMPTS = 20;

export type GenerateCodeOutcome =
  | { ok: true; code: CampaignCodeRow; created: boolean }
  | {
      ok: false;
      error:
        | 'CODE_SPACE_EXHAUSTED'
        | 'CAMPAIGN_NOT_FOUND'
        | 'CAMPAIGN_ENDED'
        | 'INFLUENCER_NOT_FOUND'
        | 'INFLUENCER_NOT_ACTIVE';
    };

/**
 * OS-1: the one code of (campaign, influencer). An existing code is returned as it is, whatever
 * has happened to the campaign since (idempotent: a second click shows the same code). A new one
 * is the campaign's letter + a CSPRNG number 1000–9999; each attempt is its own transaction (a
 * unique violation aborts the transaction it happens in) holding the insert and its audit row.
 * After 20 clashes with other pairs' codes: CODE_SPACE_EXHAUSTED.
 */
export async function generateCampaignCode(
  db: Db,
  actor: StaffActor,
  pair: { campaignId: number; influencerId: number },
  randomInt: RandomInt = crypto.randomInt,
): Promise<GenerateCodeOutcome> {
  const existing = await getCodeForPair(db, pair.campaignId, pair.influencerId);
  if (existing) return { ok: true, code: existing, created: false };

  const campaign = await getCampaignForCodes(db, pair.campaignId);
  if (!campaign) return { ok: false, error: 'CAMPAIGN_NOT_FOUND' };
  if (campaign.status === 'ENDED') return { ok: false, error: 'CAMPAIGN_ENDED' };
  const influencer = await getInfluencerDetail(db, pair.influencerId);
  if (!influencer) return { ok: false, error: 'INFLUENCER_NOT_FOUND' };
  if (influencer.status !== 'ACTIVE') return { ok: false, error: 'INFLUENCER_NOT_ACTIVE' };

  for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt += 1) {
    const code = `${campaign.code_letter}${randomInt(1000, 10_000)}`;
    try {
      const inserted = await db.transaction().execute(async (trx) => {
        const row = await insertCodeIfAbsent(trx, { ...pair, code });
        if (!row) return null;
        await writeStaffAudit(trx, actor, {
          action: 'campaign_code.create',
          entityType: 'campaign_code',
          entityId: row.id,
          after: { code: row.code, campaign_id: row.campaign_id, influencer_id: row.influencer_id },
        });
        return row;
      });
      if (inserted) return { ok: true, code: inserted, created: true };
      // the pair got its code from a concurrent request in the meantime: that one is the code
      const winner = await getCodeForPair(db, pair.campaignId, pair.influencerId);
      if (winner) return { ok: true, code: winner, created: false };
    } catch (err) {
      if (!isUniqueViolation(err, 'campaign_code_code_unique')) throw err;
    }
  }
  return { ok: false, error: 'CODE_SPACE_EXHAUSTED' };
}

/** Activates or deactivates one of the influencer's codes; null when it is not theirs. */
export async function setCampaignCodeActive(
  db: Db,
  actor: StaffActor,
  args: { influencerId: number; codeId: number; active: boolean },
): Promise<CampaignCodeRow | null> {
  return db.transaction().execute(async (trx) => {
    const before = await setCodeActive(trx, args);
    if (!before) return null;
    if (before.is_active !== args.active) {
      await writeStaffAudit(trx, actor, {
        action: args.active ? 'campaign_code.activate' : 'campaign_code.deactivate',
        entityType: 'campaign_code',
        entityId: before.id,
        before: { is_active: before.is_active },
        after: { is_active: args.active },
      });
    }
    return { ...before, is_active: args.active };
  });
}
