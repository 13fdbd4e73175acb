import { sql, type RawBuilder } from 'kysely';
import type { Db } from '~db/database.server';
import { sanitize } from '~/utils/sanitize';

/**
 * Queries of the notification outbox's delivery side (NT-1, NT-5). Each is one statement; the
 * claim's statements run inside the dispatcher's claim transaction (dispatcher.server.ts).
 *
 * Column use while a row is delivered: a claim sets `status = 'SENDING'`, `attempts + 1` and
 * `next_attempt_at` to the claim instant. For SENDING, SENT and FAILED rows `next_attempt_at`
 * therefore holds the time of the last attempt, which lets the per-chat rate limits read recent
 * sends through `idx_notification_status_next_attempt`. Every outcome is a conditional UPDATE on
 * the attempt it belongs to (`attempts = <claimed attempt>`), so a late answer never overwrites a
 * newer attempt.
 */

export const STALE_SENDING_MS = 5 * 60_000;
const MAX_LAST_ERROR = 1000;

export type NotificationStatus = 'PENDING' | 'SENDING' | 'SENT' | 'FAILED';

/** `now` for tests and replays; the database clock otherwise. */
export function clock(now?: Date): RawBuilder<Date> {
  return sql<Date>`coalesce(${now ?? null}::timestamptz, now())`;
}

/** Sanitized (no phone numbers, no secrets) and short, for `last_error`. */
export function lastError(text: string): string {
  const clean = String(sanitize(text));
  return clean.length <= MAX_LAST_ERROR ? clean : `${clean.slice(0, MAX_LAST_ERROR - 1)}…`;
}

export interface ClaimedNotification {
  id: number;
  chatId: string;
  recipientType: string;
  memberId: number | null;
  type: string;
  text: string;
  /** The attempt this claim is (1-based); outcomes are recorded against it. */
  attempt: number;
  maxAttempts: number;
}

export interface DueNotification {
  id: number;
  chatId: string;
  nextAttemptAt: Date;
}

export interface RecentAttempt {
  chatId: string;
  status: 'SENDING' | 'SENT';
  at: Date;
}

/**
 * Serializes claims across dispatchers for the rest of the transaction, so each one plans the
 * per-chat rate limits on the committed result of the previous claim (NT-5). Returns the clock
 * read after the lock was granted.
 */
export async function lockClaims(trx: Db): Promise<Date> {
  if (!trx.isTransaction) throw new Error('lockClaims must run inside a transaction');
  await sql`select pg_advisory_xact_lock(${0x63746561}::integer, hashtext('notifications.claim'))`.execute(
    trx,
  );
  const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(trx);
  return rows[0]!.now;
}

/** NT-1: due PENDING rows, oldest first, locked; rows another transaction holds are skipped. */
export async function lockDueNotifications(
  trx: Db,
  { now, limit }: { now?: Date; limit: number },
): Promise<DueNotification[]> {
  const rows = await trx
    .selectFrom('notification')
    .select(['id', 'chat_id', 'next_attempt_at'])
    .where('status', '=', 'PENDING')
    .where('next_attempt_at', '<=', clock(now))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((r) => ({ id: r.id, chatId: r.chat_id, nextAttemptAt: r.next_attempt_at }));
}

/**
 * Attempts in flight (any age) and attempts that reached Telegram in the last minute. A delivered
 * message counts from `sent_at` (when Telegram had it for sure), one in flight from its claim.
 */
export async function listRecentAttempts(
  db: Db,
  { chatIds, now }: { chatIds: string[]; now?: Date },
): Promise<RecentAttempt[]> {
  if (chatIds.length === 0) return [];
  const rows = await db
    .selectFrom('notification')
    .select(['chat_id', 'status', 'next_attempt_at', 'sent_at'])
    .where('chat_id', 'in', chatIds)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'SENDING'),
        eb.and([
          eb('status', '=', 'SENT'),
          // claimed up to one request timeout before it was sent; the exact window is applied
          // by the caller on sent_at
          eb('next_attempt_at', '>', sql<Date>`${clock(now)} - interval '90 seconds'`),
        ]),
      ]),
    )
    .execute();
  return rows.map((r) => ({
    chatId: r.chat_id,
    status: r.status as 'SENDING' | 'SENT',
    at: r.status === 'SENT' && r.sent_at ? r.sent_at : r.next_attempt_at,
  }));
}

/** PENDING → SENDING, attempts + 1, `next_attempt_at` = the claim instant. */
export async function markClaimed(
  trx: Db,
  { ids, now }: { ids: number[]; now?: Date },
): Promise<ClaimedNotification[]> {
  if (ids.length === 0) return [];
  const rows = await trx
    .updateTable('notification')
    .set((eb) => ({
      status: 'SENDING',
      attempts: eb('attempts', '+', 1),
      next_attempt_at: clock(now),
      updated_at: sql<Date>`now()`,
    }))
    .where('id', 'in', ids)
    .where('status', '=', 'PENDING')
    .returning([
      'id',
      'chat_id',
      'recipient_type',
      'member_id',
      'type',
      'text',
      'attempts',
      'max_attempts',
    ])
    .execute();
  return rows
    .map((r) => ({
      id: r.id,
      chatId: r.chat_id,
      recipientType: r.recipient_type,
      memberId: r.member_id,
      type: r.type,
      text: r.text,
      attempt: r.attempts,
      maxAttempts: r.max_attempts,
    }))
    .sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
}

