import crypto from 'node:crypto';
import { isIP } from 'node:net';
import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { staffProfileFromRow, type StaffProfile } from '~/features/users/users.server';
import { getEnv } from '~/utils/env.server';

/**
 * Server-side sessions (AU-9). The cookie holds only a random token; the `session` row holds its
 * SHA-256, the principal and the expiry, so a session can be revoked and a stolen database does not
 * yield usable cookies.
 *
 * Staff (principal USER): absolute expiry of STAFF_SESSION_HOURS, and an idle timeout of
 * STAFF_IDLE_MINUTES. Members (principal MEMBER, phone
 * sign-in): 30 days, extended on use. Both share the cookie, hashing and revocation; a principal of
 * one kind never satisfies the guards of the other (guards.server.ts, member.server.ts).
 */

export const SESSION_COOKIE_NAME = 'ctea_session';

/**
 * The cookie's name: in production `__Host-ctea_session`, which browsers accept only from a secure
 * page, with `Path=/` and no `Domain` — so a sibling subdomain cannot plant or overwrite it.
 */
export function sessionCookieName(): string {
  return getEnv().isProduction ? `__Host-${SESSION_COOKIE_NAME}` : SESSION_COOKIE_NAME;
}

/** 32 random bytes in base64url without padding. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function generateSessionToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** The token of the request's session cookie, or null when absent or malformed. */
export function readSessionToken(request: Request): string | null {
  const header = request.headers.get('Cookie');
  if (!header) return null;
  const name = sessionCookieName();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (TOKEN_PATTERN.test(value)) return value;
  }
  return null;
}

function cookieAttributes(): string {
  return `Path=/; HttpOnly; SameSite=Lax${getEnv().isProduction ? '; Secure' : ''}`;
}

export function sessionCookieHeader(token: string, expiresAt: Date): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return `${sessionCookieName()}=${token}; ${cookieAttributes()}; Max-Age=${maxAge}; Expires=${expiresAt.toUTCString()}`;
}

