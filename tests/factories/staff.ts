import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashPassword } from '../../app/auth/password.server';
import { createUserSession, type CreatedSession } from '../../app/auth/session.server';
import type { Lang } from '../../app/i18n/languages';
import type { DB } from '../../db/types.generated';

export interface StaffFixture {
  id: number;
  email: string;
  /** The plain password, for sign-in tests. */
  password: string;
  displayName: string;
  role: 'ADMIN' | 'STORE_MANAGER';
}

export interface StaffOptions {
  role?: 'ADMIN' | 'STORE_MANAGER';
  email?: string;
  password?: string;
  displayName?: string;
  isActive?: boolean;
  /** store_staff links (STORE_MANAGER only). */
  storeIds?: number[];
  /** Writes a user_preference row; without it the user has none (language defaults to ru). */
  language?: Lang;
}

// argon2 is deliberately slow; tests reuse one hash per distinct password
const hashes = new Map<string, Promise<string>>();
function cachedHash(password: string): Promise<string> {
  let hash = hashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    hashes.set(password, hash);
  }
  return hash;
}

/** A staff user (and their store_staff / user_preference rows) with a known password. */
export async function createStaff(
  db: Kysely<DB>,
  options: StaffOptions = {},
): Promise<StaffFixture> {
  const role = options.role ?? 'STORE_MANAGER';
  const suffix = crypto.randomBytes(4).toString('hex');
  const email = options.email ?? `${role.toLowerCase()}.${suffix}@test.ctea.local`;
  const password = options.password ?? `pw-${suffix}-correct-horse`;
  const displayName = options.displayName ?? `Test ${role} ${suffix}`;
  const row = await db
    .insertInto('users')
    .values({
      email,
      password_hash: await cachedHash(password),
      display_name: displayName,
      role,
      is_active: options.isActive ?? true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (options.storeIds?.length) {
    await db
      .insertInto('store_staff')
      .values(options.storeIds.map((storeId) => ({ user_id: row.id, store_id: storeId })))
      .execute();
  }
  if (options.language) {
    await db
      .insertInto('user_preference')
      .values({ user_id: row.id, language: options.language })
      .execute();
  }
  return { id: row.id, email, password, displayName, role };
}

export const createAdmin = (
  db: Kysely<DB>,
  options: Omit<StaffOptions, 'role' | 'storeIds'> = {},
) => createStaff(db, { ...options, role: 'ADMIN' });

export const createManager = (db: Kysely<DB>, options: Omit<StaffOptions, 'role'> = {}) =>
  createStaff(db, { ...options, role: 'STORE_MANAGER' });

/**
 * A signed-in staff session without going through /login: `cookie` is the value for a request's
 * Cookie header.
 */
export async function createStaffSession(
  db: Kysely<DB>,
  userId: number,
): Promise<CreatedSession & { cookie: string }> {
  const session = await createUserSession(db, { userId, ip: '127.0.0.1', userAgent: 'vitest' });
  return { ...session, cookie: `ctea_session=${session.token}` };
}
