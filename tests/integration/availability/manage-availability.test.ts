import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfTokenFor } from '../../../app/auth/csrf.server';
import { getStoreMenu } from '../../../app/features/menu/store-menu.server';
import { action, loader } from '../../../app/routes/manage.$storeId.menu';
import { createProduct, createStore, createStoreProduct } from '../../factories';
import { createAdmin, createManager, createStaffSession } from '../../factories/staff';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { contextFor, get, post, thrownResponse } from '../auth/helpers';

let testDb: TestDatabase;
let ownStore: number;
let otherStore: number;
let manager: { cookie: string; csrf: string; id: number };

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  ownStore = (await createStore(testDb.db)).id;
  otherStore = (await createStore(testDb.db)).id;
  const user = await createManager(testDb.db, { storeIds: [ownStore] });
  const session = await createStaffSession(testDb.db, user.id);
  manager = { cookie: session.cookie, csrf: csrfTokenFor(session.tokenHash), id: user.id };
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb?.destroy();
});

/** A product listed in both stores, IN_STOCK and MANUAL unless told otherwise. */
async function listedEverywhere(overrides: { stock_status_source?: string } = {}) {
  const product = await createProduct(testDb.db);
  const own = await createStoreProduct(testDb.db, ownStore, product.id, overrides);
  const other = await createStoreProduct(testDb.db, otherStore, product.id);
  return { product, own, other };
}

function setStock(
  storeId: number,
  fields: Record<string, string>,
  who: { cookie: string; csrf: string } = manager,
) {
  const request = post(
    `/manage/${storeId}/menu?status=OUT_OF_STOCK`,
    { csrf: who.csrf, intent: 'set-stock', ...fields },
    { cookie: who.cookie },
  );
  return action({ request, params: { storeId: String(storeId) }, context: contextFor(testDb) });
}

