import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import type { Db } from '~db/database.server';
import {
  findMembersByPhones,
  getIssueTemplate,
  groupMemberIds,
  insertIssueChunk,
  issueRefusal,
  lockIssueBatch,
  type IssueRefusal,
} from './issue.server';
import {
  ISSUE_CHUNK_SIZE,
  issueFormSchema,
  MAX_PHONES,
  normalizePhone,
  parsePhoneList,
  parseTags,
  type IssueFormValues,
  type IssueSummary,
} from './issue.schema';
import { writeStaffAudit, type StaffActor } from '~/features/audit/audit.server';

export interface IssueRequest {
  templateId: number;
  /** Members to receive one instance each (duplicates are ignored). */
  memberIds: number[];
  batchKey: string;
  sourceType: string;
  sourceRef: string | null;
  tags: string[];
  reason: string;
}

export type IssueResult =
  | { ok: true; issued: number; alreadyIssued: number; chunks: number }
  | { ok: false; code: 'NOT_FOUND' | IssueRefusal };

type ChunkOutcome = { refused: 'NOT_FOUND' | IssueRefusal } | { created: number };

/**
 * Issues one instance of the template to each member, in transactions of at most 5 000 (CP-14),
 * idempotent by the batch key: every transaction holds the batch's advisory lock and inserts only
 * for members without an instance of this template tagged with the batch, so a repeated or
 * concurrent submission of the same batch creates nothing new. Chunks run one after another and
 * commit separately (a crash half-way leaves whole chunks; resubmitting the batch completes it).
 */
export async function issueCoupons(
  db: Db,
  actor: StaffActor,
  req: IssueRequest,
): Promise<IssueResult> {
  const memberIds = [...new Set(req.memberIds)].sort((a, b) => a - b);
  let issued = 0;
  let chunks = 0;
  for (let start = 0; start < Math.max(memberIds.length, 1); start += ISSUE_CHUNK_SIZE) {
    const chunk = memberIds.slice(start, start + ISSUE_CHUNK_SIZE);
    const outcome = await db.transaction().execute(async (trx): Promise<ChunkOutcome> => {
      await lockIssueBatch(trx, req.batchKey);
      // re-read inside the transaction: the template may have been deactivated meanwhile
      const template = await getIssueTemplate(trx, req.templateId);
      if (!template) return { refused: 'NOT_FOUND' };
      const refusal = issueRefusal(template);
      if (refusal) return { refused: refusal };
      const created = await insertIssueChunk(trx, {
        templateId: req.templateId,
        memberIds: chunk,
        batchKey: req.batchKey,
        sourceType: req.sourceType,
        sourceRef: req.sourceRef,
        tags: req.tags,
        actorUserId: actor.userId,
        reason: req.reason,
      });
      if (created > 0) {
        await writeStaffAudit(trx, actor, {
          action: 'coupon.issue',
          entityType: 'coupon_template',
          entityId: req.templateId,
          after: {
            batch_key: req.batchKey,
            chunk: chunks + 1,
            targeted: chunk.length,
            issued: created,
            already_issued: chunk.length - created,
            source_type: req.sourceType,
            source_ref: req.sourceRef,
            tags: req.tags,
          },
          reason: req.reason,
        });
      }
      return { created };
    });
    if ('refused' in outcome) {
      // only the first chunk can be refused before anything was issued; a later refusal
      // (template switched off mid-issue) still reports what the earlier chunks created
      if (issued === 0) return { ok: false, code: outcome.refused };
      break;
    }
    issued += outcome.created;
    chunks += 1;
  }
  return { ok: true, issued, alreadyIssued: memberIds.length - issued, chunks };
}

export type IssueFormOutcome =
  | { ok: true; summary: IssueSummary; reply: SubmissionResult<string[]> }
  | {
      ok: false;
      status: 400 | 404 | 409;
      reply: SubmissionResult<string[]>;
      summary?: IssueSummary;
    };

