import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as gridRoute from '../../../app/routes/admin.menu.stores';
import { createProduct, createStore, createStoreProduct } from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import {
  adminSession,
  callAction,
  callLoader,
  fieldErrors,
  type Session,
} from '../../support/staff-requests';

let testDb: TestDatabase;
let admin: Session;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  admin = await adminSession(testDb);
});

afterAll(async () => {
  await testDb?.destroy();
});

const listing = (storeId: number) =>
  testDb.db
    .selectFrom('store_product')
    .select([
      'product_id',
      'is_active',
      'price_override',
      'stock_status',
      'stock_status_source',
      'is_special_price',
    ])
    .where('store_id', '=', storeId)
    .orderBy('product_id')
    .execute();

const auditCount = async (action: string) =>
  (
    await testDb.db
      .selectFrom('audit_log')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('action', '=', action)
      .executeTakeFirstOrThrow()
  ).n;

/** A real trigger that fails the statement when it reaches `storeId`: a failure midway. */
async function failInsertsFor(storeId: number) {
  await sql
    .raw(
      `create or replace function fail_store_product() returns trigger language plpgsql as $$
       begin
         if new.store_id = ${storeId} then raise exception 'boom for store %', new.store_id; end if;
         return new;
       end $$;
       create trigger fail_store_product before insert or update on store_product
         for each row execute function fail_store_product();`,
    )
    .execute(testDb.db);
}
async function removeTrigger() {
  await sql.raw('drop trigger if exists fail_store_product on store_product').execute(testDb.db);
}

