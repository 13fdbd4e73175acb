import type { Db } from '~db/database.server';
import { diffFields } from './diff';
import type { StoreValues } from './stores.schema';
import { getStoreDetail, insertStore, updateStoreRow } from './stores.server';
import { writeStaffAudit, type StaffActor } from '~/features/audit/audit.server';

/**
 * Creates a store and its audit row in one transaction. A duplicate code or iiko terminal group
 * surfaces as the unique-violation error (store_code_unique / store_iiko_terminal_group_id_unique)
 * for the route to map to a field error.
 */
export async function createStore(db: Db, actor: StaffActor, values: StoreValues): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const id = await insertStore(trx, values);
    await writeStaffAudit(trx, actor, {
      storeId: id,
      action: 'store.create',
      entityType: 'store',
      entityId: id,
      after: { ...values },
    });
    return id;
  });
}

/**
 * Saves the edit form. The row is locked first so the audit `before` is exactly what was
 * overwritten. Deactivating (is_active false) keeps the store and its history; the public menu
 * filters inactive stores (PR-1). Returns false when the store does not exist.
 */
export async function updateStore(
  db: Db,
  actor: StaffActor,
  storeId: number,
  values: StoreValues,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const current = await getStoreDetail(trx, storeId, { lock: true });
    if (!current) return false;
    const { id: _id, ...before } = current;
    const diff = diffFields<Record<string, unknown>>(before, { ...values });
    if (!diff) return true;
    await updateStoreRow(trx, storeId, values);
    await writeStaffAudit(trx, actor, {
      storeId,
      action: 'store.update',
      entityType: 'store',
      entityId: storeId,
      before: diff.before,
      after: diff.after,
    });
    return true;
  });
}
