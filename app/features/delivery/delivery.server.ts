import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { fromDecimal, toDecimal } from '~/utils/money';
import type { ZoneValues } from './delivery.schema';
import { readStoredPolygon, type LatLng } from './polygon';

/** Delivery zones (DL-1..DL-3). Every query is scoped by the store the zone belongs to. */

export interface DeliveryZone {
  id: number;
  storeId: number;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  /** `[[lat, lng], …]`; empty when the stored value is unreadable (never expected). */
  polygon: LatLng[];
  /** Kopecks. */
  fee: number;
  minOrderAmount: number;
  etaMinutes: number;
  isActive: boolean;
}

const ZONE_COLUMNS = [
  'id',
  'store_id',
  'name_ru',
  'name_zh',
  'name_en',
  'polygon',
  'fee',
  'min_order_amount',
  'eta_minutes',
  'is_active',
] as const;

type ZoneRow = {
  id: number;
  store_id: number;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  polygon: unknown;
  fee: string;
  min_order_amount: string;
  eta_minutes: number;
  is_active: boolean;
};

function toZone(row: ZoneRow): DeliveryZone {
  return {
    id: row.id,
    storeId: row.store_id,
    name_ru: row.name_ru,
    name_zh: row.name_zh,
    name_en: row.name_en,
    polygon: readStoredPolygon(row.polygon) ?? [],
    fee: fromDecimal(row.fee),
    minOrderAmount: fromDecimal(row.min_order_amount),
    etaMinutes: row.eta_minutes,
    isActive: row.is_active,
  };
}

/** A store's zones, active first, then by id. `activeOnly` for the checkout lookup (DL-3). */
export async function listZones(
  db: Db,
  storeId: number,
  options: { activeOnly?: boolean } = {},
): Promise<DeliveryZone[]> {
  let query = db.selectFrom('delivery_zone').select(ZONE_COLUMNS).where('store_id', '=', storeId);
  if (options.activeOnly) query = query.where('is_active', '=', true);
  const rows = await query.orderBy('is_active', 'desc').orderBy('id').execute();
  return rows.map((r) => toZone(r as ZoneRow));
}

/** One zone of the given store (a zone of another store is "not found", RB-2). */
export async function getZone(
  db: Db,
  storeId: number,
  zoneId: number,
  options: { lock?: boolean } = {},
): Promise<DeliveryZone | null> {
  let query = db
    .selectFrom('delivery_zone')
    .select(ZONE_COLUMNS)
    .where('id', '=', zoneId)
    .where('store_id', '=', storeId);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toZone(row as ZoneRow) : null;
}

function columns(values: ZoneValues) {
  return {
    name_ru: values.name_ru,
    name_zh: values.name_zh || null,
    name_en: values.name_en || null,
    polygon: JSON.stringify(values.polygon),
    fee: toDecimal(values.fee),
    min_order_amount: toDecimal(values.min_order_amount),
    eta_minutes: values.eta_minutes,
    is_active: values.is_active,
  };
}

export async function insertZone(db: Db, storeId: number, values: ZoneValues): Promise<number> {
  const row = await db
    .insertInto('delivery_zone')
    .values({ store_id: storeId, ...columns(values) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateZoneRow(
  db: Db,
  storeId: number,
  zoneId: number,
  values: ZoneValues,
): Promise<void> {
  await db
    .updateTable('delivery_zone')
    .set({ ...columns(values), updated_at: sql<Date>`now()` })
    .where('id', '=', zoneId)
    .where('store_id', '=', storeId)
    .execute();
}
