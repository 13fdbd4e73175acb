import type { Db } from '~db/database.server';
import type {
  TelegramClient,
  TelegramSendResult,
} from '~/integrations/telegram/telegram-client.server';
import { logger } from '~/utils/logger.server';
import {
  deferChat,
  deferNotifications,
  listRecentAttempts,
  lockClaims,
  lockDueNotifications,
  markClaimed,
  markFailed,
  markRetry,
  markSent,
  recoverStaleNotifications,
  releaseClaim,
  type ClaimedNotification,
  type DueNotification,
  type RecentAttempt,
} from './notifications.server';

/**
 * The Telegram outbox dispatcher (NT-1, NT-5; ADR 0013), the notifications' service: it claims
 * due rows in one short transaction, calls `sendMessage` outside any transaction, and records each
 * outcome with a conditional UPDATE on the attempt it belongs to. It runs as the periodic task
 * `notifications.dispatch`; any number of dispatchers may share the table.
 *
 * Delivery is at-least-once: a dispatcher that dies after Telegram accepted a message but before
 * recording it leaves the row SENDING, and after five minutes the row is sent again.
 * Texts are sent exactly as stored; escaping happened when the row was written (NT-4).
 */

/** NT-5: network errors and 5xx retry after 30 s, 2 min, 10 min, then every 30 min. */
export const RETRY_DELAYS_S = [30, 120, 600, 1800] as const;
/** NT-5 (Telegram's limits): 1 message per second per chat, 20 per minute per group chat. */
export const PER_CHAT_INTERVAL_MS = 1_000;
export const GROUP_WINDOW_MS = 60_000;
export const GROUP_MAX_PER_WINDOW = 20;

const DEFAULT_BATCH_SIZE = 20;
const DEFAULT_CONCURRENCY = 4;
/** Due rows examined per claim: some of them are only rescheduled by the rate limits. */
const SCAN_FACTOR = 4;

/** Negative ids are groups, supergroups and channels. */
export function isGroupChat(chatId: string): boolean {
  return chatId.startsWith('-');
}

export interface ClaimPlan {
  claim: number[];
  defer: { id: number; at: Date }[];
}

/**
 * Which due rows may go now under the per-chat limits, and when the others may. At most one
 * message per chat is in flight; the next one waits for a second after the previous was sent (or
 * claimed, while it is in flight), and a group chat's 21st message within a minute waits for the
 * minute to pass. Rows beyond `batchSize` claims are left as they are.
 */
export function planClaims(
  due: readonly DueNotification[],
  recent: readonly RecentAttempt[],
  { now, batchSize }: { now: Date; batchSize: number },
): ClaimPlan {
  const nowMs = now.getTime();
  const chats = new Map<string, { inFlight: boolean; times: number[] }>();
  const chat = (chatId: string) => {
    let state = chats.get(chatId);
    if (!state) chats.set(chatId, (state = { inFlight: false, times: [] }));
    return state;
  };
  for (const attempt of recent) {
    const state = chat(attempt.chatId);
    if (attempt.status === 'SENDING') state.inFlight = true;
    state.times.push(attempt.at.getTime());
  }
  for (const state of chats.values()) state.times.sort((a, b) => a - b);

  const plan: ClaimPlan = { claim: [], defer: [] };
  for (const row of due) {
    if (plan.claim.length >= batchSize) break;
    const state = chat(row.chatId);
    const last = state.times.at(-1);
    let slot = last === undefined ? nowMs : Math.max(nowMs, last + PER_CHAT_INTERVAL_MS);
    if (isGroupChat(row.chatId)) {
      const inWindow = state.times.filter((t) => t > slot - GROUP_WINDOW_MS);
      if (inWindow.length >= GROUP_MAX_PER_WINDOW) {
        slot = Math.max(slot, inWindow[inWindow.length - GROUP_MAX_PER_WINDOW]! + GROUP_WINDOW_MS);
      }
    }
    if (state.inFlight) slot = Math.max(slot, nowMs + PER_CHAT_INTERVAL_MS);

    if (slot <= nowMs) {
      plan.claim.push(row.id);
      state.inFlight = true;
      state.times.push(nowMs);
    } else {
      plan.defer.push({ id: row.id, at: new Date(slot) });
      state.times.push(slot);
    }
  }
  return plan;
}

export interface ClaimResult {
  claimed: ClaimedNotification[];
  deferred: number;
}

/**
 * NT-1: one short transaction under the claim lock: lock due PENDING rows (`FOR UPDATE SKIP
 * LOCKED`), read the chats' recent sends, mark the rows that may go now SENDING with attempts + 1,
 * and move the others to their rate-limit slots.
 */
export function claimNotifications(
  db: Db,
  { batchSize = DEFAULT_BATCH_SIZE, now }: { batchSize?: number; now?: Date } = {},
): Promise<ClaimResult> {
  return db.transaction().execute(async (trx) => {
    const locked = await lockClaims(trx);
    const at = now ?? locked;
    const due = await lockDueNotifications(trx, { now: at, limit: batchSize * SCAN_FACTOR });
    if (due.length === 0) return { claimed: [], deferred: 0 };
    const recent = await listRecentAttempts(trx, {
      chatIds: [...new Set(due.map((d) => d.chatId))],
      now: at,
    });
    const plan = planClaims(due, recent, { now: at, batchSize });
    const claimed = await markClaimed(trx, { ids: plan.claim, now: at });
    const deferred = await deferNotifications(trx, plan.defer);
    return { claimed, deferred };
  });
}