/** Moves due PENDING rows to later slots (rate limits); never touches other states. */
export async function deferNotifications(
  trx: Db,
  slots: { id: number; at: Date }[],
): Promise<number> {
  if (slots.length === 0) return 0;
  const result = await sql`
    update notification n
    set next_attempt_at = s.at, updated_at = now()
    from unnest(${slots.map((s) => s.id)}::integer[], ${slots.map((s) => s.at.toISOString())}::timestamptz[])
      as s(id, at)
    where n.id = s.id and n.status = 'PENDING'
  `.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Delivered. Also accepted while the row is PENDING or FAILED again with the same attempt count:
 * the stale-claim sweeper gave up on this attempt too early, and recording the answer prevents a
 * second message.
 */
export async function markSent(
  db: Db,
  { id, attempt, messageId, now }: { id: number; attempt: number; messageId: number; now?: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('notification')
    .set({
      status: 'SENT',
      sent_at: clock(now),
      provider_message_id: String(messageId),
      last_error: null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('attempts', '=', attempt)
    .where('status', 'in', ['SENDING', 'PENDING', 'FAILED'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** SENDING → PENDING, due `retryInS` seconds from now. */
export async function markRetry(
  db: Db,
  {
    id,
    attempt,
    retryInS,
    error,
    now,
  }: { id: number; attempt: number; retryInS: number; error: string; now?: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('notification')
    .set({
      status: 'PENDING',
      next_attempt_at: sql<Date>`${clock(now)} + make_interval(secs => ${retryInS})`,
      last_error: lastError(error),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('attempts', '=', attempt)
    .where('status', '=', 'SENDING')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * SENDING → FAILED. With `blockMember`, the member's linked Telegram account with this chat is
 * marked blocked in the same statement (NT-5: Telegram answered 403).
 */
export async function markFailed(
  db: Db,
  {
    id,
    attempt,
    error,
    blockMember = false,
  }: { id: number; attempt: number; error: string; blockMember?: boolean },
): Promise<{ failed: boolean; blockedMember: boolean }> {
  const { rows } = await sql<{ failed: number; blocked: number }>`
    with failed as (
      update notification
      set status = 'FAILED', last_error = ${lastError(error)}, updated_at = now()
      where id = ${id} and attempts = ${attempt} and status = 'SENDING'
      returning recipient_type, member_id, chat_id
    ), blocked as (
      update telegram_user tu
      set is_blocked = true, updated_at = now()
      from failed f
      where ${blockMember}::boolean and f.recipient_type = 'MEMBER'
        and tu.member_id = f.member_id and tu.chat_id = f.chat_id and not tu.is_blocked
      returning tu.id
    )
    select (select count(*) from failed)::integer as failed,
           (select count(*) from blocked)::integer as blocked
  `.execute(db);
  return { failed: rows[0]!.failed === 1, blockedMember: rows[0]!.blocked > 0 };
}

/**
 * A claimed attempt that was never started (the dispatcher is stopping): back to PENDING, due
 * now, and the attempt does not count.
 */
export async function releaseClaim(
  db: Db,
  { id, attempt, now }: { id: number; attempt: number; now?: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('notification')
    .set((eb) => ({
      status: 'PENDING',
      attempts: eb('attempts', '-', 1),
      next_attempt_at: clock(now),
      updated_at: sql<Date>`now()`,
    }))
    .where('id', '=', id)
    .where('attempts', '=', attempt)
    .where('status', '=', 'SENDING')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** 429 for a chat: its other PENDING messages wait at least as long (Telegram's flood wait). */
export async function deferChat(
  db: Db,
  { chatId, retryInS, now }: { chatId: string; retryInS: number; now?: Date },
): Promise<number> {
  const until = sql<Date>`${clock(now)} + make_interval(secs => ${retryInS})`;
  const result = await db
    .updateTable('notification')
    .set({ next_attempt_at: until, updated_at: sql<Date>`now()` })
    .where('chat_id', '=', chatId)
    .where('status', '=', 'PENDING')
    .where('next_attempt_at', '<', until)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * A SENDING row claimed more than five minutes ago belongs to a dispatcher that died between
 * claim and outcome. It goes back to PENDING (due now) so it is sent again: delivery is
 * at-least-once, and a message that did reach Telegram before the crash is sent twice. When that
 * attempt was the last one allowed, the row becomes FAILED instead.
 */
export async function recoverStaleNotifications(
  db: Db,
  { now, staleAfterMs = STALE_SENDING_MS }: { now?: Date; staleAfterMs?: number } = {},
): Promise<{ id: number; status: NotificationStatus }[]> {
  const reason = lastError(
    `no result within ${Math.round(staleAfterMs / 1000)} s of the claim (dispatcher lost)`,
  );
  const rows = await db
    .updateTable('notification')
    .set((eb) => ({
      status: eb
        .case()
        .when('attempts', '<', eb.ref('max_attempts'))
        .then('PENDING')
        .else('FAILED')
        .end(),
      next_attempt_at: eb
        .case()
        .when('attempts', '<', eb.ref('max_attempts'))
        .then(clock(now))
        .else(eb.ref('next_attempt_at'))
        .end(),
      last_error: reason,
      updated_at: sql<Date>`now()`,
    }))
    .where('status', '=', 'SENDING')
    .where(
      'next_attempt_at',
      '<',
      sql<Date>`${clock(now)} - make_interval(secs => ${staleAfterMs / 1000})`,
    )
    .returning(['id', 'status'])
    .execute();
  return rows.map((r) => ({ id: r.id, status: r.status as NotificationStatus }));
}
