import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import type { UserRole } from '~/utils/vocabularies';
import type { SortDir } from '~/utils/search-params';
import { textMatches } from '~/features/search/text-search.server';

/** Staff accounts (users) and their store links (store_staff). Admin-only pages (RB-1). */

export type StaffSortKey = 'email' | 'name' | 'role' | 'created' | 'lastLogin';

export interface StaffListQuery {
  q: string;
  role?: UserRole;
  active?: boolean;
  sort: StaffSortKey;
  dir: SortDir;
  limit: number;
  offset: number;
}

export interface StaffListRow {
  id: number;
  email: string;
  display_name: string;
  role: string;
  is_active: boolean;
  last_login_at: Date | null;
  store_codes: string[];
}

const SORT_COLUMNS = {
  email: 'users.email',
  name: 'users.display_name',
  role: 'users.role',
  created: 'users.created_at',
  lastLogin: 'users.last_login_at',
} as const;

export async function listStaff(
  db: Db,
  query: StaffListQuery,
): Promise<{ rows: StaffListRow[]; total: number }> {
  let base = db.selectFrom('users');
  if (query.q) {
    base = base.where(textMatches(['users.email', 'users.display_name'], query.q));
  }
  if (query.role) base = base.where('users.role', '=', query.role);
  if (query.active !== undefined) base = base.where('users.is_active', '=', query.active);
  const [countRow, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    base
      .select([
        'users.id',
        'users.email',
        'users.display_name',
        'users.role',
        'users.is_active',
        'users.last_login_at',
        sql<string[]>`coalesce((
          select array_agg(s.code order by s.code)
          from store_staff ss join store s on s.id = ss.store_id
          where ss.user_id = users.id
        ), '{}')`.as('store_codes'),
      ])
      .orderBy(SORT_COLUMNS[query.sort], (ob) =>
        query.dir === 'asc' ? ob.asc().nullsFirst() : ob.desc().nullsLast(),
      )
      .orderBy('users.id', query.dir)
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
  ]);
  return { total: Number(countRow.n), rows };
}

export interface StaffDetail {
  id: number;
  email: string;
  display_name: string;
  role: string;
  is_active: boolean;
  last_login_at: Date | null;
  locked_until: Date | null;
  created_at: Date;
  stores: { id: number; code: string; name_ru: string; is_active: boolean }[];
}

export async function getStaffDetail(
  db: Db,
  userId: number,
  options: { lock?: boolean } = {},
): Promise<StaffDetail | null> {
  let query = db
    .selectFrom('users')
    .select([
      'id',
      'email',
      'display_name',
      'role',
      'is_active',
      'last_login_at',
      'locked_until',
      'created_at',
    ])
    .where('id', '=', userId);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return null;
  const stores = await db
    .selectFrom('store_staff')
    .innerJoin('store', 'store.id', 'store_staff.store_id')
    .select(['store.id', 'store.code', 'store.name_ru', 'store.is_active'])
    .where('store_staff.user_id', '=', userId)
    .orderBy('store.code')
    .execute();
  return { ...row, stores };
}

/** Every store for the assignment picker (inactive ones too: a link may be prepared in advance). */
export async function listStoreOptions(
  db: Db,
): Promise<{ id: number; code: string; name_ru: string; is_active: boolean }[]> {
  return db
    .selectFrom('store')
    .select(['id', 'code', 'name_ru', 'is_active'])
    .orderBy('code')
    .execute();
}

export async function insertUser(
  db: Db,
  values: { email: string; display_name: string; role: UserRole; password_hash: string },
): Promise<number> {
  const row = await db.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function setPasswordHash(db: Db, userId: number, passwordHash: string): Promise<void> {
  // a new password also clears a lockout: the admin has just verified who this is
  await db
    .updateTable('users')
    .set({
      password_hash: passwordHash,
      failed_login_count: 0,
      locked_until: null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', userId)
    .execute();
}

/** Flips is_active; returns false when it already had that value (no change to audit). */
export async function setUserActive(db: Db, userId: number, active: boolean): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ is_active: active, updated_at: sql<Date>`now()` })
    .where('id', '=', userId)
    .where('is_active', '=', !active)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Links a manager to a store; false when the link already existed. */
export async function insertStoreLink(db: Db, userId: number, storeId: number): Promise<boolean> {
  const row = await db
    .insertInto('store_staff')
    .values({ user_id: userId, store_id: storeId })
    .onConflict((oc) => oc.columns(['user_id', 'store_id']).doNothing())
    .returning('store_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteStoreLink(db: Db, userId: number, storeId: number): Promise<boolean> {
  const result = await db
    .deleteFrom('store_staff')
    .where('user_id', '=', userId)
    .where('store_id', '=', storeId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
