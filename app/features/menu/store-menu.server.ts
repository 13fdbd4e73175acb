import type { Db } from '~db/database.server';
import type { Lang } from '~/i18n/languages';
import { pickLocalized } from '~/i18n/use-t';
import { fromDecimal } from '~/utils/money';
import { isOneOf, OPTION_GROUP_TYPES, STOCK_STATUSES } from '~/utils/vocabularies';
import type {
  StoreMenu,
  StoreMenuCategory,
  StoreMenuOptionGroup,
  StoreMenuOptionItem,
  StoreMenuProduct,
} from './store-menu.types';

export type { StoreMenu } from './store-menu.types';

export type StoreMenuLookup = ({ storeId: number } | { storeCode: string }) & { lang: Lang };

/** The number of SQL statements getStoreMenu runs for an active store, whatever the menu size. */
export const STORE_MENU_QUERY_COUNT = 5;

function localizedText(lang: Lang, ru: string | null, zh: string | null, en: string | null) {
  const value = lang === 'zh' ? zh : lang === 'en' ? en : ru;
  return value && value.trim() !== '' ? value : ru;
}

/**
 * A store's public menu (issue 3 item 9), for the customer routes, the JSON API and the iiko import.
 *
 * What is in it:
 * - null when the store does not exist or is inactive (a deactivated store has no public menu);
 * - products listed in the store (store_product.is_active) that are active themselves and whose
 *   category, if any, is active. Inactive listings and products are left out entirely;
 * - OUT_OF_STOCK products stay in with `sellable: false`, so customers see them greyed out instead
 *   of wondering where their drink went; LOW_STOCK products are sellable (PR-1);
 * - every option item of an attached group, unavailable ones with `available: false` (PR-3).
 *
 * Always {@link STORE_MENU_QUERY_COUNT} statements: the store, then four set-based reads run
 * together (listings, attached groups, their items, per-product item overrides) and joined in
 * memory — never a query per product or group. The four reads are not one snapshot; an admin edit
 * landing between them can at worst show a product without its groups for one request.
 */
