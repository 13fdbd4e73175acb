import type { Db } from '~db/database.server';
import { diffFields } from '~/features/stores/diff';
import type { ZoneValues } from './delivery.schema';
import { getZone, insertZone, updateZoneRow, type DeliveryZone } from './delivery.server';
import { writeStaffAudit, type StaffActor } from '~/features/audit/audit.server';

/** The audited view of a zone: the form's fields, money as kopecks. */
function snapshot(
  zone: Pick<
    DeliveryZone,
    | 'name_ru'
    | 'name_zh'
    | 'name_en'
    | 'polygon'
    | 'fee'
    | 'minOrderAmount'
    | 'etaMinutes'
    | 'isActive'
  >,
) {
  return {
    name_ru: zone.name_ru,
    name_zh: zone.name_zh || null,
    name_en: zone.name_en || null,
    polygon: zone.polygon,
    fee: zone.fee,
    min_order_amount: zone.minOrderAmount,
    eta_minutes: zone.etaMinutes,
    is_active: zone.isActive,
  };
}

function fromValues(values: ZoneValues) {
  return snapshot({
    name_ru: values.name_ru,
    name_zh: values.name_zh ?? null,
    name_en: values.name_en ?? null,
    polygon: values.polygon,
    fee: values.fee,
    minOrderAmount: values.min_order_amount,
    etaMinutes: values.eta_minutes,
    isActive: values.is_active,
  });
}

export async function createZone(
  db: Db,
  actor: StaffActor,
  storeId: number,
  values: ZoneValues,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const id = await insertZone(trx, storeId, values);
    await writeStaffAudit(trx, actor, {
      storeId,
      action: 'zone.create',
      entityType: 'delivery_zone',
      entityId: id,
      after: fromValues(values),
    });
    return id;
  });
}

/** Returns false when the zone does not exist in this store. Zones are deactivated, never deleted (C-10). */
export async function updateZone(
  db: Db,
  actor: StaffActor,
  storeId: number,
  zoneId: number,
  values: ZoneValues,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const current = await getZone(trx, storeId, zoneId, { lock: true });
    if (!current) return false;
    const diff = diffFields<Record<string, unknown>>(snapshot(current), fromValues(values));
    if (!diff) return true;
    await updateZoneRow(trx, storeId, zoneId, values);
    await writeStaffAudit(trx, actor, {
      storeId,
      action: 'zone.update',
      entityType: 'delivery_zone',
      entityId: zoneId,
      before: diff.before,
      after: diff.after,
    });
    return true;
  });
}
