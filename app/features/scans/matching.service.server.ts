import type { Db } from '~db/database.server';
import { writeStaffAudit, type StaffActor } from '~/features/audit/audit.server';
import { logger } from '~/utils/logger.server';
import { isUniqueViolation } from '~/utils/pg-errors';
import type { MatchMethod } from '~/utils/vocabularies';
import {
  attributeOrder,
  changeAttributionCounters,
  claimScan,
  detachOrder,
  findOrderByNumber,
  getOrderForMatch,
  getScanForMatch,
  hasOpenOrdersAround,
  listAutoMatchPairs,
  releaseScan,
  type ScanScope,
} from './matching.server';
import { retryOnDeadlock } from './retry.server';
import type { ScanMatchErrorCode } from './scans.schema';

/**
 * Attributing scans to orders (OS-6, OS-7) and taking an attribution back. Every match runs the
 * same statements in one transaction, locking scan → order → code as OS-7 prescribes; a refusal
 * rolls the whole of it back.
 */

export class ScanMatchError extends Error {
  constructor(readonly code: ScanMatchErrorCode) {
    super(code);
    this.name = 'ScanMatchError';
  }
}

export type MatchOutcome =
  { ok: true; scanId: number; orderId: number } | { ok: false; error: ScanMatchErrorCode };

/**
 * OS-7 inside the caller's transaction: the scan (only while unmatched), then the order (same
 * store, not attributed, matchable status), then the code's counters. Throws ScanMatchError.
 */
async function attach(
  trx: Db,
  args: { scanId: number; orderId: number; method: MatchMethod; userId: number | null },
): Promise<{ storeId: number; campaignCodeId: number }> {
  let claimed;
  try {
    claimed = await claimScan(trx, args);
  } catch (err) {
    // the code already has a scan on this order, so the order is attributed
    if (isUniqueViolation(err, 'idx_offline_scan_code_order_unique')) {
      throw new ScanMatchError('ORDER_ALREADY_ATTRIBUTED');
    }
    throw err;
  }
  if (!claimed) throw new ScanMatchError('SCAN_ALREADY_MATCHED');
  const finalAmount = await attributeOrder(trx, {
    orderId: args.orderId,
    campaignCodeId: claimed.campaignCodeId,
    storeId: claimed.storeId,
  });
  if (finalAmount === undefined) {
    const order = await getOrderForMatch(trx, args.orderId);
    if (!order) throw new ScanMatchError('ORDER_NOT_FOUND');
    if (order.storeId !== claimed.storeId) throw new ScanMatchError('STORE_MISMATCH');
    if (order.campaignCodeId !== null) throw new ScanMatchError('ORDER_ALREADY_ATTRIBUTED');
    throw new ScanMatchError('ORDER_NOT_MATCHABLE');
  }
  await changeAttributionCounters(trx, {
    campaignCodeId: claimed.campaignCodeId,
    finalAmount,
    direction: 1,
  });
  return claimed;
}

/** Runs a matching transaction (again, after a deadlock) and turns a refusal into an outcome. */
async function asOutcome<T>(
  run: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: ScanMatchErrorCode }> {
  try {
    return { ok: true, value: await retryOnDeadlock(run) };
  } catch (err) {
    if (err instanceof ScanMatchError) return { ok: false, error: err.code };
    throw err;
  }
}

/**
 * Manual match (OS-7) by a staff member: the scan (within their scope, else SCAN_NOT_FOUND) to
 * the order with this number. Writes `scan.match` to the audit in the same transaction.
 */
export async function matchScanToOrder(
  db: Db,
  args: { scanId: number; orderNumber: string; scope: ScanScope; actor: StaffActor },
): Promise<MatchOutcome> {
  const scan = await getScanForMatch(db, args.scanId, args.scope);
  if (!scan) return { ok: false, error: 'SCAN_NOT_FOUND' };
  if (scan.matched) return { ok: false, error: 'SCAN_ALREADY_MATCHED' };
  const order = await findOrderByNumber(db, args.orderNumber);
  if (!order) return { ok: false, error: 'ORDER_NOT_FOUND' };
  const outcome = await asOutcome(() =>
    db.transaction().execute(async (trx) => {
      const attached = await attach(trx, {
        scanId: scan.id,
        orderId: order.id,
        method: 'MANUAL',
        userId: args.actor.userId,
      });
      await writeStaffAudit(trx, args.actor, {
        storeId: attached.storeId,
        action: 'scan.match',
        entityType: 'offline_scan_log',
        entityId: scan.id,
        before: { matched: false },
        after: {
          matched: true,
          order_id: order.id,
          order_number: order.orderNumber,
          match_method: 'MANUAL',
        },
      });
    }),
  );
  return outcome.ok ? { ok: true, scanId: scan.id, orderId: order.id } : outcome;
}