describe('store × product grid', () => {
  it('edits a cell: listing, price override and stock status set by hand (source MANUAL)', async () => {
    const store = await createStore(testDb.db);
    const product = await createProduct(testDb.db);
    await createStoreProduct(testDb.db, store.id, product.id, {
      stock_status: 'OUT_OF_STOCK',
      stock_status_source: 'IIKO',
    });
    const res = await callAction(testDb, gridRoute.action, admin, {
      intent: 'cell',
      store_id: String(store.id),
      product_id: String(product.id),
      is_active: 'on',
      price_override: '299,90',
      stock_status: 'LOW_STOCK',
    });
    expect(res.status).toBe(200);
    expect(await listing(store.id)).toEqual([
      {
        product_id: product.id,
        is_active: true,
        price_override: '299.90',
        stock_status: 'LOW_STOCK',
        stock_status_source: 'MANUAL',
        is_special_price: false,
      },
    ]);
    const audit = await testDb.db
      .selectFrom('audit_log')
      .select(['store_id', 'before', 'after'])
      .where('action', '=', 'store_product.update')
      .where('entity_id', '=', `${store.id}:${product.id}`)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      store_id: store.id,
      before: { price_override: null, stock_status: 'OUT_OF_STOCK', stock_status_source: 'IIKO' },
      after: { price_override: '299.90', stock_status: 'LOW_STOCK', stock_status_source: 'MANUAL' },
    });
  });

  it('answers 400 with a field error for a negative store price or unknown stock status', async () => {
    const store = await createStore(testDb.db);
    const product = await createProduct(testDb.db);
    const negative = await callAction(testDb, gridRoute.action, admin, {
      intent: 'cell',
      store_id: String(store.id),
      product_id: String(product.id),
      price_override: '-1',
      stock_status: 'IN_STOCK',
    });
    expect(negative.status).toBe(400);
    expect(fieldErrors(negative.body).price_override).toEqual(['menu.error.priceNegative']);
    const badStatus = await callAction(testDb, gridRoute.action, admin, {
      intent: 'cell',
      store_id: String(store.id),
      product_id: String(product.id),
      stock_status: 'MAYBE',
    });
    expect(badStatus.status).toBe(400);
    expect(await listing(store.id)).toEqual([]);
  });

  it('enables a product in every store: inserts missing rows, re-activates inactive ones', async () => {
    const product = await createProduct(testDb.db);
    const listed = await createStore(testDb.db);
    const inactive = await createStore(testDb.db);
    await createStoreProduct(testDb.db, listed.id, product.id, { price_override: '100.00' });
    await createStoreProduct(testDb.db, inactive.id, product.id, { is_active: false });
    const stores = await testDb.db.selectFrom('store').select('id').execute();

    const res = await callAction(testDb, gridRoute.action, admin, {
      intent: 'bulk-enable',
      product_id: String(product.id),
    });
    expect(res.status).toBe(302);
    const rows = await testDb.db
      .selectFrom('store_product')
      .select(['store_id', 'is_active', 'price_override'])
      .where('product_id', '=', product.id)
      .execute();
    expect(rows).toHaveLength(stores.length);
    expect(rows.every((r) => r.is_active)).toBe(true);
    // an existing listing keeps its store price
    expect(rows.find((r) => r.store_id === listed.id)!.price_override).toBe('100.00');
    expect(await auditCount('store_product.bulk_enable')).toBeGreaterThanOrEqual(1);
  });

  it('bulk enable is atomic: a failure in one store leaves every store and the audit untouched', async () => {
    const product = await createProduct(testDb.db);
    await createStore(testDb.db);
    const failing = await createStore(testDb.db);
    await createStore(testDb.db);
    const auditsBefore = await auditCount('store_product.bulk_enable');
    await failInsertsFor(failing.id);
    try {
      await expect(
        callAction(testDb, gridRoute.action, admin, {
          intent: 'bulk-enable',
          product_id: String(product.id),
        }),
      ).rejects.toThrow(/boom/);
    } finally {
      await removeTrigger();
    }
    const rows = await testDb.db
      .selectFrom('store_product')
      .select('id')
      .where('product_id', '=', product.id)
      .execute();
    expect(rows).toEqual([]);
    expect(await auditCount('store_product.bulk_enable')).toBe(auditsBefore);
  });

  it("copies one store's listing to another and deactivates what the source does not list", async () => {
    const p1 = await createProduct(testDb.db);
    const p2 = await createProduct(testDb.db);
    const p3 = await createProduct(testDb.db);
    const from = await createStore(testDb.db);
    const to = await createStore(testDb.db);
    await createStoreProduct(testDb.db, from.id, p1.id, { price_override: '199.00' });
    await createStoreProduct(testDb.db, from.id, p2.id, { is_active: false });
    await createStoreProduct(testDb.db, to.id, p2.id, { stock_status: 'OUT_OF_STOCK' });
    await createStoreProduct(testDb.db, to.id, p3.id);

    const res = await callAction(testDb, gridRoute.action, admin, {
      intent: 'copy',
      from_store_id: String(from.id),
      to_store_id: String(to.id),
    });
    expect(res.status).toBe(302);
    const rows = await listing(to.id);
    expect(rows).toEqual([
      expect.objectContaining({
        product_id: p1.id,
        is_active: true,
        price_override: '199.00',
        stock_status: 'IN_STOCK',
      }),
      // stock status is the target store's own
      expect.objectContaining({
        product_id: p2.id,
        is_active: false,
        stock_status: 'OUT_OF_STOCK',
      }),
      expect.objectContaining({ product_id: p3.id, is_active: false }),
    ]);
    const audit = await testDb.db
      .selectFrom('audit_log')
      .select(['store_id', 'after'])
      .where('action', '=', 'store_product.copy')
      .where('entity_id', '=', String(to.id))
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      store_id: to.id,
      after: { from_store_id: from.id, copied: 2, deactivated: 1 },
    });
  });

  it('copy is atomic: a failure midway leaves the target as it was', async () => {
    const p1 = await createProduct(testDb.db);
    const p2 = await createProduct(testDb.db);
    const from = await createStore(testDb.db);
    const to = await createStore(testDb.db);
    await createStoreProduct(testDb.db, from.id, p1.id, { price_override: '10.00' });
    await createStoreProduct(testDb.db, to.id, p2.id);
    const before = await listing(to.id);
    const auditsBefore = await auditCount('store_product.copy');
    await failInsertsFor(to.id);
    try {
      await expect(
        callAction(testDb, gridRoute.action, admin, {
          intent: 'copy',
          from_store_id: String(from.id),
          to_store_id: String(to.id),
        }),
      ).rejects.toThrow(/boom/);
    } finally {
      await removeTrigger();
    }
    expect(await listing(to.id)).toEqual(before);
    expect(await auditCount('store_product.copy')).toBe(auditsBefore);
  });

  it('refuses copying a store onto itself with a field error', async () => {
    const store = await createStore(testDb.db);
    const res = await callAction(testDb, gridRoute.action, admin, {
      intent: 'copy',
      from_store_id: String(store.id),
      to_store_id: String(store.id),
    });
    expect(res.status).toBe(400);
    expect(fieldErrors(res.body).to_store_id).toEqual(['menu.error.sameStore']);
  });

  it('loads the grid for a page of products across all stores', async () => {
    const res = await callLoader(testDb, gridRoute.loader, admin, '/admin/menu/stores?page=1');
    expect(res.status).toBe(200);
    const body = res.body as { stores: unknown[]; products: unknown[]; cells: unknown[] };
    expect(body.stores.length).toBeGreaterThan(0);
    expect(body.products.length).toBeGreaterThan(0);
  });
});
