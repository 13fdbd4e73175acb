import { z } from 'zod';
import type { Db } from '~db/database.server';
import { logger } from '~/utils/logger.server';
import { fromDecimal, toDecimal } from '~/utils/money';
import {
  addDuplicateSightings,
  lookupCodesForScans,
  upsertScanRows,
  type ScanRowValues,
  type UpsertedScan,
} from './ingest.server';
import { autoMatchScans } from './matching.service.server';
import { isStatementFailure, retryOnDeadlock } from './retry.server';
import {
  CAMPAIGN_CODE_PATTERN,
  MAX_CLOCK_AHEAD_MS,
  MAX_EVENT_AGE_MS,
  scanEventSchema,
  type ScanEventInput,
  type ScanEventResult,
  type ScanRejectReason,
} from './scans.schema';

/**
 * Scan ingestion (OS-2 … OS-6). Every event is validated on its own (OS-4) and answered on its
 * own, in input order; a bad event never affects the others (OS-3).
 *
 * The write is the OS-5 upsert. Normally one statement applies it to all valid events of the
 * batch at once, with the codes' scan_count (ADR 0012: the answers are exactly those of one
 * transaction per event in input order, at the cost of one commit instead of up to 500); a batch
 * that also holds invalid events with a UUID adds their duplicate sightings in one transaction
 * with it. A deadlock victim runs again. When that
 * transaction fails with another database error about the data or a lock (a constraint, repeated
 * deadlocks), nothing of it was committed and the batch is written again one transaction per
 * event, so the failure stays with the event that caused it.
 */

/** One event after validation. `id` is set whenever client_event_id is a valid UUID. */
interface PlannedEvent {
  index: number;
  echoId: string | null;
  id: string | null;
  row: Omit<ScanRowValues, 'repeats'> | null;
  /** When the event says it was scanned (set together with `row`). */
  scannedAt: Date | null;
  reason: ScanRejectReason | null;
}

const uuid = z.uuid();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An event whose fields passed; its code is checked once the batch's codes are loaded. */
interface FieldsChecked {
  planned: PlannedEvent;
  event: ScanEventInput;
  code: string;
  scannedAt: Date;
}

/**
 * OS-4 for every event of the batch, in two passes around one query for all the codes it names.
 * Plain loops and fixed object shapes: this runs for every event of every batch.
 */
async function planBatch(db: Db, events: readonly unknown[], now: Date): Promise<PlannedEvent[]> {
  const plan: PlannedEvent[] = [];
  const pending: FieldsChecked[] = [];
  for (let index = 0; index < events.length; index++) {
    const raw = events[index];
    const rawId = isRecord(raw) ? raw.client_event_id : undefined;
    const planned: PlannedEvent = {
      index,
      echoId: typeof rawId === 'string' ? rawId.slice(0, 100) : null,
      id: null,
      row: null,
      scannedAt: null,
      reason: 'INVALID_EVENT',
    };
    plan.push(planned);
    const result = scanEventSchema.safeParse(raw);
    if (!result.success) {
      // still a UUID? then it may name a stored event (OS-4's duplicate rule)
      const idCheck = uuid.safeParse(rawId);
      if (idCheck.success) planned.id = idCheck.data.toLowerCase();
      continue;
    }
    planned.id = result.data.client_event_id.toLowerCase();
    const scannedAt = new Date(result.data.scanned_at);
    const age = now.getTime() - scannedAt.getTime();
    if (age > MAX_EVENT_AGE_MS || -age > MAX_CLOCK_AHEAD_MS) continue;
    const code = result.data.code.toUpperCase();
    if (!CAMPAIGN_CODE_PATTERN.test(code)) {
      planned.reason = 'SCAN_CODE_UNKNOWN';
      continue;
    }
    pending.push({ planned, event: result.data, code, scannedAt });
  }

  const codes = await lookupCodesForScans(db, [...new Set(pending.map((p) => p.code))]);
  for (const { planned, event, code: codeText, scannedAt } of pending) {
    const code = codes.get(codeText);
    if (!code) planned.reason = 'SCAN_CODE_UNKNOWN';
    else if (!code.isActive) planned.reason = 'SCAN_CODE_INACTIVE';
    else if (
      code.campaignStatus !== 'ACTIVE' ||
      scannedAt < code.startAt ||
      scannedAt >= code.endAt
    ) {
      planned.reason = 'CAMPAIGN_INACTIVE';
    } else {
      planned.reason = null;
      planned.scannedAt = scannedAt;
      planned.row = {
        clientEventId: planned.id!,
        campaignCodeId: code.id,
        scannedBy: event.scanned_by,
        scanType: event.scan_type,
        scannedAt: event.scanned_at,
        orderAmount: event.order_amount ? toDecimal(fromDecimal(event.order_amount)) : null,
      };
    }
  }
  return plan;
}

