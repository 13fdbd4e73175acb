import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { action, loader } from '../../../app/routes/api.v1.stores.$storeCode.menu';
import { createProduct, createStore, createStoreProduct } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { BASE, contextFor } from '../auth/helpers';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.destroy();
});

function call(code: string, init: { search?: string; headers?: Record<string, string> } = {}) {
  return loader({
    request: new Request(`${BASE}/api/v1/stores/${code}/menu${init.search ?? ''}`, {
      headers: init.headers,
    }),
    params: { storeCode: code },
    context: contextFor(testDb),
  });
}

describe('GET /api/v1/stores/:storeCode/menu', () => {
  it("returns an active store's localized menu with a short cache", async () => {
    const store = await createStore(testDb.db, { name_ru: 'Бар', name_en: 'Bar' });
    const product = await createProduct(testDb.db, { name_ru: 'Чай', name_en: 'Tea' });
    await createStoreProduct(testDb.db, store.id, product.id, {
      price_override: '199.00',
      stock_status: 'OUT_OF_STOCK',
    });

    const response = await call(store.code, { headers: { 'Accept-Language': 'en-US,en;q=0.9' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toMatch(/max-age=\d+/);
    const body = await response.json();
    expect(body.store).toMatchObject({ code: store.code, name: 'Bar' });
    expect(body.categories[0].products[0]).toMatchObject({
      id: product.id,
      name: 'Tea',
      priceKopecks: 19900,
      stockStatus: 'OUT_OF_STOCK',
      sellable: false,
    });

    const ru = await (await call(store.code, { search: '?lang=ru' })).json();
    expect(ru.store.name).toBe('Бар');
  });

  it('answers 404 JSON for unknown, inactive or malformed store codes', async () => {
    const closed = await createStore(testDb.db, { is_active: false });
    for (const code of [closed.code, 'NOPE-1', 'bad code!', 'X'.repeat(40)]) {
      const response = await call(code);
      expect(response.status, code).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'STORE_NOT_FOUND' } });
    }
  });

  it('is read-only', async () => {
    const response = action({
      request: new Request(`${BASE}/api/v1/stores/X/menu`, { method: 'POST' }),
      params: { storeCode: 'X' },
      context: contextFor(testDb),
    });
    expect(response.status).toBe(405);
  });
});
