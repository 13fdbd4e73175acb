import type { Db } from '~db/database.server';
import { isOneOf, STOCK_STATUSES, type StockStatus } from '~/utils/vocabularies';
import { textMatches } from '~/features/search/text-search.server';

export interface AvailabilityRow {
  /** store_product.id */
  id: number;
  productId: number;
  sku: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  categoryId: number | null;
  category_name_ru: string | null;
  category_name_zh: string | null;
  category_name_en: string | null;
  stockStatus: StockStatus;
  stockStatusSource: 'MANUAL' | 'IIKO';
  updatedAt: string;
}

export interface AvailabilityFilters {
  q?: string;
  stockStatus?: StockStatus;
}

/**
 * The products listed in one store (active listing of an active product) with their stock status,
 * ordered like the menu. `storeId` is the verified store of the route (RB-2): it is the scope.
 */
export async function listStoreAvailability(
  db: Db,
  { storeId, filters = {} }: { storeId: number; filters?: AvailabilityFilters },
): Promise<AvailabilityRow[]> {
  let query = db
    .selectFrom('store_product as sp')
    .innerJoin('product as p', 'p.id', 'sp.product_id')
    .leftJoin('category as c', 'c.id', 'p.category_id')
    .select([
      'sp.id',
      'p.id as productId',
      'p.sku',
      'p.name_ru',
      'p.name_zh',
      'p.name_en',
      'c.id as categoryId',
      'c.name_ru as category_name_ru',
      'c.name_zh as category_name_zh',
      'c.name_en as category_name_en',
      'sp.stock_status',
      'sp.stock_status_source',
      'sp.updated_at',
    ])
    .where('sp.store_id', '=', storeId)
    .where('sp.is_active', '=', true)
    .where('p.is_active', '=', true);
  if (filters.stockStatus) query = query.where('sp.stock_status', '=', filters.stockStatus);
  if (filters.q) {
    query = query.where(textMatches(['p.sku', 'p.name_ru', 'p.name_zh', 'p.name_en'], filters.q));
  }
  const rows = await query
    .orderBy((eb) => eb.fn.coalesce('c.sort_order', eb.val(2_147_483_647)))
    .orderBy('c.id')
    .orderBy('p.sort_order')
    .orderBy('p.id')
    .execute();
  return rows.map(({ stock_status, stock_status_source, updated_at, ...row }) => ({
    ...row,
    stockStatus: isOneOf(STOCK_STATUSES, stock_status) ? stock_status : 'IN_STOCK',
    stockStatusSource: stock_status_source === 'IIKO' ? 'IIKO' : 'MANUAL',
    updatedAt: updated_at.toISOString(),
  }));
}

export interface StockRowForUpdate {
  id: number;
  stock_status: string;
  stock_status_source: string;
}

/**
 * The listing of `productId` in `storeId`, locked for update; null when the product is not listed
 * there (inactive listing or product, or no row). Must run inside the service's transaction.
 */
export async function lockStoreListing(
  db: Db,
  { storeId, productId }: { storeId: number; productId: number },
): Promise<StockRowForUpdate | null> {
  const row = await db
    .selectFrom('store_product as sp')
    .innerJoin('product as p', 'p.id', 'sp.product_id')
    .select(['sp.id', 'sp.stock_status', 'sp.stock_status_source'])
    .where('sp.store_id', '=', storeId)
    .where('sp.product_id', '=', productId)
    .where('sp.is_active', '=', true)
    .where('p.is_active', '=', true)
    .forUpdate('sp')
    .executeTakeFirst();
  return row ?? null;
}
