import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { fromDecimal, toDecimal, type Kopecks } from '~/utils/money';
import type { OptionGroupType, StockStatus, StockStatusSource } from '~/utils/vocabularies';
import type { ProductListParams } from './menu.schema';
import { textMatches } from '~/features/search/text-search.server';

/**
 * Menu queries (categories, products, options, store listings). Every function takes the executor
 * first, so it runs inside a service transaction or on its own. Money leaves here as kopecks.
 */

const kop = (v: string | null): Kopecks | null => (v === null ? null : fromDecimal(v));
const now = sql<Date>`now()`;

// --- categories ---------------------------------------------------------------------------------

export interface CategoryRow {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  sort_order: number;
  is_active: boolean;
  product_count: number;
}

const CATEGORY_COLUMNS = [
  'category.id',
  'category.code',
  'category.name_ru',
  'category.name_zh',
  'category.name_en',
  'category.sort_order',
  'category.is_active',
] as const;

export async function listCategories(db: Db): Promise<CategoryRow[]> {
  return db
    .selectFrom('category')
    .select(CATEGORY_COLUMNS)
    .select((eb) =>
      eb
        .selectFrom('product')
        .whereRef('product.category_id', '=', 'category.id')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('product_count'),
    )
    .orderBy('category.sort_order')
    .orderBy('category.id')
    .execute() as Promise<CategoryRow[]>;
}

