import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { isLang, type Lang } from '~/i18n/languages';
import { isStaffRole, type StaffRole } from '~/auth/permissions';

/** Consecutive wrong passwords that lock a staff account, and for how long (AU-8). */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export interface LoginCandidate {
  id: number;
  passwordHash: string;
  isActive: boolean;
  /** locked_until is in the future (database clock). */
  isLocked: boolean;
}

/** The account a sign-in attempt names, matched case-insensitively (users_email_lower_unique). */
export async function findLoginCandidate(db: Db, email: string): Promise<LoginCandidate | null> {
  const row = await db
    .selectFrom('users')
    .select([
      'id',
      'password_hash',
      'is_active',
      sql<boolean>`coalesce(locked_until > now(), false)`.as('is_locked'),
    ])
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    passwordHash: row.password_hash,
    isActive: row.is_active,
    isLocked: row.is_locked,
  };
}

/**
 * Counts one wrong password. A single conditional UPDATE, so concurrent attempts serialise on the
 * row and each sees the previous count; the one reaching MAX_FAILED_LOGINS sets locked_until.
 * A lock that has already run out starts a fresh count. Returns null when the account is locked
 * right now (the attempt is refused without extending the lock).
 */
export async function recordFailedLogin(
  db: Db,
  userId: number,
): Promise<{ failedLoginCount: number; locked: boolean } | null> {
  const lockExpired = sql<boolean>`(locked_until is not null and locked_until <= now())`;
  const nextCount = sql<number>`case when ${lockExpired} then 1 else failed_login_count + 1 end`;
  const row = await db
    .updateTable('users')
    .set({
      failed_login_count: nextCount,
      locked_until: sql<Date | null>`case
        when ${nextCount} >= ${MAX_FAILED_LOGINS} then now() + make_interval(mins => ${LOCKOUT_MINUTES})
        when ${lockExpired} then null
        else locked_until end`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', userId)
    .where((eb) =>
      eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', sql<Date>`now()`)]),
    )
    .returning(['failed_login_count', sql<boolean>`locked_until is not null`.as('locked')])
    .executeTakeFirst();
  if (!row) return null;
  return { failedLoginCount: row.failed_login_count, locked: row.locked };
}

/**
 * A correct password: resets the failure count and stamps last_login_at, but only if the account
 * is active and not locked at this instant (a parallel wrong attempt may have just locked it).
 * Returns false when that condition failed.
 */
export async function recordSuccessfulLogin(db: Db, userId: number): Promise<boolean> {
  const row = await db
    .updateTable('users')
    .set({
      failed_login_count: 0,
      locked_until: null,
      last_login_at: sql<Date>`now()`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', userId)
    .where('is_active', '=', true)
    .where((eb) =>
      eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', sql<Date>`now()`)]),
    )
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export interface StaffProfile {
  id: number;
  email: string;
  displayName: string;
  role: StaffRole;
  language: Lang;
  /** The language the user chose (user_preference), or null when they never chose one. */
  savedLanguage: Lang | null;
  /** Stores linked in store_staff (ascending id); always empty for ADMIN. */
  storeIds: number[];
}

/** The columns a staff profile is made of, as the session lookup and sign-in read them. */
export interface StaffProfileRow {
  id: number;
  email: string;
  display_name: string;
  role: string;
  language: string | null;
}

/** The profile of an active user's row, or null when the role is not a staff role. */
export function staffProfileFromRow(row: StaffProfileRow, storeIds: number[]): StaffProfile | null {
  if (!isStaffRole(row.role)) return null;
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    language: isLang(row.language) ? row.language : 'ru',
    savedLanguage: isLang(row.language) ? row.language : null,
    storeIds: row.role === 'STORE_MANAGER' ? storeIds : [],
  };
}

/** An active staff user with preference and stores, or null (inactive, unknown, or bad role). */
export async function getActiveStaffProfile(db: Db, userId: number): Promise<StaffProfile | null> {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('user_preference as p', 'p.user_id', 'u.id')
    .select(['u.id', 'u.email', 'u.display_name', 'u.role', 'p.language'])
    .where('u.id', '=', userId)
    .where('u.is_active', '=', true)
    .executeTakeFirst();
  if (!row) return null;
  const storeIds = row.role === 'STORE_MANAGER' ? await listUserStoreIds(db, row.id) : [];
  return staffProfileFromRow(row, storeIds);
}

export async function listUserStoreIds(db: Db, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('store_staff')
    .select('store_id')
    .where('user_id', '=', userId)
    .orderBy('store_id')
    .execute();
  return rows.map((r) => r.store_id);
}

/** Whether a store row exists (active or not): ADMIN may open any existing store. */
export async function storeExists(db: Db, storeId: number): Promise<boolean> {
  const row = await db
    .selectFrom('store')
    .select('id')
    .where('id', '=', storeId)
    .executeTakeFirst();
  return row !== undefined;
}