/**
 * Takes a match back (AUTO or MANUAL): the scan returns to the unmatched list, the order loses
 * its code, and the code's counters drop by the order — unless OS-9 already reversed this
 * attribution (order cancelled, voided or refunded), in which case they were dropped then.
 *
 * Locks order → scan, the order the OS-9 reversal in the order lifecycle uses, so an unmatch and
 * a cancellation of the same order wait for each other instead of deadlocking; whichever comes
 * second sees the other's result and changes the counters at most once between them.
 */
export async function unmatchScan(
  db: Db,
  args: { scanId: number; scope: ScanScope; actor: StaffActor },
): Promise<MatchOutcome> {
  const scan = await getScanForMatch(db, args.scanId, args.scope);
  if (!scan) return { ok: false, error: 'SCAN_NOT_FOUND' };
  if (!scan.matched || scan.orderId === null) return { ok: false, error: 'SCAN_NOT_MATCHED' };
  const orderId = scan.orderId;
  const outcome = await asOutcome(() =>
    db.transaction().execute(async (trx) => {
      const order = await getOrderForMatch(trx, orderId, { lock: true });
      const locked = await getScanForMatch(trx, scan.id, args.scope, { lock: true });
      if (!order || !locked?.matched || locked.orderId !== orderId) {
        throw new ScanMatchError('SCAN_NOT_MATCHED');
      }
      await releaseScan(trx, locked.id);
      await detachOrder(trx, { orderId, campaignCodeId: locked.campaignCodeId });
      if (locked.reversedAt === null) {
        await changeAttributionCounters(trx, {
          campaignCodeId: locked.campaignCodeId,
          finalAmount: order.finalAmount,
          direction: -1,
        });
      }
      await writeStaffAudit(trx, args.actor, {
        storeId: locked.storeId,
        action: 'scan.unmatch',
        entityType: 'offline_scan_log',
        entityId: locked.id,
        before: {
          matched: true,
          order_id: orderId,
          order_number: order.orderNumber,
          match_method: locked.matchMethod,
          matched_at: locked.matchedAt?.toISOString() ?? null,
          reversed_at: locked.reversedAt?.toISOString() ?? null,
        },
        after: { matched: false },
      });
    }),
  );
  return outcome.ok ? { ok: true, scanId: scan.id, orderId } : outcome;
}

/**
 * OS-6 for a list of pairs from listAutoMatchPairs: each match is its own transaction with the
 * OS-7 statements. A pair that no longer fits (the order was attributed or cancelled meanwhile,
 * the scan was matched by hand) is skipped; the scan stays for the next run or for a manager.
 */
async function applyAutoMatches(
  db: Db,
  pairs: readonly { scanId: number; orderId: number }[],
): Promise<number> {
  let matched = 0;
  for (const pair of pairs) {
    const outcome = await asOutcome(() =>
      db
        .transaction()
        .execute((trx) =>
          attach(trx, { scanId: pair.scanId, orderId: pair.orderId, method: 'AUTO', userId: null }),
        ),
    );
    if (outcome.ok) matched += 1;
  }
  return matched;
}

/** OS-6 at acceptance: the newly accepted scans of a store that have exactly one candidate order. */
export async function autoMatchScans(
  db: Db,
  args: { storeId: number; scans: readonly { id: number; scannedAt: Date }[] },
): Promise<number> {
  if (args.scans.length === 0) return 0;
  const times = args.scans.map((s) => s.scannedAt.getTime());
  const span = { from: new Date(Math.min(...times)), to: new Date(Math.max(...times)) };
  if (!(await hasOpenOrdersAround(db, { storeId: args.storeId, ...span }))) return 0;
  const scanIds = args.scans.map((s) => s.id);
  return applyAutoMatches(db, await listAutoMatchPairs(db, { scanIds }));
}

const PERIODIC_BATCH = 500;

/**
 * OS-6 every minute: unmatched scans of the last 24 hours whose order has shown up since (an
 * order becomes matchable only once it is CONFIRMED, usually minutes after the scan). Safe to run
 * at any time and from several processes: each match re-checks everything in its statements.
 */
export async function matchUnmatchedScans(
  db: Db,
  opts: { limit?: number } = {},
): Promise<{ candidates: number; matched: number }> {
  const pairs = await listAutoMatchPairs(db, { recentLimit: opts.limit ?? PERIODIC_BATCH });
  const matched = await applyAutoMatches(db, pairs);
  if (matched > 0) logger.info({ event: 'scans.auto_match', matched }, 'scans matched to orders');
  return { candidates: pairs.length, matched };
}
