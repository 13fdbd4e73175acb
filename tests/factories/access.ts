import type { FactoryDb, Overrides, Row } from './support';
import { hoursFromNow, randomHex64, seq, uniquePhone } from './support';

/** A back-office user; ADMIN unless `role` is overridden. `password_hash` is not a real hash. */
export async function createUser(
  db: FactoryDb,
  overrides: Overrides<'users'> = {},
): Promise<Row<'users'>> {
  const n = seq();
  return db
    .insertInto('users')
    .values({
      email: `user${n}@ctea.test`,
      password_hash: 'not-a-real-argon2id-hash',
      display_name: `User ${n}`,
      role: 'ADMIN',
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A STORE_MANAGER linked to `storeIds` through store_staff. */
export async function createStoreManager(
  db: FactoryDb,
  storeIds: number[],
  overrides: Overrides<'users'> = {},
): Promise<Row<'users'>> {
  const user = await createUser(db, { role: 'STORE_MANAGER', ...overrides });
  if (storeIds.length > 0) {
    await db
      .insertInto('store_staff')
      .values(storeIds.map((storeId) => ({ user_id: user.id, store_id: storeId })))
      .execute();
  }
  return user;
}

/** A verified member with a fresh phone, no group and no points. */
export async function createMember(
  db: FactoryDb,
  overrides: Overrides<'member'> = {},
): Promise<Row<'member'>> {
  const phone = overrides.phone ?? uniquePhone();
  return db
    .insertInto('member')
    .values({
      phone,
      display_name: `Гость ${phone.slice(-4)}`,
      phone_verified_at: new Date(),
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A live session row for a user or a member (exactly one of them). */
export async function createSession(
  db: FactoryDb,
  principal: { userId: number } | { memberId: number },
  overrides: Overrides<'session'> = {},
): Promise<Row<'session'>> {
  const isUser = 'userId' in principal;
  return db
    .insertInto('session')
    .values({
      token_hash: randomHex64(),
      principal_type: isUser ? 'USER' : 'MEMBER',
      user_id: isUser ? principal.userId : null,
      member_id: isUser ? null : principal.memberId,
      expires_at: hoursFromNow(isUser ? 12 : 24 * 30),
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
