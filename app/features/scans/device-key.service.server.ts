import type { Db } from '~db/database.server';
import { writeStaffAudit, type StaffActor } from '~/features/audit/audit.server';
import {
  generateDeviceKey,
  hashDeviceKey,
  lockStoreKey,
  setStoreKeyHash,
} from './device-key.server';

/**
 * Rotating and revoking a store's device key (OS-2, RB-1 "device keys": ADMIN). Each change and
 * its audit row commit together; the audit never holds the key or its hash.
 */

/** A new key for the store; the caller shows it once. Null when the store does not exist. */
export async function rotateDeviceKey(
  db: Db,
  actor: StaffActor,
  storeId: number,
): Promise<{ key: string } | null> {
  const key = generateDeviceKey();
  return db.transaction().execute(async (trx) => {
    const store = await lockStoreKey(trx, storeId);
    if (!store) return null;
    await setStoreKeyHash(trx, storeId, hashDeviceKey(key));
    await writeStaffAudit(trx, actor, {
      storeId,
      action: 'store.scan_key_rotate',
      entityType: 'store',
      entityId: storeId,
    });
    return { key };
  });
}

/**
 * Removes the key: the store's devices are refused from the next request on. 'none' when there
 * was no key (nothing changes, nothing is audited); null when the store does not exist.
 */
export async function revokeDeviceKey(
  db: Db,
  actor: StaffActor,
  storeId: number,
): Promise<'revoked' | 'none' | null> {
  return db.transaction().execute(async (trx) => {
    const store = await lockStoreKey(trx, storeId);
    if (!store) return null;
    if (!store.hasKey) return 'none';
    await setStoreKeyHash(trx, storeId, null);
    await writeStaffAudit(trx, actor, {
      storeId,
      action: 'store.scan_key_revoke',
      entityType: 'store',
      entityId: storeId,
    });
    return 'revoked';
  });
}