const rejected = (e: PlannedEvent, reason: ScanRejectReason): ScanEventResult => ({
  client_event_id: e.echoId,
  result: 'rejected',
  reason,
});

const stored = (
  e: PlannedEvent,
  result: 'accepted' | 'duplicate',
  scanId: number,
): ScanEventResult => ({ client_event_id: e.echoId, result, scan_id: scanId });

interface WriteResult {
  results: ScanEventResult[];
  /** Newly inserted scans with an order amount: auto-match candidates (OS-6). */
  matchable: { id: number; scannedAt: Date }[];
}

/**
 * The batch in one transaction. Answers follow the sequential reading of OS-4/OS-5: the first
 * valid sighting of a new id is `accepted`, every later sighting (valid, or invalid once the id
 * is stored for this store) is a `duplicate` counted in dup_count, a valid event whose id belongs
 * to another store is `EVENT_ID_CONFLICT`, and an invalid event whose id is not (yet) stored for
 * this store is `rejected` with its reason.
 */
async function writeBatch(db: Db, storeId: number, plan: PlannedEvent[]): Promise<WriteResult> {
  const firstValid = new Map<string, PlannedEvent>();
  const sightings = new Map<string, number>();
  for (const e of plan) {
    if (!e.row || !e.id) continue;
    if (!firstValid.has(e.id)) firstValid.set(e.id, e);
    sightings.set(e.id, (sightings.get(e.id) ?? 0) + 1);
  }
  const rows = [...firstValid.values()].map((e) =>
    Object.assign({}, e.row!, { repeats: sightings.get(e.id!)! - 1 }),
  );
  const byId = (written: UpsertedScan[]) =>
    new Map<string, UpsertedScan>(written.map((u) => [u.clientEventId, u]));

  // The usual batch (every event valid): the upsert is one statement, atomic on its own.
  if (!plan.some((e) => !e.row && e.id)) {
    return answerBatch(plan, firstValid, byId(await upsertScanRows(db, storeId, rows)), new Map());
  }

  return db.transaction().execute(async (trx) => {
    // Invalid events whose id no valid event of the batch carries do not depend on the upsert,
    // so they go first: after it the transaction holds code rows, and waiting then for another
    // batch's scan row could deadlock with that batch waiting for the codes.
    const elsewhere = new Map<string, number>();
    for (const e of plan) {
      if (!e.row && e.id && !firstValid.has(e.id))
        elsewhere.set(e.id, (elsewhere.get(e.id) ?? 0) + 1);
    }
    const duplicates = await addDuplicateSightings(trx, storeId, counted(elsewhere));
    const upserted = byId(await upsertScanRows(trx, storeId, rows));

    // Invalid events carrying the id of a valid one are duplicates once that id is stored by the
    // time they are reached; those rows are already this transaction's (the upsert above).
    const own = new Map<string, number>();
    for (const e of plan) {
      if (e.row || !e.id || !firstValid.has(e.id)) continue;
      if (storedEarlier(e, firstValid, upserted)) own.set(e.id, (own.get(e.id) ?? 0) + 1);
    }
    await addDuplicateSightings(trx, storeId, counted(own));
    return answerBatch(plan, firstValid, upserted, duplicates);
  });
}

const counted = (ids: Map<string, number>) =>
  [...ids].map(([clientEventId, count]) => ({ clientEventId, count }));

/**
 * Whether an invalid event's id is stored for this store by the time the event is reached:
 * before the batch (the upsert updated it), or by a valid event earlier in the batch.
 */
function storedEarlier(
  e: PlannedEvent,
  firstValid: ReadonlyMap<string, PlannedEvent>,
  upserted: ReadonlyMap<string, UpsertedScan>,
): UpsertedScan | undefined {
  const u = upserted.get(e.id!);
  if (!u) return undefined;
  return !u.inserted || e.index > firstValid.get(e.id!)!.index ? u : undefined;
}

