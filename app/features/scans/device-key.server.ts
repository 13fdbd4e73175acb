import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '~db/database.server';

/**
 * Store device keys (OS-2): 32 random bytes in base64url, shown once when an admin rotates them.
 * Only the SHA-256 hex is stored (`store.scan_api_key_hash`, unique), so a database leak does not
 * leak working keys and a lookup by hash is a plain index search.
 */

export const DEVICE_KEY_BYTES = 32;
/** 32 bytes in unpadded base64url. */
const DEVICE_KEY_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function generateDeviceKey(): string {
  return crypto.randomBytes(DEVICE_KEY_BYTES).toString('base64url');
}

export function hashDeviceKey(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The key of an `Authorization: Bearer <key>` header, or null when the header is missing, uses
 * another scheme or carries something that cannot be a device key (nothing is looked up then).
 */
export function bearerDeviceKey(header: string | null): string | null {
  if (!header) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  const key = match?.[1];
  return key && DEVICE_KEY_SHAPE.test(key) ? key : null;
}

export interface DeviceStore {
  storeId: number;
  isActive: boolean;
}

/**
 * The store a device key belongs to. The search compares hashes, never the key itself, so its
 * timing says nothing about the key; the found hash is compared again in constant time anyway.
 */
export async function findStoreByDeviceKey(db: Db, key: string): Promise<DeviceStore | null> {
  const hash = hashDeviceKey(key);
  const row = await db
    .selectFrom('store')
    .select(['id', 'is_active', 'scan_api_key_hash'])
    .where('scan_api_key_hash', '=', hash)
    .executeTakeFirst();
  if (!row?.scan_api_key_hash) return null;
  const stored = Buffer.from(row.scan_api_key_hash, 'hex');
  const given = Buffer.from(hash, 'hex');
  if (stored.length !== given.length || !crypto.timingSafeEqual(stored, given)) return null;
  return { storeId: row.id, isActive: row.is_active };
}

/**
 * Locks the store row and reports whether it has a key; null when the store does not exist.
 * Run inside the rotating or revoking transaction.
 */
export async function lockStoreKey(db: Db, storeId: number): Promise<{ hasKey: boolean } | null> {
  const row = await db
    .selectFrom('store')
    .select(['id', 'scan_api_key_hash'])
    .where('id', '=', storeId)
    .forUpdate()
    .executeTakeFirst();
  return row ? { hasKey: row.scan_api_key_hash !== null } : null;
}

/** Replaces (or, with null, removes) the stored hash; the previous key stops working at once. */
export async function setStoreKeyHash(db: Db, storeId: number, hash: string | null): Promise<void> {
  await db
    .updateTable('store')
    .set({ scan_api_key_hash: hash, updated_at: sql<Date>`now()` })
    .where('id', '=', storeId)
    .execute();
}

export interface ScanKeyStatus {
  storeId: number;
  storeCode: string;
  hasKey: boolean;
  lastRotatedAt: Date | null;
  lastRevokedAt: Date | null;
}

/** Whether the store has a device key and when it was last rotated or revoked (from the audit). */
export async function getScanKeyStatus(db: Db, storeId: number): Promise<ScanKeyStatus | null> {
  const store = await db
    .selectFrom('store')
    .select(['id', 'code', 'scan_api_key_hash'])
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!store) return null;
  const events = await db
    .selectFrom('audit_log')
    .select(['action', (eb) => eb.fn.max('created_at').as('at')])
    .where('entity_type', '=', 'store')
    .where('entity_id', '=', String(storeId))
    .where('action', 'in', ['store.scan_key_rotate', 'store.scan_key_revoke'])
    .groupBy('action')
    .execute();
  const at = (action: string) => {
    const value = events.find((e) => e.action === action)?.at;
    return value ? new Date(value) : null;
  };
  return {
    storeId: store.id,
    storeCode: store.code,
    hasKey: store.scan_api_key_hash !== null,
    lastRotatedAt: at('store.scan_key_rotate'),
    lastRevokedAt: at('store.scan_key_revoke'),
  };
}