export type DeliveryOutcome = 'sent' | 'retried' | 'failed' | 'superseded';

function describe(result: Exclude<TelegramSendResult, { ok: true }>): string {
  switch (result.kind) {
    case 'rate_limited':
      return `HTTP 429: ${result.description}`;
    case 'blocked':
      return `HTTP 403: ${result.description}`;
    case 'rejected':
      return `HTTP ${result.httpStatus}: ${result.description}`;
    case 'unavailable':
      return `unavailable: ${result.reason}`;
  }
}

/** NT-5 for a 5xx or network error after `attempt` attempts. */
export function retryDelayS(attempt: number): number {
  return RETRY_DELAYS_S[Math.min(Math.max(attempt, 1), RETRY_DELAYS_S.length) - 1]!;
}

/** Sends one claimed row and records the outcome (NT-1, NT-5). Never throws for Telegram's answer. */
export async function deliverNotification(
  db: Db,
  client: TelegramClient,
  row: ClaimedNotification,
  { now }: { now?: Date } = {},
): Promise<DeliveryOutcome> {
  const result = await client.sendMessage(row.chatId, row.text, { parseMode: 'HTML' });
  const fields = {
    notificationId: row.id,
    notificationType: row.type,
    recipientType: row.recipientType,
    attempt: row.attempt,
  };
  const superseded = (): DeliveryOutcome => {
    logger.warn(fields, 'notification changed while it was being sent; outcome discarded');
    return 'superseded';
  };

  if (result.ok) {
    const recorded = await markSent(db, {
      id: row.id,
      attempt: row.attempt,
      messageId: result.messageId,
      now,
    });
    if (!recorded) return superseded();
    logger.info(fields, 'notification sent');
    return 'sent';
  }

  const error = describe(result);
  const exhausted = row.attempt >= row.maxAttempts;
  if ((result.kind === 'rate_limited' || result.kind === 'unavailable') && !exhausted) {
    const retryInS = result.kind === 'rate_limited' ? result.retryAfterS : retryDelayS(row.attempt);
    const recorded = await markRetry(db, {
      id: row.id,
      attempt: row.attempt,
      retryInS,
      error,
      now,
    });
    if (!recorded) return superseded();
    // Telegram's flood wait covers the chat, not just this message
    if (result.kind === 'rate_limited') await deferChat(db, { chatId: row.chatId, retryInS, now });
    logger.warn({ ...fields, kind: result.kind, retryInS }, 'notification will be retried');
    return 'retried';
  }

  const { failed, blockedMember } = await markFailed(db, {
    id: row.id,
    attempt: row.attempt,
    error:
      exhausted && result.kind !== 'blocked' && result.kind !== 'rejected'
        ? `${error} (after ${row.attempt} attempts)`
        : error,
    blockMember: result.kind === 'blocked',
  });
  if (!failed) return superseded();
  if (blockedMember) {
    logger.info(
      { ...fields, memberId: row.memberId },
      'member blocked the bot; notification failed',
    );
  } else {
    logger.error({ ...fields, kind: result.kind, error }, 'notification failed');
  }
  return 'failed';
}

export interface DispatchOptions {
  /** Rows claimed per run (default 20). */
  batchSize?: number;
  /** Messages sent at once (default 4; never two to one chat). */
  concurrency?: number;
  /** Stops starting new sends; claimed rows not yet sent are released. */
  signal?: AbortSignal;
  /** The dispatcher's clock, for tests; the database's otherwise. */
  now?: Date;
  staleAfterMs?: number;
}

export interface DispatchSummary {
  recovered: number;
  claimed: number;
  deferred: number;
  sent: number;
  retried: number;
  failed: number;
  released: number;
}

/**
 * One run of the dispatcher: recover stale claims, claim a batch, send it (a few at a time, never
 * inside a transaction), record the outcomes. Safe to run in any number of processes at once.
 */
export async function dispatchNotifications(
  db: Db,
  client: TelegramClient,
  {
    batchSize = DEFAULT_BATCH_SIZE,
    concurrency = DEFAULT_CONCURRENCY,
    signal,
    now,
    staleAfterMs,
  }: DispatchOptions = {},
): Promise<DispatchSummary> {
  const summary: DispatchSummary = {
    recovered: 0,
    claimed: 0,
    deferred: 0,
    sent: 0,
    retried: 0,
    failed: 0,
    released: 0,
  };
  const recovered = await recoverStaleNotifications(db, { now, staleAfterMs });
  summary.recovered = recovered.length;
  if (recovered.length > 0) {
    logger.warn(
      { notificationIds: recovered.map((r) => r.id) },
      'stale notification claims recovered',
    );
  }
  if (signal?.aborted) return summary;

  const { claimed, deferred } = await claimNotifications(db, { batchSize, now });
  summary.claimed = claimed.length;
  summary.deferred = deferred;

  const queue = [...claimed];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      if (signal?.aborted) {
        if (await releaseClaim(db, { id: row.id, attempt: row.attempt, now })) summary.released++;
        continue;
      }
      try {
        const outcome = await deliverNotification(db, client, row, { now });
        if (outcome !== 'superseded') summary[outcome]++;
      } catch (err) {
        // the outcome could not be recorded; the row stays SENDING until the stale sweep
        logger.error({ err, notificationId: row.id }, 'notification outcome could not be saved');
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, claimed.length)) }, worker),
  );
  return summary;
}
