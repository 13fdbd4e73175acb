import type { Db } from '~db/database.server';
import { readOpeningHours, type OpeningHours } from '~/features/stores/stores.schema';
import type { Lang } from '~/i18n/languages';
import { pickLocalized } from '~/i18n/use-t';

/**
 * Stores as the public storefront sees them: active stores only (a deactivated store has no public
 * page), localized, with what the store picker and the store header show.
 */

export interface ShopStore {
  id: number;
  code: string;
  name: string;
  address: string;
  city: string;
  /** For the distance shown when the browser shares its location; null when not set. */
  latitude: number | null;
  longitude: number | null;
  timezone: string;
  openingHours: OpeningHours;
  pickupEnabled: boolean;
  deliveryEnabled: boolean;
}

/** Public store codes look like `MSK-01`; anything else is not looked up at all. */
export const STORE_CODE_PATTERN = /^[A-Za-z0-9_-]{1,20}$/;

function baseQuery(db: Db) {
  return db
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
      'timezone',
      'opening_hours',
      'pickup_enabled',
      'delivery_enabled',
    ])
    .where('is_active', '=', true);
}

type StoreRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function coordinate(value: string | null): number | null {
  if (value === null) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function toShopStore(lang: Lang, row: StoreRow): ShopStore {
  return {
    id: row.id,
    code: row.code,
    name: pickLocalized(lang, row, 'name'),
    address: row.address_ru,
    city: row.city,
    latitude: coordinate(row.latitude),
    longitude: coordinate(row.longitude),
    timezone: row.timezone,
    openingHours: readOpeningHours(row.opening_hours),
    pickupEnabled: row.pickup_enabled,
    deliveryEnabled: row.delivery_enabled,
  };
}

/** Every active store, by city, then code. */
export async function listShopStores(db: Db, lang: Lang): Promise<ShopStore[]> {
  const rows = await baseQuery(db).orderBy('city').orderBy('code').execute();
  return rows.map((row) => toShopStore(lang, row));
}

/** One active store by its public code, or null (unknown, inactive or malformed code). */
export async function getShopStore(db: Db, code: string, lang: Lang): Promise<ShopStore | null> {
  if (!STORE_CODE_PATTERN.test(code)) return null;
  const row = await baseQuery(db).where('code', '=', code).executeTakeFirst();
  return row ? toShopStore(lang, row) : null;
}

/** Codes of the given active stores (the header's cart link when no store is in the URL). */
export async function getStoreCodes(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('store')
    .select(['id', 'code'])
    .where('id', 'in', [...ids])
    .where('is_active', '=', true)
    .execute();
  return new Map(rows.map((r) => [r.id, r.code]));
}
