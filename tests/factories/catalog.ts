import type { FactoryDb, Overrides, Row } from './support';
import { seq } from './support';

/** An active store, pickup only, not connected to iiko. */
export async function createStore(
  db: FactoryDb,
  overrides: Overrides<'store'> = {},
): Promise<Row<'store'>> {
  const n = seq();
  return db
    .insertInto('store')
    .values({
      code: `TST-${n}`,
      name_ru: `Магазин ${n}`,
      address_ru: 'Москва, ул. Тестовая, 1',
      city: 'Москва',
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function createCategory(
  db: FactoryDb,
  overrides: Overrides<'category'> = {},
): Promise<Row<'category'>> {
  const n = seq();
  return db
    .insertInto('category')
    .values({ code: `CAT_${n}`, name_ru: `Категория ${n}`, ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** An active product at 350.00 ₽ without a category. */
export async function createProduct(
  db: FactoryDb,
  overrides: Overrides<'product'> = {},
): Promise<Row<'product'>> {
  const n = seq();
  return db
    .insertInto('product')
    .values({ sku: `SKU-${n}`, name_ru: `Напиток ${n}`, base_price: '350.00', ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * An option group. Defaults follow `option_group_business_rule`: SUGAR (required, SINGLE); with
 * `group_type: 'TOPPING'` the defaults become optional and MULTI.
 */
export async function createOptionGroup(
  db: FactoryDb,
  overrides: Overrides<'option_group'> = {},
): Promise<Row<'option_group'>> {
  const n = seq();
  const groupType = overrides.group_type ?? 'SUGAR';
  const topping = groupType === 'TOPPING';
  return db
    .insertInto('option_group')
    .values({
      code: `${groupType}_${n}`,
      name_ru: `Группа ${n}`,
      group_type: groupType,
      is_required: !topping,
      selection_type: topping ? 'MULTI' : 'SINGLE',
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** An available option item of `groupId`, free unless `price_delta` is given. */
export async function createOptionItem(
  db: FactoryDb,
  groupId: number,
  overrides: Overrides<'option_item'> = {},
): Promise<Row<'option_item'>> {
  const n = seq();
  return db
    .insertInto('option_item')
    .values({ group_id: groupId, code: `ITEM_${n}`, name_ru: `Вариант ${n}`, ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Attaches a group to a product (product_option_group), optionally with its default item. */
export async function attachOptionGroup(
  db: FactoryDb,
  productId: number,
  groupId: number,
  overrides: Overrides<'product_option_group'> = {},
): Promise<Row<'product_option_group'>> {
  return db
    .insertInto('product_option_group')
    .values({ product_id: productId, group_id: groupId, ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Lists a product in a store (active, IN_STOCK, base price). */
export async function createStoreProduct(
  db: FactoryDb,
  storeId: number,
  productId: number,
  overrides: Overrides<'store_product'> = {},
): Promise<Row<'store_product'>> {
  return db
    .insertInto('store_product')
    .values({ store_id: storeId, product_id: productId, ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A square zone around central Moscow: fee 150.00, no minimum, 45 minutes. */
export async function createDeliveryZone(
  db: FactoryDb,
  storeId: number,
  overrides: Overrides<'delivery_zone'> = {},
): Promise<Row<'delivery_zone'>> {
  const n = seq();
  return db
    .insertInto('delivery_zone')
    .values({
      store_id: storeId,
      name_ru: `Зона ${n}`,
      polygon: JSON.stringify([
        [55.7, 37.5],
        [55.7, 37.7],
        [55.8, 37.7],
        [55.8, 37.5],
      ]),
      fee: '150.00',
      eta_minutes: 45,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
