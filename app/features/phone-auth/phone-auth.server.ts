import crypto from 'node:crypto';
import { sql } from 'kysely';
import { assertTransaction, type Db } from '~db/database.server';
import { getEnv } from '~/utils/env.server';

/**
 * Queries of phone sign-in (AU-2 … AU-5) on `verification_code` and `member`. The code itself is
 * never stored: only HMAC-SHA256(CODE_PEPPER, phone + ":" + code).
 */

export const CODE_TTL_SECONDS = 300;
export const RESEND_INTERVAL_SECONDS = 60;
export const MAX_CODE_ATTEMPTS = 5;
const DAY_SECONDS = 86_400;

export function hashCode(phone: string, code: string): string {
  return crypto.createHmac('sha256', getEnv().CODE_PEPPER).update(`${phone}:${code}`).digest('hex');
}

/** Constant-time comparison of a stored code hash with the hash of a submitted code. */
export function codeMatches(storedHash: string, phone: string, code: string): boolean {
  const stored = Buffer.from(storedHash, 'hex');
  const submitted = Buffer.from(hashCode(phone, code), 'hex');
  return stored.length === submitted.length && crypto.timingSafeEqual(stored, submitted);
}

/** Six digits from the CSPRNG, zero-padded (AU-2). */
export function generateCode(): string {
  return String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * Serialises every send for one phone (AU-2) and, under a separate key space, for one client
 * address, so the resend interval and both daily caps are checked and written atomically.
 * Always phone first, then address: two senders can never wait on each other in a cycle.
 */
export async function lockSendKeys(trx: Db, phone: string, ip: string): Promise<void> {
  assertTransaction(trx);
  await sql`select pg_advisory_xact_lock(hashtext(${phone}))`.execute(trx);
  // the two-int form is a key space of its own: it never collides with the phone lock above
  await sql`select pg_advisory_xact_lock(hashtext('verification_code.ip'), hashtext(${ip}))`.execute(
    trx,
  );
}

export interface SendWindow {
  /** Seconds since the phone's latest code; null when it never got one. */
  sinceLastSeconds: number | null;
  phoneCount: number;
  ipCount: number;
  /** Seconds until the phone's oldest counted code leaves the 24 h window (when at the cap). */
  phoneSlotFreeInSeconds: number | null;
  ipSlotFreeInSeconds: number | null;
}

/** What AU-2 needs to decide a send, by the database clock. */
export async function readSendWindow(
  db: Db,
  args: { phone: string; ip: string; phoneCap: number; ipCap: number },
): Promise<SendWindow> {
  // the cap-th newest code of the window is the one whose expiry frees a slot
  const phoneOffset = Math.max(args.phoneCap - 1, 0);
  const ipOffset = Math.max(args.ipCap - 1, 0);
  const { rows } = await sql<{
    since_last: string | null;
    phone_count: number;
    ip_count: number;
    phone_free_in: string | null;
    ip_free_in: string | null;
  }>`
    select
      (select extract(epoch from now() - max(created_at))
         from verification_code where phone = ${args.phone}) as since_last,
      (select count(*)::int from verification_code
         where phone = ${args.phone} and created_at > now() - interval '24 hours') as phone_count,
      (select count(*)::int from verification_code
         where ip_address = ${args.ip}::inet and created_at > now() - interval '24 hours') as ip_count,
      (select extract(epoch from created_at + interval '24 hours' - now()) from verification_code
         where phone = ${args.phone} and created_at > now() - interval '24 hours'
         order by created_at desc offset ${phoneOffset} limit 1) as phone_free_in,
      (select extract(epoch from created_at + interval '24 hours' - now()) from verification_code
         where ip_address = ${args.ip}::inet and created_at > now() - interval '24 hours'
         order by created_at desc offset ${ipOffset} limit 1) as ip_free_in
  `.execute(db);
  const row = rows[0]!;
  const num = (v: string | null) => (v === null ? null : Number(v));
  return {
    sinceLastSeconds: num(row.since_last),
    phoneCount: row.phone_count,
    ipCount: row.ip_count,
    phoneSlotFreeInSeconds: num(row.phone_free_in),
    ipSlotFreeInSeconds: num(row.ip_free_in),
  };
}

/**
 * AU-2 decision: seconds to wait, or 0 when a code may be sent now. The longest applicable wait
 * wins, so a client retrying after `retry_after_s` is not refused again for the same reason.
 */
export function sendRetryAfter(
  window: SendWindow,
  caps: { phoneCap: number; ipCap: number },
): number {
  const waits: number[] = [];
  if (window.sinceLastSeconds !== null && window.sinceLastSeconds < RESEND_INTERVAL_SECONDS)
    waits.push(RESEND_INTERVAL_SECONDS - window.sinceLastSeconds);
  if (window.phoneCount >= caps.phoneCap) waits.push(window.phoneSlotFreeInSeconds ?? DAY_SECONDS);
  if (window.ipCount >= caps.ipCap) waits.push(window.ipSlotFreeInSeconds ?? DAY_SECONDS);
  if (waits.length === 0) return 0;
  return Math.max(1, Math.ceil(Math.max(...waits)));
}

/** The phone's ACTIVE code becomes SUPERSEDED (at most one exists: idx_verification_code_active_unique). */
export async function supersedeActiveCode(trx: Db, phone: string): Promise<void> {
  await trx
    .updateTable('verification_code')
    .set({ status: 'SUPERSEDED', updated_at: sql<Date>`now()` })
    .where('phone', '=', phone)
    .where('status', '=', 'ACTIVE')
    .execute();
}

export async function insertCode(
  trx: Db,
  args: { phone: string; codeHash: string; ip: string; userAgent: string | null },
): Promise<{ id: number; expiresAt: Date }> {
  const row = await trx
    .insertInto('verification_code')
    .values({
      phone: args.phone,
      code_hash: args.codeHash,
      // the database clock decides expiry, the same clock that checks it
      expires_at: sql<Date>`now() + make_interval(secs => ${CODE_TTL_SECONDS})`,
      ip_address: args.ip,
      user_agent: args.userAgent ? args.userAgent.slice(0, 300) : null,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, expiresAt: row.expires_at };
}

export interface ActiveCode {
  id: number;
  codeHash: string;
  attempts: number;
  expired: boolean;
}

export async function findActiveCode(db: Db, phone: string): Promise<ActiveCode | null> {
  const row = await db
    .selectFrom('verification_code')
    .select(['id', 'code_hash', 'attempts', sql<boolean>`expires_at <= now()`.as('expired')])
    .where('phone', '=', phone)
    .where('status', '=', 'ACTIVE')
    .executeTakeFirst();
  return row
    ? { id: row.id, codeHash: row.code_hash, attempts: row.attempts, expired: row.expired }
    : null;
}

/** Status and attempts of the phone's most recent code, or null when it never got one. */
export async function latestCode(
  db: Db,
  phone: string,
): Promise<{ status: string; attempts: number } | null> {
  const row = await db
    .selectFrom('verification_code')
    .select(['status', 'attempts'])
    .where('phone', '=', phone)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

/** Status and attempts of one code (after a conditional update found nothing to change). */
export async function codeState(
  db: Db,
  id: number,
): Promise<{ status: string; attempts: number } | null> {
  const row = await db
    .selectFrom('verification_code')
    .select(['status', 'attempts'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ?? null;
}

async function setStatusIfActive(db: Db, id: number, status: 'EXPIRED' | 'LOCKED'): Promise<void> {
  await db
    .updateTable('verification_code')
    .set({ status, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'ACTIVE')
    .execute();
}

export const expireCode = (db: Db, id: number) => setStatusIfActive(db, id, 'EXPIRED');
export const lockCode = (db: Db, id: number) => setStatusIfActive(db, id, 'LOCKED');

/**
 * Counts one verification attempt before the comparison (AU-4). Conditional, so concurrent
 * attempts are counted exactly and never exceed five; null when the code is no longer ACTIVE or
 * its attempts are used up.
 */
export async function countAttempt(db: Db, id: number): Promise<number | null> {
  const row = await db
    .updateTable('verification_code')
    .set({ attempts: sql<number>`attempts + 1`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'ACTIVE')
    .where('attempts', '<', MAX_CODE_ATTEMPTS)
    .returning('attempts')
    .executeTakeFirst();
  return row?.attempts ?? null;
}

/**
 * ACTIVE → CONSUMED. Conditional: of several concurrent right answers exactly one wins; a consumed
 * code never works again.
 */
export async function consumeCode(trx: Db, id: number): Promise<boolean> {
  const row = await trx
    .updateTable('verification_code')
    .set({ status: 'CONSUMED', consumed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'ACTIVE')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export interface SignInMember {
  id: number;
  displayName: string;
  isNew: boolean;
  isActive: boolean;
}

/**
 * The member of a verified phone, created on first verification (AU-5): `Гость <last 4 digits>`
 * in the entry tier (PT-9 for 0 points). ON CONFLICT makes a concurrent first sign-in of the same
 * phone find the other's row instead of failing.
 */
export async function findOrCreateMember(trx: Db, phone: string): Promise<SignInMember> {
  assertTransaction(trx);
  const created = await trx
    .insertInto('member')
    .values({
      phone,
      display_name: `Гость ${phone.slice(-4)}`,
      group_id: sql<number>`(
        select g.id from member_group g
        where g.min_points_required <= 0
        order by g.min_points_required desc limit 1
      )`,
      phone_verified_at: sql<Date>`now()`,
      last_login_at: sql<Date>`now()`,
    })
    .onConflict((oc) => oc.column('phone').doNothing())
    .returning(['id', 'display_name'])
    .executeTakeFirst();
  if (created)
    return { id: created.id, displayName: created.display_name, isNew: true, isActive: true };

  const active = await trx
    .updateTable('member')
    .set({ last_login_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('phone', '=', phone)
    .where('is_active', '=', true)
    .returning(['id', 'display_name'])
    .executeTakeFirst();
  if (active)
    return { id: active.id, displayName: active.display_name, isNew: false, isActive: true };
  const inactive = await trx
    .selectFrom('member')
    .select(['id', 'display_name'])
    .where('phone', '=', phone)
    .executeTakeFirstOrThrow();
  return { id: inactive.id, displayName: inactive.display_name, isNew: false, isActive: false };
}
