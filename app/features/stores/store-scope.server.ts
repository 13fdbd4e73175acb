import type { StaffRole } from '~/auth/permissions';
import type { Db } from '~db/database.server';

export interface StoreSummary {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  is_active: boolean;
}

export interface StoreViewer {
  id: number;
  role: StaffRole;
}

/**
 * The active stores a staff member may open under /manage: every active store for ADMIN, the
 * store_staff links for a STORE_MANAGER (none → empty list, RB-3). Ordered by code.
 */
export async function listVisibleStores(db: Db, viewer: StoreViewer): Promise<StoreSummary[]> {
  if (viewer.role === 'ADMIN') {
    return db
      .selectFrom('store')
      .select(['id', 'code', 'name_ru', 'name_zh', 'name_en', 'is_active'])
      .where('is_active', '=', true)
      .orderBy('code')
      .execute();
  }
  return db
    .selectFrom('store_staff')
    .innerJoin('store', 'store.id', 'store_staff.store_id')
    .select([
      'store.id',
      'store.code',
      'store.name_ru',
      'store.name_zh',
      'store.name_en',
      'store.is_active',
    ])
    .where('store_staff.user_id', '=', viewer.id)
    .where('store.is_active', '=', true)
    .orderBy('store.code')
    .execute();
}

/** One store by id, active or not. The caller has already verified access (requireStoreAccess). */
export async function getStoreSummary(db: Db, storeId: number): Promise<StoreSummary | null> {
  const row = await db
    .selectFrom('store')
    .select(['id', 'code', 'name_ru', 'name_zh', 'name_en', 'is_active'])
    .where('id', '=', storeId)
    .executeTakeFirst();
  return row ?? null;
}
