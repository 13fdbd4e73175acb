import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStoreMenu, STORE_MENU_QUERY_COUNT } from '../../../app/features/menu/store-menu.server';
import type { DB } from '../../../db/types.generated';
import {
  attachOptionGroup,
  createCategory,
  createOptionGroup,
  createOptionItem,
  createProduct,
  createStore,
  createStoreProduct,
} from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.destroy();
});

/** A Kysely instance on the same pool that counts the statements it sends. */
function countingDb() {
  const counter = { queries: 0 };
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: testDb.pool }),
    log: (event) => {
      if (event.level === 'query') counter.queries += 1;
    },
  });
  return { db, counter };
}

describe('getStoreMenu', () => {
  it('applies store price overrides, option overrides and availability (PR-1..PR-3, PR-8)', async () => {
    const db = testDb.db;
    const store = await createStore(db);
    const otherStore = await createStore(db);
    const teas = await createCategory(db, { sort_order: 2, name_ru: 'Чаи' });
    const milk = await createCategory(db, { sort_order: 1, name_ru: 'Молочные' });

    const plain = await createProduct(db, { category_id: teas.id, base_price: '300.00' });
    const overridden = await createProduct(db, {
      category_id: teas.id,
      base_price: '300.00',
      sort_order: -1,
    });
    const low = await createProduct(db, { category_id: milk.id, is_special_price: true });
    const soldOut = await createProduct(db, { category_id: milk.id });
    const unlisted = await createProduct(db, { category_id: milk.id });
    const inactive = await createProduct(db, { category_id: milk.id, is_active: false });
    const hiddenListing = await createProduct(db, { category_id: milk.id });
    const onlyElsewhere = await createProduct(db, { category_id: milk.id });
    const noCategory = await createProduct(db, { base_price: '99.90' });

    await createStoreProduct(db, store.id, plain.id);
    await createStoreProduct(db, store.id, overridden.id, {
      price_override: '275.50',
      is_special_price: true,
    });
    await createStoreProduct(db, store.id, low.id, { stock_status: 'LOW_STOCK' });
    await createStoreProduct(db, store.id, soldOut.id, { stock_status: 'OUT_OF_STOCK' });
    await createStoreProduct(db, store.id, inactive.id);
    await createStoreProduct(db, store.id, hiddenListing.id, { is_active: false });
    await createStoreProduct(db, otherStore.id, onlyElsewhere.id);
    await createStoreProduct(db, store.id, noCategory.id);
    void unlisted;

    const sugar = await createOptionGroup(db, { group_type: 'SUGAR', sort_order: 1 });
    const sugarFull = await createOptionItem(db, sugar.id, { sort_order: 1 });
    const sugarHalf = await createOptionItem(db, sugar.id, { sort_order: 2, is_available: false });
    const topping = await createOptionGroup(db, { group_type: 'TOPPING', sort_order: 2 });
    const tapioca = await createOptionItem(db, topping.id, { price_delta: '50.00' });
    const jelly = await createOptionItem(db, topping.id, { price_delta: '40.00' });
    await attachOptionGroup(db, plain.id, topping.id, { sort_order: 2 });
    await attachOptionGroup(db, plain.id, sugar.id, {
      sort_order: 1,
      default_item_id: sugarFull.id,
    });
    await attachOptionGroup(db, overridden.id, topping.id);
    // plain: tapioca costs 30 and half sugar is available for this product only
    await db
      .insertInto('product_option_item')
      .values([
        { product_id: plain.id, item_id: tapioca.id, price_delta_override: '30.00' },
        { product_id: plain.id, item_id: sugarHalf.id, is_available_override: true },
        { product_id: overridden.id, item_id: jelly.id, is_available_override: false },
      ])
      .execute();

    const menu = await getStoreMenu(db, { storeId: store.id, lang: 'ru' });
    expect(menu).not.toBeNull();
    expect(menu!.store.code).toBe(store.code);
    // categories by sort_order, products without a category last
    expect(menu!.categories.map((c) => c.id)).toEqual([milk.id, teas.id, null]);
    const [milkCat, teaCat, rest] = menu!.categories;
    expect(milkCat!.products.map((p) => p.id)).toEqual([low.id, soldOut.id]);
    expect(teaCat!.products.map((p) => p.id)).toEqual([overridden.id, plain.id]);
    expect(rest!.products.map((p) => [p.id, p.priceKopecks])).toEqual([[noCategory.id, 9990]]);

    const byId = new Map(menu!.categories.flatMap((c) => c.products).map((p) => [p.id, p]));
    expect(byId.has(unlisted.id)).toBe(false);
    expect(byId.has(inactive.id)).toBe(false);
    expect(byId.has(hiddenListing.id)).toBe(false);
    expect(byId.has(onlyElsewhere.id)).toBe(false);

    // PR-2 / PR-8
    expect(byId.get(plain.id)).toMatchObject({ priceKopecks: 30000, isSpecialPrice: false });
    expect(byId.get(overridden.id)).toMatchObject({ priceKopecks: 27550, isSpecialPrice: true });
    expect(byId.get(low.id)).toMatchObject({ isSpecialPrice: true });
    // PR-1: LOW_STOCK sells, OUT_OF_STOCK is shown but not sellable
    expect(byId.get(low.id)).toMatchObject({ stockStatus: 'LOW_STOCK', sellable: true });
    expect(byId.get(soldOut.id)).toMatchObject({ stockStatus: 'OUT_OF_STOCK', sellable: false });
    expect(byId.get(plain.id)).toMatchObject({ stockStatus: 'IN_STOCK', sellable: true });

    // PR-3 and option ordering
    const plainGroups = byId.get(plain.id)!.optionGroups;
    expect(plainGroups.map((g) => g.id)).toEqual([sugar.id, topping.id]);
    expect(plainGroups[0]).toMatchObject({
      type: 'SUGAR',
      required: true,
      multi: false,
      defaultItemId: sugarFull.id,
    });
    expect(plainGroups[0]!.items.map((i) => [i.id, i.available])).toEqual([
      [sugarFull.id, true],
      [sugarHalf.id, true],
    ]);
    expect(plainGroups[1]).toMatchObject({ type: 'TOPPING', required: false, multi: true });
    expect(plainGroups[1]!.items.map((i) => [i.id, i.priceDeltaKopecks, i.available])).toEqual([
      [tapioca.id, 3000, true],
      [jelly.id, 4000, true],
    ]);
    // the same items without overrides on another product keep the chain-wide values
    const overriddenToppings = byId.get(overridden.id)!.optionGroups[0]!;
    expect(overriddenToppings.items.map((i) => [i.id, i.priceDeltaKopecks, i.available])).toEqual([
      [tapioca.id, 5000, true],
      [jelly.id, 4000, false],
    ]);
    expect(byId.get(low.id)!.optionGroups).toEqual([]);
  });

  it('localizes with a fallback to ru (C-7) and finds a store by code', async () => {
    const db = testDb.db;
    const store = await createStore(db, { name_ru: 'Бар', name_zh: '茶吧', name_en: null });
    const category = await createCategory(db, { name_ru: 'Чай', name_zh: null, name_en: 'Tea' });
    const product = await createProduct(db, {
      category_id: category.id,
      name_ru: 'Молочный чай',
      name_zh: '奶茶',
      name_en: '  ',
      description_ru: 'Описание',
      description_zh: null,
      description_en: 'Description',
    });
    await createStoreProduct(db, store.id, product.id);
    const ice = await createOptionGroup(db, { group_type: 'ICE', name_ru: 'Лёд', name_en: 'Ice' });
    await createOptionItem(db, ice.id, { name_ru: 'Без льда', name_zh: '去冰' });
    await attachOptionGroup(db, product.id, ice.id);

    const zh = await getStoreMenu(db, { storeCode: store.code, lang: 'zh' });
    expect(zh!.store.name).toBe('茶吧');
    expect(zh!.categories[0]!.name).toBe('Чай');
    expect(zh!.categories[0]!.products[0]).toMatchObject({
      name: '奶茶',
      description: 'Описание',
    });
    expect(zh!.categories[0]!.products[0]!.optionGroups[0]).toMatchObject({ name: 'Лёд' });
    expect(zh!.categories[0]!.products[0]!.optionGroups[0]!.items[0]!.name).toBe('去冰');

    const en = await getStoreMenu(db, { storeCode: store.code, lang: 'en' });
    expect(en!.store.name).toBe('Бар');
    expect(en!.categories[0]!.name).toBe('Tea');
    // blank translations fall back too
    expect(en!.categories[0]!.products[0]).toMatchObject({
      name: 'Молочный чай',
      description: 'Description',
    });
    expect(en!.categories[0]!.products[0]!.optionGroups[0]!.items[0]!.name).toBe('Без льда');
  });

  it('has no menu for an inactive or unknown store, and hides inactive categories', async () => {
    const db = testDb.db;
    const closed = await createStore(db, { is_active: false });
    const product = await createProduct(db);
    await createStoreProduct(db, closed.id, product.id);
    expect(await getStoreMenu(db, { storeId: closed.id, lang: 'ru' })).toBeNull();
    expect(await getStoreMenu(db, { storeCode: closed.code, lang: 'ru' })).toBeNull();
    expect(await getStoreMenu(db, { storeCode: 'NOPE-404', lang: 'ru' })).toBeNull();

    const open = await createStore(db);
    const retired = await createCategory(db, { is_active: false });
    const hidden = await createProduct(db, { category_id: retired.id });
    await createStoreProduct(db, open.id, hidden.id);
    const menu = await getStoreMenu(db, { storeId: open.id, lang: 'ru' });
    expect(menu).toMatchObject({ store: { id: open.id }, categories: [] });
  });

  it('runs the same small number of queries for 1 product and for 200 products × 4 groups', async () => {
    const db = testDb.db;
    const groups = await Promise.all(
      (['TEMPERATURE', 'ICE', 'SUGAR', 'TOPPING'] as const).map((type) =>
        createOptionGroup(db, { group_type: type }),
      ),
    );
    const itemsByGroup = new Map<number, number[]>();
    for (const group of groups) {
      const items = [];
      for (let i = 0; i < 4; i++) items.push((await createOptionItem(db, group.id)).id);
      itemsByGroup.set(group.id, items);
    }

    async function storeWithProducts(count: number) {
      const store = await createStore(db);
      const categories = await Promise.all([createCategory(db), createCategory(db)]);
      const products = await db
        .insertInto('product')
        .values(
          Array.from({ length: count }, (_, i) => ({
            sku: `BULK-${store.id}-${i}`,
            name_ru: `Товар ${i}`,
            base_price: '200.00',
            category_id: categories[i % 2]!.id,
          })),
        )
        .returning('id')
        .execute();
      await db
        .insertInto('store_product')
        .values(products.map((p) => ({ store_id: store.id, product_id: p.id })))
        .execute();
      await db
        .insertInto('product_option_group')
        .values(
          products.flatMap((p) =>
            groups.map((g) => ({
              product_id: p.id,
              group_id: g.id,
              default_item_id: g.group_type === 'TOPPING' ? null : itemsByGroup.get(g.id)![0]!,
            })),
          ),
        )
        .execute();
      // some per-product overrides, so that read is not empty
      await db
        .insertInto('product_option_item')
        .values(
          products.slice(0, 50).map((p) => ({
            product_id: p.id,
            item_id: itemsByGroup.get(groups[3]!.id)![1]!,
            price_delta_override: '10.00',
          })),
        )
        .execute();
      return store;
    }

    const small = await storeWithProducts(1);
    const large = await storeWithProducts(200);

    const counted = countingDb();
    const smallMenu = await getStoreMenu(counted.db, { storeId: small.id, lang: 'ru' });
    const smallCount = counted.counter.queries;
    counted.counter.queries = 0;
    const largeMenu = await getStoreMenu(counted.db, { storeId: large.id, lang: 'en' });
    const largeCount = counted.counter.queries;
    counted.counter.queries = 0;
    expect(await getStoreMenu(counted.db, { storeId: 2_000_000_000, lang: 'ru' })).toBeNull();
    const missingCount = counted.counter.queries;

    const products = largeMenu!.categories.flatMap((c) => c.products);
    expect(smallMenu!.categories.flatMap((c) => c.products)).toHaveLength(1);
    expect(products).toHaveLength(200);
    expect(products.every((p) => p.optionGroups.length === 4)).toBe(true);
    expect(products.every((p) => p.optionGroups.every((g) => g.items.length === 4))).toBe(true);
    expect(
      products.filter(
        (p) =>
          p.optionGroups.find((g) => g.id === groups[3]!.id)!.items[1]!.priceDeltaKopecks === 1000,
      ),
    ).toHaveLength(50);

    expect(smallCount).toBe(STORE_MENU_QUERY_COUNT);
    expect(largeCount).toBe(smallCount);
    expect(STORE_MENU_QUERY_COUNT).toBeLessThanOrEqual(5);
    expect(missingCount).toBe(1);
  });
});