export async function getStoreMenu(db: Db, lookup: StoreMenuLookup): Promise<StoreMenu | null> {
  const { lang } = lookup;
  const storeQuery = db
    .selectFrom('store')
    .select([
      'id',
      'code',
      'name_ru',
      'name_zh',
      'name_en',
      'address_ru',
      'city',
      'timezone',
      'pickup_enabled',
      'delivery_enabled',
    ])
    .where('is_active', '=', true);
  const store = await (
    'storeId' in lookup
      ? storeQuery.where('id', '=', lookup.storeId)
      : storeQuery.where('code', '=', lookup.storeCode)
  ).executeTakeFirst();
  if (!store) return null;

  // products listed in this store; the option reads below are bounded by the same subquery
  const listedIds = db
    .selectFrom('store_product')
    .select('product_id')
    .where('store_id', '=', store.id)
    .where('is_active', '=', true);

  const [productRows, groupRows, itemRows, overrideRows] = await Promise.all([
    db
      .selectFrom('store_product as sp')
      .innerJoin('product as p', 'p.id', 'sp.product_id')
      .leftJoin('category as c', 'c.id', 'p.category_id')
      .select([
        'p.id',
        'p.sku',
        'p.name_ru',
        'p.name_zh',
        'p.name_en',
        'p.description_ru',
        'p.description_zh',
        'p.description_en',
        'p.image_url',
        'p.base_price',
        'p.is_special_price',
        'sp.price_override',
        'sp.is_special_price as store_special_price',
        'sp.stock_status',
        'c.id as category_id',
        'c.code as category_code',
        'c.name_ru as category_name_ru',
        'c.name_zh as category_name_zh',
        'c.name_en as category_name_en',
        'c.sort_order as category_sort_order',
      ])
      .where('sp.store_id', '=', store.id)
      .where('sp.is_active', '=', true)
      .where('p.is_active', '=', true)
      .where((eb) => eb.or([eb('c.id', 'is', null), eb('c.is_active', '=', true)]))
      .orderBy('p.sort_order')
      .orderBy('p.id')
      .execute(),
    db
      .selectFrom('product_option_group as pog')
      .innerJoin('option_group as g', 'g.id', 'pog.group_id')
      .select([
        'pog.product_id',
        'pog.default_item_id',
        'g.id',
        'g.code',
        'g.group_type',
        'g.name_ru',
        'g.name_zh',
        'g.name_en',
        'g.is_required',
        'g.selection_type',
      ])
      .where('pog.product_id', 'in', listedIds)
      .orderBy('pog.sort_order')
      .orderBy('g.sort_order')
      .orderBy('g.id')
      .execute(),
    db
      .selectFrom('option_item')
      .select([
        'id',
        'group_id',
        'code',
        'name_ru',
        'name_zh',
        'name_en',
        'price_delta',
        'is_available',
      ])
      .where(
        'group_id',
        'in',
        db
          .selectFrom('product_option_group')
          .select('group_id')
          .where('product_id', 'in', listedIds),
      )
      .orderBy('sort_order')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('product_option_item')
      .select(['product_id', 'item_id', 'price_delta_override', 'is_available_override'])
      .where('product_id', 'in', listedIds)
      .where((eb) =>
        eb.or([
          eb('price_delta_override', 'is not', null),
          eb('is_available_override', 'is not', null),
        ]),
      )
      .execute(),
  ]);

  const itemsByGroup = new Map<number, typeof itemRows>();
  for (const item of itemRows) {
    const list = itemsByGroup.get(item.group_id);
    if (list) list.push(item);
    else itemsByGroup.set(item.group_id, [item]);
  }
  const overrides = new Map<string, (typeof overrideRows)[number]>();
  for (const row of overrideRows) overrides.set(`${row.product_id}:${row.item_id}`, row);

  const groupsByProduct = new Map<number, StoreMenuOptionGroup[]>();
  for (const g of groupRows) {
    const items: StoreMenuOptionItem[] = (itemsByGroup.get(g.id) ?? []).map((item) => {
      const override = overrides.get(`${g.product_id}:${item.id}`);
      return {
        id: item.id,
        code: item.code,
        name: pickLocalized(lang, item, 'name'),
        priceDeltaKopecks: fromDecimal(override?.price_delta_override ?? item.price_delta),
        available: override?.is_available_override ?? item.is_available,
      };
    });
    const group: StoreMenuOptionGroup = {
      id: g.id,
      code: g.code,
      // the CHECK constraint guarantees the vocabulary; the fallback only satisfies the type
      type: isOneOf(OPTION_GROUP_TYPES, g.group_type) ? g.group_type : 'TOPPING',
      name: pickLocalized(lang, g, 'name'),
      required: g.is_required,
      multi: g.selection_type === 'MULTI',
      defaultItemId: g.default_item_id,
      items,
    };
    const list = groupsByProduct.get(g.product_id);
    if (list) list.push(group);
    else groupsByProduct.set(g.product_id, [group]);
  }

  const categories = new Map<number | null, StoreMenuCategory & { sortOrder: number }>();
  for (const row of productRows) {
    let category = categories.get(row.category_id);
    if (!category) {
      category = {
        id: row.category_id,
        code: row.category_code,
        name:
          row.category_name_ru === null
            ? null
            : localizedText(lang, row.category_name_ru, row.category_name_zh, row.category_name_en),
        sortOrder: row.category_sort_order ?? Number.MAX_SAFE_INTEGER,
        products: [],
      };
      categories.set(row.category_id, category);
    }
    const stockStatus = isOneOf(STOCK_STATUSES, row.stock_status) ? row.stock_status : 'IN_STOCK';
    const product: StoreMenuProduct = {
      id: row.id,
      sku: row.sku,
      name: pickLocalized(lang, row, 'name'),
      description: localizedText(lang, row.description_ru, row.description_zh, row.description_en),
      imageUrl: row.image_url,
      priceKopecks: fromDecimal(row.price_override ?? row.base_price),
      isSpecialPrice: row.is_special_price || row.store_special_price,
      stockStatus,
      // store and listing activity are already filtered above; stock is what is left of PR-1
      sellable: stockStatus !== 'OUT_OF_STOCK',
      optionGroups: groupsByProduct.get(row.id) ?? [],
    };
    category.products.push(product);
  }

  const sorted = [...categories.values()].sort(
    (a, b) =>
      a.sortOrder - b.sortOrder ||
      (a.id ?? Number.MAX_SAFE_INTEGER) - (b.id ?? Number.MAX_SAFE_INTEGER),
  );
  return {
    lang,
    store: {
      id: store.id,
      code: store.code,
      name: pickLocalized(lang, store, 'name'),
      address: store.address_ru,
      city: store.city,
      timezone: store.timezone,
      pickupEnabled: store.pickup_enabled,
      deliveryEnabled: store.delivery_enabled,
    },
    categories: sorted.map(({ sortOrder: _sortOrder, ...category }) => category),
  };
}
