import { z } from 'zod';
import { DEVICE_SCAN_TYPES, type ScanResult } from '~/utils/vocabularies';

/**
 * The contract of `POST /api/v1/scans` (OS-2, OS-4) and the back-office scan forms. Isomorphic:
 * the API handler, the ingestion service, the OpenAPI test and the UI read the same lists.
 */

/** OS-2: a batch holds 1..500 events. */
export const MAX_EVENTS_PER_BATCH = 500;
/** Request bodies above this size are refused with 413 before they are parsed. */
export const MAX_BATCH_BYTES = 1_048_576;

/** OS-4: a device clock may run up to five minutes ahead; events older than 30 days are refused. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;
export const MAX_EVENT_AGE_MS = 30 * 24 * 60 * 60_000;

/** Per-event rejection reasons (OS-4, OS-5), in the order the checks run. */
export const SCAN_REJECT_REASONS = [
  'INVALID_EVENT',
  'SCAN_CODE_UNKNOWN',
  'SCAN_CODE_INACTIVE',
  'CAMPAIGN_INACTIVE',
  'EVENT_ID_CONFLICT',
] as const;
export type ScanRejectReason = (typeof SCAN_REJECT_REASONS)[number];

/** The shape of `campaign_code.code` (OS-1); anything else cannot name a code. */
export const CAMPAIGN_CODE_PATTERN = /^[A-Z][1-9][0-9]{3}$/;

/** "350.00", "350.5" or "350": a non-negative amount that fits numeric(12,2). */
export const AMOUNT_PATTERN = /^\d{1,10}(\.\d{1,2})?$/;

/**
 * One event as a device sends it. Unknown fields are ignored (devices may send more than we
 * store); `order_amount` null means "no amount", like leaving it out.
 */
export const scanEventSchema = z.object({
  client_event_id: z.uuid(),
  code: z.string().trim().min(1).max(32),
  scan_type: z.enum(DEVICE_SCAN_TYPES),
  scanned_by: z.string().trim().min(1).max(100),
  scanned_at: z.iso.datetime({ offset: true }),
  order_amount: z.string().trim().regex(AMOUNT_PATTERN).nullish(),
});
export type ScanEventInput = z.infer<typeof scanEventSchema>;

/**
 * The envelope. Events are checked one by one afterwards, so one malformed event is a
 * per-event rejection, never a 400 for the whole batch.
 */
export const scanBatchSchema = z.object({
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH),
});

export type ScanEventResult =
  | {
      client_event_id: string | null;
      result: Extract<ScanResult, 'accepted' | 'duplicate'>;
      scan_id: number;
    }
  | { client_event_id: string | null; result: 'rejected'; reason: ScanRejectReason };

/** Errors of the whole request (the body is `{"error":{"code","message_key","details"}}`). */
export const SCAN_API_ERROR_STATUS = {
  INVALID_BATCH: 400,
  UNAUTHENTICATED: 401,
  STORE_INACTIVE: 403,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL_ERROR: 500,
} as const;
export type ScanApiErrorCode = keyof typeof SCAN_API_ERROR_STATUS;

/** Refusals of manual matching and unmatching (OS-7), shown next to the scan. */
export const SCAN_MATCH_ERROR_STATUS = {
  SCAN_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 400,
  SCAN_ALREADY_MATCHED: 409,
  ORDER_ALREADY_ATTRIBUTED: 409,
  STORE_MISMATCH: 409,
  ORDER_NOT_MATCHABLE: 409,
  SCAN_NOT_MATCHED: 409,
} as const;
export type ScanMatchErrorCode = keyof typeof SCAN_MATCH_ERROR_STATUS;

export const MATCH_INTENT = 'match';
export const UNMATCH_INTENT = 'unmatch';

const scanIdField = z.coerce.number().int().min(1).max(2_147_483_647);

/** The row forms of the scan log: attach an order (by its number) or detach it. */
export const scanActionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal(MATCH_INTENT),
    scanId: scanIdField,
    orderNumber: z
      .string()
      .trim()
      .min(1)
      .max(50)
      .transform((v) => v.toUpperCase()),
  }),
  z.object({ intent: z.literal(UNMATCH_INTENT), scanId: scanIdField }),
]);
export type ScanAction = z.infer<typeof scanActionSchema>;

export const ROTATE_KEY_INTENT = 'rotate';
export const REVOKE_KEY_INTENT = 'revoke';