/** The per-event answers of a written batch, in input order, and its auto-match candidates. */
function answerBatch(
  plan: readonly PlannedEvent[],
  firstValid: ReadonlyMap<string, PlannedEvent>,
  upserted: ReadonlyMap<string, UpsertedScan>,
  duplicates: ReadonlyMap<string, number>,
): WriteResult {
  const matchable: WriteResult['matchable'] = [];
  const results = plan.map((e): ScanEventResult => {
    if (e.row) {
      const u = upserted.get(e.id!);
      if (!u) return rejected(e, 'EVENT_ID_CONFLICT');
      if (u.inserted && firstValid.get(e.id!) === e) {
        if (e.row.orderAmount !== null) matchable.push({ id: u.id, scannedAt: e.scannedAt! });
        return stored(e, 'accepted', u.id);
      }
      return stored(e, 'duplicate', u.id);
    }
    if (!e.id) return rejected(e, e.reason!);
    if (firstValid.has(e.id)) {
      const u = storedEarlier(e, firstValid, upserted);
      return u ? stored(e, 'duplicate', u.id) : rejected(e, e.reason!);
    }
    const scanId = duplicates.get(e.id);
    return scanId === undefined ? rejected(e, e.reason!) : stored(e, 'duplicate', scanId);
  });
  return { results, matchable };
}

/**
 * OS-3 literally: one transaction per event, in input order. A valid event runs the single-row
 * OS-5 upsert and `scan_count + 1` when it inserted; an invalid one with a UUID is a duplicate
 * when its id is already stored for this store. A database error of one event's data rejects
 * that event (INVALID_EVENT) and the others go on.
 */
async function writeEventByEvent(
  db: Db,
  storeId: number,
  plan: readonly PlannedEvent[],
  requestId?: string,
): Promise<WriteResult> {
  const results: ScanEventResult[] = [];
  const matchable: WriteResult['matchable'] = [];
  for (const e of plan) {
    if (!e.id) {
      results.push(rejected(e, e.reason!));
      continue;
    }
    if (!e.row) {
      const found = await retryOnDeadlock(() =>
        addDuplicateSightings(db, storeId, [{ clientEventId: e.id!, count: 1 }]),
      );
      const scanId = found.get(e.id);
      results.push(scanId === undefined ? rejected(e, e.reason!) : stored(e, 'duplicate', scanId));
      continue;
    }
    const row = { ...e.row, repeats: 0 };
    let written: UpsertedScan | undefined;
    try {
      // one statement: the row and its code's scan_count, atomically
      written = (await retryOnDeadlock(() => upsertScanRows(db, storeId, [row])))[0];
    } catch (err) {
      if (!isStatementFailure(err)) throw err;
      logger.error({ err, storeId, requestId }, 'scan event refused by the database');
      results.push(rejected(e, 'INVALID_EVENT'));
      continue;
    }
    if (!written) results.push(rejected(e, 'EVENT_ID_CONFLICT'));
    else if (written.inserted) {
      if (row.orderAmount !== null) matchable.push({ id: written.id, scannedAt: e.scannedAt! });
      results.push(stored(e, 'accepted', written.id));
    } else results.push(stored(e, 'duplicate', written.id));
  }
  return { results, matchable };
}

export interface IngestOptions {
  storeId: number;
  /** The raw `events` array of the request body (1..500 entries, checked by the caller). */
  events: readonly unknown[];
  now?: Date;
  requestId?: string;
}

/** Validates, stores and answers a batch; then auto-matches the new scans that have an amount. */
export async function ingestScans(db: Db, opts: IngestOptions): Promise<ScanEventResult[]> {
  const plan = await planBatch(db, opts.events, opts.now ?? new Date());
  let written: WriteResult;
  try {
    written = await retryOnDeadlock(() => writeBatch(db, opts.storeId, plan));
  } catch (err) {
    // a connection failure leaves the commit unknown: the device's retry of the batch is safe
    if (!isStatementFailure(err)) throw err;
    logger.warn(
      { err, storeId: opts.storeId, requestId: opts.requestId },
      'scan batch write failed; writing the events one by one',
    );
    written = await writeEventByEvent(db, opts.storeId, plan, opts.requestId);
  }
  if (written.matchable.length > 0) {
    try {
      await autoMatchScans(db, { storeId: opts.storeId, scans: written.matchable });
    } catch (err) {
      // the scans are stored; the periodic matcher (OS-6, every minute) tries them again
      logger.error({ err, storeId: opts.storeId, requestId: opts.requestId }, 'auto-match failed');
    }
  }
  return written.results;
}

/** For tests of the one-transaction-per-event path, which normally runs only after a failure. */
export async function ingestScansEventByEvent(
  db: Db,
  opts: IngestOptions,
): Promise<ScanEventResult[]> {
  const plan = await planBatch(db, opts.events, opts.now ?? new Date());
  return (await writeEventByEvent(db, opts.storeId, plan)).results;
}
