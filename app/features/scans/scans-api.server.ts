import type { Db } from '~db/database.server';
import { logger } from '~/utils/logger.server';
import { isDatabaseUnavailable } from '~/utils/pg-errors';
import { bearerDeviceKey, findStoreByDeviceKey } from './device-key.server';
import { ingestScans } from './ingest.service.server';
import {
  MAX_BATCH_BYTES,
  MAX_EVENTS_PER_BATCH,
  SCAN_API_ERROR_STATUS,
  scanBatchSchema,
  type ScanApiErrorCode,
} from './scans.schema';

/**
 * `POST /api/v1/scans` (OS-2) behind the route module: device key → store, body limits, the batch
 * envelope, then ingestion. The store always comes from the key, never from the body. Errors of
 * the whole request are `{"error":{"code","message_key","details"}}` (docs/api/scans.openapi.json).
 */

const NO_STORE = { 'Cache-Control': 'no-store' };

export function scanApiError(
  code: ScanApiErrorCode,
  details: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { error: { code, message_key: `scans.error.${code}`, details } },
    { status: SCAN_API_ERROR_STATUS[code], headers: { ...NO_STORE, ...headers } },
  );
}

type BodyRead = { ok: true; text: string } | { ok: false; code: ScanApiErrorCode; detail: string };

/** The body as UTF-8 text, reading no more than `limit` bytes whatever Content-Length says. */
async function readBody(request: Request, limit: number): Promise<BodyRead> {
  const declared = Number(request.headers.get('Content-Length'));
  if (Number.isFinite(declared) && declared > limit) {
    return { ok: false, code: 'PAYLOAD_TOO_LARGE', detail: `at most ${limit} bytes` };
  }
  if (!request.body) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return { ok: false, code: 'PAYLOAD_TOO_LARGE', detail: `at most ${limit} bytes` };
    }
    chunks.push(value);
  }
  try {
    return {
      ok: true,
      text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)),
    };
  } catch {
    return { ok: false, code: 'INVALID_BATCH', detail: 'the body is not UTF-8' };
  }
}

export async function handleScanBatch(
  request: Request,
  ctx: { db: Db; requestId?: string },
): Promise<Response> {
  if (request.method !== 'POST') {
    return scanApiError('METHOD_NOT_ALLOWED', { method: request.method }, { Allow: 'POST' });
  }
  const key = bearerDeviceKey(request.headers.get('Authorization'));
  const device = key ? await findStoreByDeviceKey(ctx.db, key) : null;
  if (!device) {
    return scanApiError('UNAUTHENTICATED', {}, { 'WWW-Authenticate': 'Bearer realm="scans"' });
  }
  if (!device.isActive) return scanApiError('STORE_INACTIVE');

  const body = await readBody(request, MAX_BATCH_BYTES);
  if (!body.ok) return scanApiError(body.code, { body: body.detail });
  let raw: unknown;
  try {
    raw = JSON.parse(body.text);
  } catch {
    return scanApiError('INVALID_BATCH', { body: 'not JSON' });
  }
  const batch = scanBatchSchema.safeParse(raw);
  if (!batch.success) {
    return scanApiError('INVALID_BATCH', {
      body: `expected {"events": [1..${MAX_EVENTS_PER_BATCH} events]}`,
    });
  }

  try {
    const results = await ingestScans(ctx.db, {
      storeId: device.storeId,
      events: batch.data.events,
      requestId: ctx.requestId,
    });
    return Response.json({ results }, { headers: NO_STORE });
  } catch (err) {
    // a database outage is the server's 503 with Retry-After (CF-3), not INTERNAL_ERROR
    if (isDatabaseUnavailable(err)) throw err;
    logger.error(
      { err, requestId: ctx.requestId, storeId: device.storeId },
      'scan ingestion failed',
    );
    return scanApiError('INTERNAL_ERROR', { request_id: ctx.requestId ?? null });
  }
}
