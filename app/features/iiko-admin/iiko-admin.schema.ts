import { z } from 'zod';
import { dateFilter, defineListParams, enumFilter, textFilter } from '~/utils/search-params';
import { IIKO_JOB_STATUSES, IIKO_JOB_TYPES } from '~/utils/vocabularies';

/**
 * Input of the iiko sync pages (/admin/iiko/*): list state in the URL, route params and form
 * bodies. URL values are lenient (a bad one falls back to its default); form bodies are strict.
 */

export const JOB_SORT_KEYS = ['created', 'updated', 'next_run'] as const;
export type JobSortKey = (typeof JOB_SORT_KEYS)[number];

/** `/admin/iiko?type=&status=&resource=&from=&to=&sort=&dir=&page=`; newest first by default. */
export const JOB_LIST = defineListParams({
  sortKeys: JOB_SORT_KEYS,
  defaultSort: 'created',
  defaultDir: 'desc',
  defaultPageSize: 25,
  filters: {
    type: enumFilter(IIKO_JOB_TYPES),
    status: enumFilter(IIKO_JOB_STATUSES),
    resource: textFilter(100),
    from: dateFilter(),
    to: dateFilter(),
  },
});

export type JobListParams = ReturnType<typeof JOB_LIST.parse>;

/** `/admin/iiko/conflicts?page=`: no sort choice, product id order. */
export const CONFLICT_LIST = defineListParams({
  sortKeys: ['product'] as const,
  defaultSort: 'product',
  defaultPageSize: 50,
});

const MAX_INT = 2_147_483_647;

/** A positive 32-bit integer written in plain decimal ("01", "1e3", "-1" are not). */
export const idSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/)
  .transform(Number)
  .refine((n) => n <= MAX_INT);

/** A route param or query value as an id, or null when it is not one. */
export function parseId(value: string | null | undefined): number | null {
  const parsed = idSchema.safeParse(value ?? undefined);
  return parsed.success ? parsed.data : null;
}

export const JOB_INTENTS = { retry: 'retry', runNow: 'run-now' } as const;
export const IMPORT_INTENTS = { importMenu: 'import-menu', stopLists: 'stop-lists' } as const;
export const CONFLICT_INTENTS = { accept: 'accept-iiko' } as const;

export const jobActionSchema = z.object({
  intent: z.enum([JOB_INTENTS.retry, JOB_INTENTS.runNow]),
});

export const importActionSchema = z.object({
  intent: z.enum([IMPORT_INTENTS.importMenu, IMPORT_INTENTS.stopLists]),
});

export const acceptIikoSchema = z.object({
  intent: z.literal(CONFLICT_INTENTS.accept),
  product_id: idSchema,
});

/** The notices a page shows after a post/redirect/get (`?notice=`); anything else shows none. */
export const NOTICES = [
  'retried',
  'enqueued',
  'alreadyQueued',
  'stopListsEnqueued',
  'accepted',
] as const;
export type Notice = (typeof NOTICES)[number];

export function parseNotice(value: string | null): Notice | null {
  return value !== null && (NOTICES as readonly string[]).includes(value)
    ? (value as Notice)
    : null;
}

// --- MENU_IMPORT result (IK-8) ------------------------------------------------------------------

const count = z.number().int().nonnegative();

export const conflictItemSchema = z.object({
  product_id: z.number().int().positive(),
  field: z.string(),
  local: z.unknown(),
  iiko: z.unknown(),
});
export type ConflictItem = z.infer<typeof conflictItemSchema>;

const menuImportSummarySchema = z.object({
  revision_from: z.union([z.number(), z.string()]).nullable().optional(),
  revision_to: z.union([z.number(), z.string()]).nullable().optional(),
  created: count,
  updated: count,
  unchanged: count,
  deactivated: count,
  skipped: count,
  conflicts: count,
  conflict_items: z.array(conflictItemSchema).default([]),
});

/**
 * The `result` of a COMPLETED MENU_IMPORT: either the revision did not move (`{unchanged: true}`)
 * or the summary of the import. null when the job has no result or it has another shape (the
 * page then shows the raw JSON).
 */
export type MenuImportResult =
  { kind: 'unchanged' } | ({ kind: 'summary' } & z.infer<typeof menuImportSummarySchema>);

export function parseMenuImportResult(result: unknown): MenuImportResult | null {
  if (result === null || typeof result !== 'object') return null;
  if ((result as { unchanged?: unknown }).unchanged === true) return { kind: 'unchanged' };
  const parsed = menuImportSummarySchema.safeParse(result);
  return parsed.success ? { kind: 'summary', ...parsed.data } : null;
}