export async function getCategory(db: Db, id: number) {
  return (
    (await db
      .selectFrom('category')
      .select(CATEGORY_COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst()) ?? null
  );
}

export type CategoryValues = {
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  sort_order: number;
  is_active: boolean;
};

export async function insertCategory(db: Db, values: CategoryValues): Promise<number> {
  const row = await db
    .insertInto('category')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCategoryRow(
  db: Db,
  id: number,
  values: Partial<CategoryValues>,
): Promise<void> {
  await db
    .updateTable('category')
    .set({ ...values, updated_at: now })
    .where('id', '=', id)
    .execute();
}

// --- products -----------------------------------------------------------------------------------

export interface ProductRow {
  id: number;
  sku: string;
  category_id: number | null;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  description_ru: string | null;
  description_zh: string | null;
  description_en: string | null;
  base_price: Kopecks;
  image_url: string | null;
  is_active: boolean;
  is_special_price: boolean;
  is_manual_override: boolean;
  iiko_product_id: string | null;
  iiko_price: Kopecks | null;
  iiko_name: string | null;
  sort_order: number;
  /** IK-9: overridden locally while iiko says something else. */
  has_conflict: boolean;
}

/** IK-9 conflict: a manual override whose values differ from the last ones read from iiko. */
const conflictSql = sql<boolean>`(product.is_manual_override and (
  product.iiko_price is distinct from product.base_price and product.iiko_price is not null
  or product.iiko_name is distinct from product.name_ru and product.iiko_name is not null))`;

const PRODUCT_COLUMNS = [
  'product.id',
  'product.sku',
  'product.category_id',
  'product.name_ru',
  'product.name_zh',
  'product.name_en',
  'product.description_ru',
  'product.description_zh',
  'product.description_en',
  'product.base_price',
  'product.image_url',
  'product.is_active',
  'product.is_special_price',
  'product.is_manual_override',
  'product.iiko_product_id',
  'product.iiko_price',
  'product.iiko_name',
  'product.sort_order',
] as const;

type RawProduct = Omit<ProductRow, 'base_price' | 'iiko_price'> & {
  base_price: string;
  iiko_price: string | null;
};

function toProduct(row: RawProduct): ProductRow {
  return { ...row, base_price: fromDecimal(row.base_price), iiko_price: kop(row.iiko_price) };
}

export async function getProduct(db: Db, id: number): Promise<ProductRow | null> {
  const row = await db
    .selectFrom('product')
    .select(PRODUCT_COLUMNS)
    .select(conflictSql.as('has_conflict'))
    .where('product.id', '=', id)
    .executeTakeFirst();
  return row ? toProduct(row) : null;
}

/** The row locked for an update, so before/after in the audit describe exactly this change. */
export async function lockProduct(db: Db, id: number): Promise<ProductRow | null> {
  const row = await db
    .selectFrom('product')
    .select(PRODUCT_COLUMNS)
    .select(conflictSql.as('has_conflict'))
    .where('product.id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ? toProduct(row) : null;
}

const SORT_COLUMNS = {
  sort_order: 'product.sort_order',
  name: 'product.name_ru',
  sku: 'product.sku',
  price: 'product.base_price',
  updated: 'product.updated_at',
} as const;

export interface ProductListItem extends ProductRow {
  category_name_ru: string | null;
  category_name_zh: string | null;
  category_name_en: string | null;
  store_count: number;
}

export async function listProducts(
  db: Db,
  params: ProductListParams,
): Promise<{ rows: ProductListItem[]; total: number }> {
  const { category, active, override } = params.filters;
  let query = db.selectFrom('product').leftJoin('category', 'category.id', 'product.category_id');
  if (params.q) {
    query = query.where(
      textMatches(
        ['product.sku', 'product.name_ru', 'product.name_zh', 'product.name_en'],
        params.q,
      ),
    );
  }
  if (category) query = query.where('product.category_id', '=', category);
  if (active !== undefined) query = query.where('product.is_active', '=', active);
  if (override === 'override') query = query.where('product.is_manual_override', '=', true);
  if (override === 'none') query = query.where('product.is_manual_override', '=', false);
  if (override === 'conflict') query = query.where(conflictSql);

  const totalRow = await query
    .select(sql<number>`count(*)::int`.as('total'))
    .executeTakeFirstOrThrow();
  const rows = await query
    .select(PRODUCT_COLUMNS)
    .select(conflictSql.as('has_conflict'))
    .select([
      'category.name_ru as category_name_ru',
      'category.name_zh as category_name_zh',
      'category.name_en as category_name_en',
    ])
    .select((eb) =>
      eb
        .selectFrom('store_product')
        .whereRef('store_product.product_id', '=', 'product.id')
        .where('store_product.is_active', '=', true)
        .select(sql<number>`count(*)::int`.as('n'))
        .as('store_count'),
    )
    .orderBy(SORT_COLUMNS[params.sort], params.dir)
    .orderBy('product.id', params.dir)
    .limit(params.pageSize)
    .offset((params.page - 1) * params.pageSize)
    .execute();
  return {
    rows: rows.map((r) => ({
      ...toProduct(r as RawProduct),
      category_name_ru: r.category_name_ru,
      category_name_zh: r.category_name_zh,
      category_name_en: r.category_name_en,
      store_count: r.store_count ?? 0,
    })),
    total: totalRow.total,
  };
}

export interface ProductValues {
  sku: string;
  category_id: number | null;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  description_ru: string | null;
  description_zh: string | null;
  description_en: string | null;
  base_price: Kopecks;
  image_url: string | null;
  is_active: boolean;
  is_special_price: boolean;
  sort_order: number;
}

export async function insertProduct(db: Db, values: ProductValues): Promise<number> {
  const row = await db
    .insertInto('product')
    .values({ ...values, base_price: toDecimal(values.base_price) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateProductRow(
  db: Db,
  id: number,
  values: Partial<ProductValues> & { is_manual_override?: boolean },
): Promise<void> {
  const { base_price, ...rest } = values;
  await db
    .updateTable('product')
    .set({
      ...rest,
      ...(base_price === undefined ? {} : { base_price: toDecimal(base_price) }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** Products for pickers (attach to stores, bulk enable): id, SKU and names only. */
export async function listProductChoices(db: Db) {
  return db
    .selectFrom('product')
    .select(['id', 'sku', 'name_ru', 'name_zh', 'name_en', 'is_active'])
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
}

// --- option groups and items --------------------------------------------------------------------

export interface OptionItemRow {
  id: number;
  group_id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  price_delta: Kopecks;
  is_available: boolean;
  sort_order: number;
}

export interface OptionGroupRow {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  group_type: OptionGroupType;
  is_required: boolean;
  selection_type: 'SINGLE' | 'MULTI';
  sort_order: number;
  product_count: number;
  items: OptionItemRow[];
}

const OPTION_ITEM_COLUMNS = [
  'option_item.id',
  'option_item.group_id',
  'option_item.code',
  'option_item.name_ru',
  'option_item.name_zh',
  'option_item.name_en',
  'option_item.price_delta',
  'option_item.is_available',
  'option_item.sort_order',
] as const;

function toItem(row: Omit<OptionItemRow, 'price_delta'> & { price_delta: string }): OptionItemRow {
  return { ...row, price_delta: fromDecimal(row.price_delta) };
}

/** Every group with its items, in two queries. */
export async function listOptionGroups(db: Db): Promise<OptionGroupRow[]> {
  const groups = await db
    .selectFrom('option_group')
    .select([
      'option_group.id',
      'option_group.code',
      'option_group.name_ru',
      'option_group.name_zh',
      'option_group.name_en',
      'option_group.group_type',
      'option_group.is_required',
      'option_group.selection_type',
      'option_group.sort_order',
    ])
    .select((eb) =>
      eb
        .selectFrom('product_option_group')
        .whereRef('product_option_group.group_id', '=', 'option_group.id')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('product_count'),
    )
    .orderBy('option_group.sort_order')
    .orderBy('option_group.id')
    .execute();
  const items = await db
    .selectFrom('option_item')
    .select(OPTION_ITEM_COLUMNS)
    .orderBy('option_item.sort_order')
    .orderBy('option_item.id')
    .execute();
  return groups.map((g) => ({
    ...g,
    group_type: g.group_type as OptionGroupType,
    selection_type: g.selection_type as 'SINGLE' | 'MULTI',
    product_count: g.product_count ?? 0,
    items: items.filter((i) => i.group_id === g.id).map(toItem),
  }));
}

export async function getOptionGroup(db: Db, id: number) {
  const row = await db
    .selectFrom('option_group')
    .select([
      'id',
      'code',
      'name_ru',
      'name_zh',
      'name_en',
      'group_type',
      'is_required',
      'selection_type',
      'sort_order',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { ...row, group_type: row.group_type as OptionGroupType } : null;
}

export async function countGroupAttachments(db: Db, groupId: number): Promise<number> {
  const row = await db
    .selectFrom('product_option_group')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('group_id', '=', groupId)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function getOptionItem(db: Db, id: number): Promise<OptionItemRow | null> {
  const row = await db
    .selectFrom('option_item')
    .select(OPTION_ITEM_COLUMNS)
    .where('option_item.id', '=', id)
    .executeTakeFirst();
  return row ? toItem(row) : null;
}

// --- options attached to a product --------------------------------------------------------------

export interface ProductOptionGroupRow {
  group_id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  group_type: OptionGroupType;
  default_item_id: number | null;
  sort_order: number;
  items: (OptionItemRow & {
    price_delta_override: Kopecks | null;
    is_available_override: boolean | null;
  })[];
}

/** The groups attached to a product, their items and this product's overrides (two queries). */
export async function listProductOptions(
  db: Db,
  productId: number,
): Promise<ProductOptionGroupRow[]> {
  const groups = await db
    .selectFrom('product_option_group as pog')
    .innerJoin('option_group', 'option_group.id', 'pog.group_id')
    .select([
      'pog.group_id',
      'pog.default_item_id',
      'pog.sort_order',
      'option_group.code',
      'option_group.name_ru',
      'option_group.name_zh',
      'option_group.name_en',
      'option_group.group_type',
    ])
    .where('pog.product_id', '=', productId)
    .orderBy('pog.sort_order')
    .orderBy('option_group.sort_order')
    .orderBy('pog.group_id')
    .execute();
  if (groups.length === 0) return [];
  const items = await db
    .selectFrom('option_item')
    .leftJoin('product_option_item as poi', (join) =>
      join.onRef('poi.item_id', '=', 'option_item.id').on('poi.product_id', '=', productId),
    )
    .select(OPTION_ITEM_COLUMNS)
    .select(['poi.price_delta_override', 'poi.is_available_override'])
    .where(
      'option_item.group_id',
      'in',
      groups.map((g) => g.group_id),
    )
    .orderBy('option_item.sort_order')
    .orderBy('option_item.id')
    .execute();
  return groups.map((g) => ({
    ...g,
    group_type: g.group_type as OptionGroupType,
    items: items
      .filter((i) => i.group_id === g.group_id)
      .map((i) => ({
        ...toItem(i),
        price_delta_override: kop(i.price_delta_override),
        is_available_override: i.is_available_override,
      })),
  }));
}

export async function getProductOptionGroup(db: Db, productId: number, groupId: number) {
  return (
    (await db
      .selectFrom('product_option_group')
      .select(['id', 'group_id', 'default_item_id', 'sort_order'])
      .where('product_id', '=', productId)
      .where('group_id', '=', groupId)
      .executeTakeFirst()) ?? null
  );
}

export async function getProductOptionItem(db: Db, productId: number, itemId: number) {
  const row = await db
    .selectFrom('product_option_item')
    .select(['id', 'price_delta_override', 'is_available_override'])
    .where('product_id', '=', productId)
    .where('item_id', '=', itemId)
    .executeTakeFirst();
  return row ? { ...row, price_delta_override: kop(row.price_delta_override) } : null;
}

// --- store listings -----------------------------------------------------------------------------

export interface StoreColumn {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  is_active: boolean;
}

export async function listStoreColumns(db: Db): Promise<StoreColumn[]> {
  return db
    .selectFrom('store')
    .select(['id', 'code', 'name_ru', 'name_zh', 'name_en', 'is_active'])
    .orderBy('code')
    .execute();
}

export async function storeExistsForMenu(db: Db, storeId: number): Promise<boolean> {
  const row = await db
    .selectFrom('store')
    .select('id')
    .where('id', '=', storeId)
    .executeTakeFirst();
  return !!row;
}

export interface StoreProductCell {
  store_id: number;
  product_id: number;
  is_active: boolean;
  price_override: Kopecks | null;
  stock_status: StockStatus;
  stock_status_source: StockStatusSource;
}

const CELL_COLUMNS = [
  'store_product.store_id',
  'store_product.product_id',
  'store_product.is_active',
  'store_product.price_override',
  'store_product.stock_status',
  'store_product.stock_status_source',
] as const;

function toCell(row: {
  store_id: number;
  product_id: number;
  is_active: boolean;
  price_override: string | null;
  stock_status: string;
  stock_status_source: string;
}): StoreProductCell {
  return {
    ...row,
    price_override: kop(row.price_override),
    stock_status: row.stock_status as StockStatus,
    stock_status_source: row.stock_status_source as StockStatusSource,
  };
}

/** The grid cells for a page of products, across every store (one query). */
export async function listStoreProductCells(
  db: Db,
  productIds: number[],
): Promise<StoreProductCell[]> {
  if (productIds.length === 0) return [];
  const rows = await db
    .selectFrom('store_product')
    .select(CELL_COLUMNS)
    .where('store_product.product_id', 'in', productIds)
    .execute();
  return rows.map(toCell);
}

export async function getStoreProductCell(
  db: Db,
  storeId: number,
  productId: number,
  opts: { forUpdate?: boolean } = {},
): Promise<StoreProductCell | null> {
  let q = db
    .selectFrom('store_product')
    .select(CELL_COLUMNS)
    .where('store_id', '=', storeId)
    .where('product_id', '=', productId);
  if (opts.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toCell(row) : null;
}

export async function listStoreMenuRows(db: Db, storeId: number) {
  const rows = await db
    .selectFrom('store_product')
    .select([...CELL_COLUMNS, 'store_product.is_special_price'])
    .where('store_id', '=', storeId)
    .orderBy('product_id')
    .execute();
  return rows.map((r) => ({ ...toCell(r), is_special_price: r.is_special_price }));
}
