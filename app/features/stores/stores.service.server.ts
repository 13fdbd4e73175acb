import type { Db } from '~db/database.server';
import { writeAudit } from '~/features/audit/audit.server';
import { diffFields } from './diff';
import type { StoreValues } from './stores.schema';
import { getStoreDetail, insertStore, updateStoreRow } from './stores.server';

/** Who did it, for audit_log (RB-4). */
export interface AuditActor {
  userId: number;
  requestId?: string | null;
  ip?: string | null;
}

/**
 * Creates a store and its audit row in one transaction. A duplicate code or iiko terminal group
 * surfaces as the unique-violation error (store_code_unique / store_iiko_terminal_group_id_unique)
 * for the route to map to a field error.
 */
export async function createStore(db: Db, actor: AuditActor, values: StoreValues): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const id = await insertStore(trx, values);
    await writeAudit(trx, {
      actorType: 'USER',
      actorUserId: actor.userId,
      storeId: id,
      action: 'store.create',
      entityType: 'store',
      entityId: id,
      after: { ...values },
      requestId: actor.requestId,
      ip: actor.ip,
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
  actor: AuditActor,
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
    await writeAudit(trx, {
      actorType: 'USER',
      actorUserId: actor.userId,
      storeId,
      action: 'store.update',
      entityType: 'store',
      entityId: storeId,
      before: diff.before,
      after: diff.after,
      requestId: actor.requestId,
      ip: actor.ip,
    });
    return true;
  });
}
