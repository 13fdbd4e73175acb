import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import type { SortDir } from '~/utils/search-params';
import { readOpeningHours, type StoreDetail, type StoreValues } from './stores.schema';
import { textMatches } from '~/features/search/text-search.server';

export type { StoreDetail };

/** Queries for the admin store pages. Admin-only (RB-1: managers read their stores elsewhere). */

export type StoreSortKey = 'code' | 'name' | 'city' | 'created';

export interface StoreListQuery {
  q: string;
  active?: boolean;
  city?: string;
  sort: StoreSortKey;
  dir: SortDir;
  limit: number;
  offset: number;
}

export interface StoreListRow {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  city: string;
  address_ru: string;
  is_active: boolean;
  pickup_enabled: boolean;
  delivery_enabled: boolean;
  iiko_connected: boolean;
  zone_count: number;
}

const SORT_COLUMNS = {
  code: 'store.code',
  name: 'store.name_ru',
  city: 'store.city',
  created: 'store.created_at',
} as const;

/** One page of stores and the total matching the search and filters. */
export async function listStores(
  db: Db,
  query: StoreListQuery,
): Promise<{ rows: StoreListRow[]; total: number }> {
  let base = db.selectFrom('store');
  if (query.q) {
    base = base.where(
      textMatches(
        ['store.code', 'store.name_ru', 'store.name_zh', 'store.name_en', 'store.city'],
        query.q,
      ),
    );
  }
  if (query.active !== undefined) base = base.where('store.is_active', '=', query.active);
  if (query.city) base = base.where('store.city', '=', query.city);

  const [countRow, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    base
      .select([
        'store.id',
        'store.code',
        'store.name_ru',
        'store.name_zh',
        'store.name_en',
        'store.city',
        'store.address_ru',
        'store.is_active',
        'store.pickup_enabled',
        'store.delivery_enabled',
        sql<boolean>`store.iiko_terminal_group_id is not null`.as('iiko_connected'),
        (eb) =>
          eb
            .selectFrom('delivery_zone')
            .select((z) => z.fn.countAll<string>().as('c'))
            .whereRef('delivery_zone.store_id', '=', 'store.id')
            .as('zone_count'),
      ])
      .orderBy(SORT_COLUMNS[query.sort], query.dir)
      .orderBy('store.id', query.dir)
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
  ]);
  return {
    total: Number(countRow.n),
    rows: rows.map((r) => ({ ...r, zone_count: Number(r.zone_count ?? 0) })),
  };
}

/** Distinct cities, for the list's city filter. */
export async function listStoreCities(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('store').select('city').distinct().orderBy('city').execute();
  return rows.map((r) => r.city);
}

/** The editable columns of a store (`SELECT … FOR UPDATE` inside a transaction with `lock`). */
export async function getStoreDetail(
  db: Db,
  storeId: number,
  options: { lock?: boolean } = {},
): Promise<StoreDetail | null> {
  let query = db
    .selectFrom('store')
    .select([
      'id',
      'code',
      'name_ru',
      'name_zh',
      'name_en',
      'address_ru',
      'city',
      'latitude',
      'longitude',
      'phone',
      'timezone',
      'opening_hours',
      'is_active',
      'pickup_enabled',
      'delivery_enabled',
      'iiko_terminal_group_id',
    ])
    .where('id', '=', storeId);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return null;
  return {
    ...row,
    latitude: trimDecimal(row.latitude),
    longitude: trimDecimal(row.longitude),
    opening_hours: readOpeningHours(row.opening_hours),
  };
}

/** numeric(10,7) comes back as '55.7558000'; the form and the audit diff want '55.7558'. */
function trimDecimal(value: string | null): string | null {
  if (value === null) return null;
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}

function columns(values: StoreValues) {
  return {
    code: values.code,
    name_ru: values.name_ru,
    name_zh: values.name_zh,
    name_en: values.name_en,
    address_ru: values.address_ru,
    city: values.city,
    latitude: values.latitude,
    longitude: values.longitude,
    phone: values.phone,
    timezone: values.timezone,
    opening_hours: JSON.stringify(values.opening_hours),
    is_active: values.is_active,
    pickup_enabled: values.pickup_enabled,
    delivery_enabled: values.delivery_enabled,
    iiko_terminal_group_id: values.iiko_terminal_group_id,
  };
}

export async function insertStore(db: Db, values: StoreValues): Promise<number> {
  const row = await db
    .insertInto('store')
    .values(columns(values))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateStoreRow(db: Db, storeId: number, values: StoreValues): Promise<void> {
  await db
    .updateTable('store')
    .set({ ...columns(values), updated_at: sql<Date>`now()` })
    .where('id', '=', storeId)
    .execute();
}