const REFUSAL_MESSAGE: Record<IssueRefusal, string> = {
  INACTIVE: 'couponIssue.error.inactive',
  EXPIRED: 'couponIssue.error.expired',
  USAGE_LIMIT_REACHED: 'couponIssue.error.usageLimitReached',
};

async function uploadedText(formData: FormData): Promise<string> {
  const file = formData.get('phones_file');
  if (!file || typeof file === 'string') return '';
  // a CSV of phones; cap what is read so a huge upload cannot exhaust memory
  return (await file.slice(0, 2_000_000).text()).replace(/^\uFEFF/, '');
}

/**
 * The issue form: resolves the target (phone, list or uploaded CSV, group) into member ids,
 * reports unknown and invalid phones instead of failing, and issues the batch.
 */
export async function submitIssueForm(
  db: Db,
  actor: StaffActor,
  templateId: number,
  formData: FormData,
): Promise<IssueFormOutcome> {
  const submission = parseWithZod(formData, { schema: issueFormSchema });
  if (submission.status !== 'success') {
    return { ok: false, status: 400, reply: submission.reply() };
  }
  const v: IssueFormValues = submission.value;
  const template = await getIssueTemplate(db, templateId);
  if (!template) {
    return { ok: false, status: 404, reply: submission.reply({ formErrors: ['error.notFound'] }) };
  }
  const refusal = issueRefusal(template);
  if (refusal) {
    return {
      ok: false,
      status: 409,
      reply: submission.reply({ formErrors: [REFUSAL_MESSAGE[refusal]] }),
    };
  }

  let memberIds: number[] = [];
  let unknownPhones: string[] = [];
  let invalidPhones: string[] = [];
  if (v.target === 'GROUP') {
    const ids = await groupMemberIds(db, v.group);
    if (ids === null) {
      return {
        ok: false,
        status: 400,
        reply: submission.reply({ fieldErrors: { group: ['couponIssue.error.groupUnknown'] } }),
      };
    }
    memberIds = ids;
  } else {
    let phones: string[];
    if (v.target === 'PHONE') {
      phones = [normalizePhone(v.phone) as string];
    } else {
      const list = parsePhoneList(`${v.phones}\n${await uploadedText(formData)}`);
      if (list.valid.length + list.invalid.length > MAX_PHONES) {
        return {
          ok: false,
          status: 400,
          reply: submission.reply({ fieldErrors: { phones: ['couponIssue.error.listTooLong'] } }),
        };
      }
      phones = list.valid;
      invalidPhones = list.invalid;
    }
    const found = await findMembersByPhones(db, phones);
    const known = new Set(found.map((m) => m.phone));
    unknownPhones = phones.filter((p) => !known.has(p));
    memberIds = found.map((m) => m.id);
    if (v.target === 'PHONE' && memberIds.length === 0) {
      return {
        ok: false,
        status: 400,
        reply: submission.reply({ fieldErrors: { phone: ['couponIssue.error.memberUnknown'] } }),
      };
    }
  }

  const result = await issueCoupons(db, actor, {
    templateId,
    memberIds,
    batchKey: v.batch_key,
    sourceType: v.source_type,
    sourceRef: v.source_ref || null,
    tags: parseTags(v.tags) ?? [],
    reason: v.reason,
  });
  if (!result.ok) {
    if (result.code === 'NOT_FOUND') {
      return {
        ok: false,
        status: 404,
        reply: submission.reply({ formErrors: ['error.notFound'] }),
      };
    }
    return {
      ok: false,
      status: 409,
      reply: submission.reply({ formErrors: [REFUSAL_MESSAGE[result.code]] }),
    };
  }
  return {
    ok: true,
    reply: submission.reply({ resetForm: true }),
    summary: {
      batchKey: v.batch_key,
      targeted: new Set(memberIds).size,
      issued: result.issued,
      alreadyIssued: result.alreadyIssued,
      unknownPhones,
      invalidPhones,
      chunks: result.chunks,
    },
  };
}
