import { z } from 'zod';
import type { CouponSourceType } from '~/utils/vocabularies';

/**
 * Issuing coupons of one template: to one member by phone, to a pasted or uploaded list of
 * phones, or to a member group. Issues carry message keys (couponIssue.error.*).
 */

export const ISSUE_TARGETS = ['PHONE', 'LIST', 'GROUP'] as const;
export type IssueTarget = (typeof ISSUE_TARGETS)[number];

/** Source types an admin may pick when issuing (SIGNUP belongs to the sign-in flow). */
export const ISSUE_SOURCE_TYPES = [
  'ADMIN',
  'COMPENSATION',
  'CAMPAIGN',
] as const satisfies readonly CouponSourceType[];

/** Instances per transaction (CP-14: at most 5 000 per batch). */
export const ISSUE_CHUNK_SIZE = 5_000;

/** Longest accepted list of phones in one submission. */
export const MAX_PHONES = 50_000;

/** The tag every instance of one issuing batch carries; also the idempotency key (CP-14). */
export const batchTag = (batchKey: string) => `batch:${batchKey}`;

const E164_RU = /^\+7[0-9]{10}$/;

/**
 * AU-1: strip spaces, dashes and brackets; 8XXXXXXXXXX → +7XXXXXXXXXX; 10 digits → +7 prefix;
 * the result must match ^\+7[0-9]{10}$, else null.
 */
export function normalizePhone(input: string): string | null {
  const stripped = input.replace(/[\s\-()]/g, '');
  let phone = stripped;
  if (/^8[0-9]{10}$/.test(stripped)) phone = `+7${stripped.slice(1)}`;
  else if (/^[0-9]{10}$/.test(stripped)) phone = `+7${stripped}`;
  return E164_RU.test(phone) ? phone : null;
}

export interface PhoneList {
  /** Normalised, deduplicated, in input order. */
  valid: string[];
  /** The raw entries that are not phones (deduplicated, trimmed). */
  invalid: string[];
}

/**
 * A pasted list or CSV: one entry per line, the first column counts (`,` or `;` separated,
 * quotes allowed). Blank lines are skipped; a header line that is not a phone is reported invalid.
 */
export function parsePhoneList(text: string): PhoneList {
  const valid = new Set<string>();
  const invalid = new Set<string>();
  for (const line of text.split(/\r\n|\r|\n/)) {
    const first = (line.split(/[,;\t]/)[0] ?? '')
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim();
    if (!first) continue;
    const phone = normalizePhone(first);
    if (phone) valid.add(phone);
    else invalid.add(first.slice(0, 40));
  }
  return { valid: [...valid], invalid: [...invalid] };
}

const TAG = /^[\p{L}\p{N}_.:-]{1,40}$/u;

/** Comma or space separated tags; `batch:` is reserved for the idempotency tag. */
export function parseTags(text: string): string[] | null {
  const tags = [
    ...new Set(
      text
        .split(/[,\s]+/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  if (tags.length > 10) return null;
  if (tags.some((t) => !TAG.test(t) || t.toLowerCase().startsWith('batch:'))) return null;
  return tags;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

const optionalText = (max: number, key: string) =>
  z
    .string()
    .trim()
    .max(max, { error: key })
    .optional()
    .transform((v) => v ?? '');

export const issueFormSchema = z
  .object({
    target: z.enum(ISSUE_TARGETS, { error: 'couponIssue.error.target' }).default('PHONE'),
    phone: optionalText(40, 'couponIssue.error.phone'),
    phones: optionalText(2_000_000, 'couponIssue.error.listTooLong'),
    group: optionalText(30, 'couponIssue.error.group'),
    source_type: z
      .enum(ISSUE_SOURCE_TYPES, { error: 'couponIssue.error.sourceType' })
      .default('ADMIN'),
    source_ref: optionalText(100, 'couponIssue.error.sourceRef'),
    tags: optionalText(500, 'couponIssue.error.tags'),
    reason: z
      .string({ error: 'couponIssue.error.reasonRequired' })
      .trim()
      .min(1, { error: 'couponIssue.error.reasonRequired' })
      .max(500, { error: 'couponIssue.error.reasonTooLong' }),
    batch_key: z
      .string({ error: 'couponIssue.error.batchKey' })
      .trim()
      .regex(UUID, { error: 'couponIssue.error.batchKey' })
      .transform((v) => v.toLowerCase()),
  })
  .superRefine((v, ctx) => {
    if (v.target === 'PHONE') {
      if (!v.phone) {
        ctx.addIssue({
          code: 'custom',
          path: ['phone'],
          message: 'couponIssue.error.phoneRequired',
        });
      } else if (!normalizePhone(v.phone)) {
        ctx.addIssue({ code: 'custom', path: ['phone'], message: 'couponIssue.error.phone' });
      }
    }
    if (v.target === 'LIST' && !v.phones.trim()) {
      ctx.addIssue({ code: 'custom', path: ['phones'], message: 'couponIssue.error.listRequired' });
    }
    if (v.target === 'GROUP' && !v.group) {
      ctx.addIssue({ code: 'custom', path: ['group'], message: 'couponIssue.error.groupRequired' });
    }
    if (parseTags(v.tags) === null) {
      ctx.addIssue({ code: 'custom', path: ['tags'], message: 'couponIssue.error.tags' });
    }
    if (v.source_type === 'CAMPAIGN' && !v.source_ref) {
      ctx.addIssue({
        code: 'custom',
        path: ['source_ref'],
        message: 'couponIssue.error.sourceRefRequired',
      });
    }
  });

export type IssueFormValues = z.output<typeof issueFormSchema>;

/** What one issue answered (also shown on the page). */
export interface IssueSummary {
  batchKey: string;
  /** Members targeted after deduplication and phone lookup. */
  targeted: number;
  issued: number;
  /** Members of the batch who already had their instance (repeat submission). */
  alreadyIssued: number;
  unknownPhones: string[];
  invalidPhones: string[];
  chunks: number;
}

/** The route's `$templateId` as a positive integer, or null. */
export function parseIssueTemplateId(value: string | undefined): number | null {
  if (!value || !/^[0-9]{1,9}$/.test(value)) return null;
  const id = Number(value);
  return id >= 1 ? id : null;
}