export function clearSessionCookieHeader(): string {
  return `${sessionCookieName()}=; ${cookieAttributes()}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;
}

/** What the session table needs to know about the client (both optional, both bounded). */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/**
 * Client IP and user agent of a request. The IP comes from the load context (`clientIp`, set by
 * the server from the socket or a trusted proxy), never from a header a client can forge.
 */
export function clientInfo(request: Request, context?: unknown): ClientInfo {
  const candidate = (context as { clientIp?: unknown } | undefined)?.clientIp;
  const ip = typeof candidate === 'string' && isIP(candidate) ? candidate : null;
  const ua = request.headers.get('User-Agent');
  return { ip, userAgent: ua ? ua.slice(0, 300) : null };
}

export interface CreatedSession {
  sessionId: number;
  token: string;
  tokenHash: string;
  expiresAt: Date;
  cookieHeader: string;
}

/** A new staff session with a fresh token (never an incoming cookie's: no session fixation). */
export async function createUserSession(
  db: Db,
  args: { userId: number; ip?: string | null; userAgent?: string | null },
): Promise<CreatedSession> {
  const token = generateSessionToken();
  const tokenHash = hashSessionToken(token);
  const hours = getEnv().STAFF_SESSION_HOURS;
  const row = await db
    .insertInto('session')
    .values({
      token_hash: tokenHash,
      principal_type: 'USER',
      user_id: args.userId,
      // the database clock decides expiry, the same clock that checks it
      expires_at: sql<Date>`now() + make_interval(hours => ${hours})`,
      ip: args.ip && isIP(args.ip) ? args.ip : null,
      user_agent: args.userAgent ? args.userAgent.slice(0, 300) : null,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
  return {
    sessionId: row.id,
    token,
    tokenHash,
    expiresAt: row.expires_at,
    cookieHeader: sessionCookieHeader(token, row.expires_at),
  };
}

/** Sliding lifetime of a member session in the database (AU-9, session table). */
export const MEMBER_SESSION_DAYS = 30;
/**
 * The member cookie outlives the row on purpose: the database's sliding expiry decides, and a
 * cookie bound to the first 30 days would end an active customer's session although the row was
 * extended. A cookie whose row expired or was revoked simply authenticates nothing.
 */
const MEMBER_COOKIE_DAYS = 365;

/** A new member session with a fresh token (never an incoming cookie's: no session fixation). */
export async function createMemberSession(
  db: Db,
  args: { memberId: number; ip?: string | null; userAgent?: string | null },
): Promise<CreatedSession> {
  const token = generateSessionToken();
  const tokenHash = hashSessionToken(token);
  const row = await db
    .insertInto('session')
    .values({
      token_hash: tokenHash,
      principal_type: 'MEMBER',
      member_id: args.memberId,
      expires_at: sql<Date>`now() + make_interval(days => ${MEMBER_SESSION_DAYS})`,
      ip: args.ip && isIP(args.ip) ? args.ip : null,
      user_agent: args.userAgent ? args.userAgent.slice(0, 300) : null,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
  const cookieExpiry = new Date(Date.now() + MEMBER_COOKIE_DAYS * 86_400_000);
  return {
    sessionId: row.id,
    token,
    tokenHash,
    expiresAt: row.expires_at,
    cookieHeader: sessionCookieHeader(token, cookieExpiry),
  };
}

export type SessionPrincipal =
  | {
      type: 'USER';
      sessionId: number;
      tokenHash: string;
      userId: number;
      expiresAt: Date;
      /** The user's profile, read by the same query; null when the role is not a staff role. */
      profile: StaffProfile | null;
    }
  | {
      type: 'MEMBER';
      sessionId: number;
      tokenHash: string;
      memberId: number;
      expiresAt: Date;
      /** E.164 and display name of the member, read by the same query. */
      phone: string;
      displayName: string;
    };

/**
 * The principal of the request's session cookie, or null. Valid means: the row exists, is not
 * revoked, has not expired (database clock), and its user or member is still active. A staff
 * principal comes with its profile (preference and, for store managers, stores), a member with
 * phone and name, from the same query: every request of theirs needs both, and one round trip
 * instead of two or three is a measurable part of a page's cost (bench:http).
 */
export async function getSessionPrincipal(
  db: Db,
  request: Request,
): Promise<SessionPrincipal | null> {
  const token = readSessionToken(request);
  if (!token) return null;
  const tokenHash = hashSessionToken(token);
  const row = await db
    .selectFrom('session as s')
    .leftJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('member as m', 'm.id', 's.member_id')
    .leftJoin('user_preference as p', 'p.user_id', 's.user_id')
    .select([
      's.id',
      's.principal_type',
      's.user_id',
      's.member_id',
      's.expires_at',
      'u.is_active as user_active',
      'u.email',
      'u.display_name',
      'u.role',
      'p.language',
      sql<
        number[]
      >`case when u.role = 'STORE_MANAGER' then array(select ss.store_id from store_staff ss where ss.user_id = u.id order by ss.store_id) end`.as(
        'store_ids',
      ),
      'm.is_active as member_active',
      'm.phone',
      'm.display_name as member_display_name',
      sql<boolean>`s.last_seen_at < now() - interval '1 minute'`.as('stale'),
      sql<boolean>`s.last_seen_at < now() - make_interval(mins => ${getEnv().STAFF_IDLE_MINUTES})`.as(
        'idle',
      ),
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row) return null;

  if (row.principal_type === 'MEMBER') {
    if (
      row.member_id === null ||
      row.member_active !== true ||
      row.phone === null ||
      row.member_display_name === null
    )
      return null;
    // sliding expiry, written with last_seen_at (at most once a minute)
    const expiresAt = row.stale ? await touchSession(db, row.id, 'MEMBER') : null;
    return {
      type: 'MEMBER',
      sessionId: row.id,
      tokenHash,
      memberId: row.member_id,
      expiresAt: expiresAt ?? row.expires_at,
      phone: row.phone,
      displayName: row.member_display_name,
    };
  }

  if (
    row.principal_type !== 'USER' ||
    row.user_id === null ||
    row.user_active !== true ||
    row.email === null ||
    row.display_name === null ||
    row.role === null
  )
    return null;
  // idle timeout: a back-office session unused for STAFF_IDLE_MINUTES ends (last_seen_at moves
  // at most once a minute, so the bound is exact to the minute)
  if (row.idle) return null;

  // last_seen_at is refreshed at most once a minute, so reads do not become a write per request
  if (row.stale) await touchSession(db, row.id, 'USER');
  return {
    type: 'USER',
    sessionId: row.id,
    tokenHash,
    userId: row.user_id,
    expiresAt: row.expires_at,
    profile: staffProfileFromRow(
      {
        id: row.user_id,
        email: row.email,
        display_name: row.display_name,
        role: row.role,
        language: row.language,
      },
      row.store_ids ?? [],
    ),
  };
}

/** Returns the new expiry when this call extended a member session, else null. */
async function touchSession(
  db: Db,
  sessionId: number,
  type: 'USER' | 'MEMBER',
): Promise<Date | null> {
  // conditional, so parallel loaders of one page write at most once per minute
  const row = await db
    .updateTable('session')
    .set({
      last_seen_at: sql<Date>`now()`,
      updated_at: sql<Date>`now()`,
      // staff sessions have an absolute lifetime; member sessions slide
      ...(type === 'MEMBER'
        ? { expires_at: sql<Date>`now() + make_interval(days => ${MEMBER_SESSION_DAYS})` }
        : {}),
    })
    .where('id', '=', sessionId)
    .where('last_seen_at', '<', sql<Date>`now() - interval '1 minute'`)
    .returning('expires_at')
    .executeTakeFirst();
  return type === 'MEMBER' && row ? row.expires_at : null;
}

/** Sign-out: the row stays (audit, purge after 7 days) but can never authenticate again. */
export async function revokeSession(db: Db, tokenHash: string): Promise<boolean> {
  const result = await db
    .updateTable('session')
    .set({ revoked_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Ends every open session of a staff user (deactivation, password change). Returns how many. */
export async function revokeAllUserSessions(db: Db, userId: number): Promise<number> {
  const result = await db
    .updateTable('session')
    .set({ revoked_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('principal_type', '=', 'USER')
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