async function listing(id: number) {
  return testDb.db
    .selectFrom('store_product')
    .select(['stock_status', 'stock_status_source', 'price_override', 'is_active', 'store_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function auditFor(storeProductId: number) {
  return testDb.db
    .selectFrom('audit_log')
    .select([
      'actor_type',
      'actor_user_id',
      'store_id',
      'action',
      'entity_type',
      'entity_id',
      'before',
      'after',
    ])
    .where('entity_type', '=', 'store_product')
    .where('entity_id', '=', String(storeProductId))
    .orderBy('id')
    .execute();
}

describe('manager availability (/manage/$storeId/menu)', () => {
  it("lists the store's products with their stock status", async () => {
    const { product } = await listedEverywhere();
    const hidden = await createProduct(testDb.db);
    await createStoreProduct(testDb.db, ownStore, hidden.id, { is_active: false });
    const response = await loader({
      request: get(`/manage/${ownStore}/menu`, manager.cookie),
      params: { storeId: String(ownStore) },
      context: contextFor(testDb),
    });
    const data = await response.json();
    const ids = data.rows.map((r: { productId: number }) => r.productId);
    expect(ids).toContain(product.id);
    expect(ids).not.toContain(hidden.id);
    expect(data.rows.find((r: { productId: number }) => r.productId === product.id)).toMatchObject({
      stockStatus: 'IN_STOCK',
      stockStatusSource: 'MANUAL',
    });
  });

  it("marks a product sold out in the manager's own store only, with an audit row", async () => {
    const { product, own, other } = await listedEverywhere({ stock_status_source: 'IIKO' });
    const response = (await setStock(ownStore, {
      productId: String(product.id),
      stockStatus: 'OUT_OF_STOCK',
    })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe(`/manage/${ownStore}/menu?status=OUT_OF_STOCK`);

    expect(await listing(own.id)).toMatchObject({
      stock_status: 'OUT_OF_STOCK',
      stock_status_source: 'MANUAL',
    });
    expect(await listing(other.id)).toMatchObject({ stock_status: 'IN_STOCK' });
    expect(await auditFor(own.id)).toEqual([
      {
        actor_type: 'USER',
        actor_user_id: manager.id,
        store_id: ownStore,
        action: 'store_product.stock_status',
        entity_type: 'store_product',
        entity_id: String(own.id),
        before: { stock_status: 'IN_STOCK', stock_status_source: 'IIKO' },
        after: { stock_status: 'OUT_OF_STOCK', stock_status_source: 'MANUAL' },
      },
    ]);
    expect(await auditFor(other.id)).toEqual([]);

    // the public read model follows at once: shown, not sellable, here only
    const menu = await getStoreMenu(testDb.db, { storeId: ownStore, lang: 'ru' });
    const item = menu!.categories.flatMap((c) => c.products).find((p) => p.id === product.id);
    expect(item).toMatchObject({ stockStatus: 'OUT_OF_STOCK', sellable: false });
    const elsewhere = await getStoreMenu(testDb.db, { storeId: otherStore, lang: 'ru' });
    expect(
      elsewhere!.categories.flatMap((c) => c.products).find((p) => p.id === product.id),
    ).toMatchObject({ sellable: true });

    // back in stock; a repeat of the same state writes no second audit row
    await setStock(ownStore, { productId: String(product.id), stockStatus: 'IN_STOCK' });
    await setStock(ownStore, { productId: String(product.id), stockStatus: 'IN_STOCK' });
    expect(await listing(own.id)).toMatchObject({ stock_status: 'IN_STOCK' });
    const audits = await auditFor(own.id);
    expect(audits).toHaveLength(2);
    expect(audits[1]).toMatchObject({
      before: { stock_status: 'OUT_OF_STOCK' },
      after: { stock_status: 'IN_STOCK' },
    });
  });

  it("answers 403 when a manager posts another store's id, and changes nothing", async () => {
    const { product, other } = await listedEverywhere();
    const response = await thrownResponse(
      setStock(otherStore, { productId: String(product.id), stockStatus: 'OUT_OF_STOCK' }),
    );
    expect(response.status).toBe(403);
    expect(await listing(other.id)).toMatchObject({ stock_status: 'IN_STOCK' });
    expect(await auditFor(other.id)).toEqual([]);
  });

  it('answers 404 for a product not listed (or not active) in the store', async () => {
    const elsewhere = await createProduct(testDb.db);
    const otherListing = await createStoreProduct(testDb.db, otherStore, elsewhere.id);
    const inactive = await createProduct(testDb.db);
    const inactiveListing = await createStoreProduct(testDb.db, ownStore, inactive.id, {
      is_active: false,
    });
    for (const productId of [elsewhere.id, inactive.id, 2_000_000_000]) {
      const response = await thrownResponse(
        setStock(ownStore, { productId: String(productId), stockStatus: 'OUT_OF_STOCK' }),
      );
      expect(response.status, `product ${productId}`).toBe(404);
    }
    expect(await listing(otherListing.id)).toMatchObject({ stock_status: 'IN_STOCK' });
    expect(await listing(inactiveListing.id)).toMatchObject({ stock_status: 'IN_STOCK' });
  });

  it('ignores crafted price, listing and store fields', async () => {
    const { product, own } = await listedEverywhere();
    await setStock(ownStore, {
      productId: String(product.id),
      stockStatus: 'LOW_STOCK',
      price_override: '1.00',
      priceOverride: '1.00',
      is_active: 'false',
      store_id: String(otherStore),
      storeId: String(otherStore),
    });
    expect(await listing(own.id)).toEqual({
      stock_status: 'LOW_STOCK',
      stock_status_source: 'MANUAL',
      price_override: null,
      is_active: true,
      store_id: ownStore,
    });
    const [entry] = await auditFor(own.id);
    expect(entry!.after).toEqual({ stock_status: 'LOW_STOCK' });
  });

  it('rejects bad input with 400 and unknown intents with 400', async () => {
    const { product, own } = await listedEverywhere();
    const cases: Record<string, string>[] = [
      { productId: String(product.id), stockStatus: 'GONE' },
      { productId: 'abc', stockStatus: 'OUT_OF_STOCK' },
      { productId: String(product.id) },
      { intent: 'set-price', productId: String(product.id), price_override: '1.00' },
    ];
    for (const fields of cases) {
      const response = (await setStock(ownStore, fields)) as Response;
      expect(response.status, JSON.stringify(fields)).toBe(400);
    }
    expect(await listing(own.id)).toMatchObject({ stock_status: 'IN_STOCK', price_override: null });
  });

  it('requires the CSRF token', async () => {
    const { product, own } = await listedEverywhere();
    for (const csrf of ['', 'forged-token']) {
      const response = await thrownResponse(
        setStock(
          ownStore,
          { productId: String(product.id), stockStatus: 'OUT_OF_STOCK' },
          { cookie: manager.cookie, csrf },
        ),
      );
      expect(response.status).toBe(403);
    }
    expect(await listing(own.id)).toMatchObject({ stock_status: 'IN_STOCK' });
  });

  it('lets an admin mark any store', async () => {
    const admin = await createAdmin(testDb.db);
    const session = await createStaffSession(testDb.db, admin.id);
    const { product, other } = await listedEverywhere();
    await setStock(
      otherStore,
      { productId: String(product.id), stockStatus: 'LOW_STOCK' },
      { cookie: session.cookie, csrf: csrfTokenFor(session.tokenHash) },
    );
    expect(await listing(other.id)).toMatchObject({ stock_status: 'LOW_STOCK' });
    expect(await auditFor(other.id)).toMatchObject([
      { actor_user_id: admin.id, store_id: otherStore },
    ]);
  });
});
