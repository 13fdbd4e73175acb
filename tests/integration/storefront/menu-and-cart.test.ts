import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loader as layoutLoader } from '../../../app/routes/_shop';
import { loader as pickerLoader } from '../../../app/routes/_shop._index';
import { loader as menuLoader } from '../../../app/routes/_shop.menu.$storeCode._index';
import {
  action as cartAction,
  loader as cartLoader,
} from '../../../app/routes/_shop.cart.$storeCode';
import {
  action as productAction,
  loader as productLoader,
} from '../../../app/routes/_shop.menu.$storeCode.p.$productId';
import { createStore } from '../../factories/catalog';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { BASE } from '../auth/helpers';
import {
  cartCookieFrom,
  cookieHeader,
  cookiesFrom,
  createShop,
  formRequest,
  getRequest,
  run,
  type Shop,
} from './helpers';

let testDb: TestDatabase;
let shop: Shop;

beforeAll(async () => {
  testDb = await createTestDatabase();
  shop = await createShop(testDb);
});

afterAll(async () => {
  await testDb.destroy();
});

const storeParams = () => ({ storeCode: shop.store.code });

async function addToCart(
  fields: Record<string, string | string[]>,
  cookie?: string,
  productId?: number,
) {
  return run(
    testDb,
    productAction,
    formRequest(
      `/menu/${shop.store.code}/p/${productId ?? shop.milkTea.id}`,
      { intent: 'add', ...fields },
      { cookie },
    ),
    { ...storeParams(), productId: String(productId ?? shop.milkTea.id) },
  );
}

async function cartOf(cookie: string | undefined) {
  const response = await run(
    testDb,
    cartLoader,
    getRequest(`/cart/${shop.store.code}`, cookie),
    storeParams(),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as {
    lines: {
      key: string;
      name: string;
      options: string[];
      quantity: number;
      lineTotalKopecks: number | null;
    }[];
    subtotalKopecks: number;
    ready: boolean;
  };
}

describe('store picker', () => {
  it('lists active stores with their open state, and no inactive store', async () => {
    const closed = await createStore(testDb.db, { opening_hours: JSON.stringify({}) });
    const inactive = await createStore(testDb.db, { is_active: false });
    const response = await run(testDb, pickerLoader, getRequest('/'));
    const { stores } = (await response.json()) as {
      stores: { code: string; open: boolean; pickupEnabled: boolean }[];
    };
    const byCode = new Map(stores.map((s) => [s.code, s]));
    expect(byCode.get(shop.store.code)).toMatchObject({ open: true, pickupEnabled: true });
    expect(byCode.get(closed.code)).toMatchObject({ open: false });
    expect(byCode.has(inactive.code)).toBe(false);
  });
});

describe('menu', () => {
  it('answers 404 for an unknown, malformed or inactive store', async () => {
    const inactive = await createStore(testDb.db, { is_active: false });
    for (const storeCode of ['NOPE-99', '../etc', 'x'.repeat(40), inactive.code]) {
      const response = await run(
        testDb,
        menuLoader,
        getRequest(`/menu/${encodeURIComponent(storeCode)}`),
        {
          storeCode,
        },
      );
      expect(response.status, storeCode).toBe(404);
    }
  });

  it('shows products by category, sold-out ones not sellable', async () => {
    const response = await run(
      testDb,
      menuLoader,
      getRequest(`/menu/${shop.store.code}`),
      storeParams(),
    );
    expect(response.status).toBe(200);
    const data = (await response.json()) as {
      store: { code: string; open: boolean };
      categories: {
        name: string;
        products: { id: number; sellable: boolean; priceKopecks: number; fromPrice: boolean }[];
      }[];
    };
    expect(data.store).toMatchObject({ code: shop.store.code, open: true });
    const products = new Map(data.categories.flatMap((c) => c.products).map((p) => [p.id, p]));
    expect(products.get(shop.milkTea.id)).toMatchObject({
      sellable: true,
      priceKopecks: 35000,
      fromPrice: true,
    });
    expect(products.get(shop.lemonade.id)).toMatchObject({ sellable: true, fromPrice: false });
    expect(products.get(shop.soldOut.id)).toMatchObject({ sellable: false });
  });

  it('has no product sheet for a sold-out, unknown or malformed product', async () => {
    for (const productId of [String(shop.soldOut.id), '999999', 'abc', '0', '99999999999']) {
      const response = await run(
        testDb,
        productLoader,
        getRequest(`/menu/${shop.store.code}/p/${productId}`),
        {
          ...storeParams(),
          productId,
        },
      );
      expect(response.status, productId).toBe(404);
    }
  });

  it('gives the product sheet its option groups with the default marked', async () => {
    const productId = String(shop.milkTea.id);
    const response = await run(
      testDb,
      productLoader,
      getRequest(`/menu/${shop.store.code}/p/${productId}`),
      {
        ...storeParams(),
        productId,
      },
    );
    const { product } = (await response.json()) as {
      product: { optionGroups: { code: string; defaultItemId: number | null; multi: boolean }[] };
    };
    expect(product.optionGroups).toEqual([
      expect.objectContaining({
        code: shop.sugar.code,
        defaultItemId: shop.normal.id,
        multi: false,
      }),
      expect.objectContaining({ code: shop.toppings.code, defaultItemId: null, multi: true }),
    ]);
  });
});

describe('add to cart', () => {
  it('stores the line in the signed cookie, confirms with a toast and returns to the menu', async () => {
    const response = await addToCart({
      quantity: '2',
      [`option.${shop.sugar.id}`]: String(shop.normal.id),
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe(`/menu/${shop.store.code}`);
    const cookies = cookiesFrom(response);
    expect(cookies.some((c) => c.startsWith('ctea_cart='))).toBe(true);
    expect(cookies.some((c) => c.startsWith('ctea_flash='))).toBe(true);

    // the next page's layout shows the toast once and the cart count of this store
    const layout = await run(
      testDb,
      layoutLoader,
      getRequest(`/menu/${shop.store.code}`, cookieHeader(...cookies)),
      storeParams(),
    );
    const header = (await layout.json()) as {
      cart: { count: number };
      toast: { key: string; params: { name: string } };
    };
    expect(header.cart.count).toBe(2);
    expect(header.toast).toMatchObject({
      key: 'cart.toast.added',
      params: { name: 'Молочный улун' },
    });
    expect(layout.headers.get('Set-Cookie')).toMatch(/^ctea_flash=;.*Max-Age=0/);

    const cart = await cartOf(cartCookieFrom(response));
    expect(cart.lines).toEqual([
      expect.objectContaining({
        name: 'Молочный улун',
        options: ['Обычный'],
        quantity: 2,
        lineTotalKopecks: 70000,
      }),
    ]);
    expect(cart.subtotalKopecks).toBe(70000);
    expect(cart.ready).toBe(true);
  });

  it('merges the same drink with the same options and keeps other options apart', async () => {
    const first = await addToCart({
      quantity: '1',
      [`option.${shop.sugar.id}`]: String(shop.normal.id),
      [`option.${shop.toppings.id}`]: String(shop.tapioca.id),
    });
    const cookie = cartCookieFrom(first);
    const second = await addToCart(
      {
        quantity: '2',
        [`option.${shop.toppings.id}`]: String(shop.tapioca.id),
        [`option.${shop.sugar.id}`]: String(shop.normal.id),
      },
      cookie,
    );
    const third = await addToCart(
      { quantity: '1', [`option.${shop.sugar.id}`]: String(shop.half.id) },
      cartCookieFrom(second),
    );
    const cart = await cartOf(cartCookieFrom(third));
    expect(cart.lines.map((l) => [l.options, l.quantity, l.lineTotalKopecks])).toEqual([
      [['Обычный', 'Тапиока'], 3, 120000],
      [['Половина'], 1, 35000],
    ]);
  });

  it('answers bad input with 4xx and an error body, never a 500, and leaves the cart alone', async () => {
    const sugar = `option.${shop.sugar.id}`;
    const cases: { fields: Record<string, string | string[]>; status: number; code: string }[] = [
      {
        fields: { quantity: 'abc', [sugar]: String(shop.normal.id) },
        status: 400,
        code: 'QUANTITY_INVALID',
      },
      {
        fields: { quantity: '0', [sugar]: String(shop.normal.id) },
        status: 400,
        code: 'QUANTITY_INVALID',
      },
      {
        fields: { quantity: '100', [sugar]: String(shop.normal.id) },
        status: 400,
        code: 'QUANTITY_INVALID',
      },
      {
        fields: { quantity: '1e3', [sugar]: String(shop.normal.id) },
        status: 400,
        code: 'QUANTITY_INVALID',
      },
      { fields: { quantity: '1' }, status: 400, code: 'OPTION_REQUIRED' },
      {
        fields: { quantity: '1', [sugar]: [String(shop.normal.id), String(shop.half.id)] },
        status: 400,
        code: 'OPTION_INVALID',
      },
      { fields: { quantity: '1', [sugar]: '999999' }, status: 400, code: 'OPTION_INVALID' },
      {
        fields: { quantity: '1', [sugar]: '1; select pg_sleep(1)--' },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      { fields: { quantity: '1', [sugar]: '-5' }, status: 400, code: 'VALIDATION_FAILED' },
      {
        fields: { quantity: '1', [sugar]: Array.from({ length: 60 }, (_, i) => String(i + 1)) },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
    ];
    for (const { fields, status, code } of cases) {
      const response = await addToCart(fields);
      expect(response.status, JSON.stringify(fields)).toBe(status);
      const body = (await response.json()) as { error: { code: string; message_key: string } };
      expect(body.error.code, JSON.stringify(fields)).toBe(code);
      expect(body.error.message_key).toMatch(/^(cart|checkout)\./);
      expect(response.headers.get('Set-Cookie')).toBeNull();
    }

    const soldOut = await addToCart({ quantity: '1' }, undefined, shop.soldOut.id);
    expect(soldOut.status).toBe(409);
    const unknown = await addToCart({ quantity: '1' }, undefined, 999_999);
    expect(unknown.status).toBe(404);
    const intent = await run(
      testDb,
      productAction,
      formRequest(`/menu/${shop.store.code}/p/${shop.milkTea.id}`, { intent: 'buy-everything' }),
      { ...storeParams(), productId: String(shop.milkTea.id) },
    );
    expect(intent.status).toBe(400);
    const badParam = await run(
      testDb,
      productAction,
      formRequest(`/menu/${shop.store.code}/p/x`, { intent: 'add', quantity: '1' }),
      { ...storeParams(), productId: 'x' },
    );
    expect(badParam.status).toBe(404);
    const badStore = await run(
      testDb,
      productAction,
      formRequest(`/menu/NOPE/p/1`, { intent: 'add', quantity: '1' }),
      { storeCode: 'NOPE', productId: '1' },
    );
    expect(badStore.status).toBe(404);
  });

  it('refuses a cross-site post', async () => {
    const response = await run(
      testDb,
      productAction,
      formRequest(
        `/menu/${shop.store.code}/p/${shop.milkTea.id}`,
        { intent: 'add', quantity: '1', [`option.${shop.sugar.id}`]: String(shop.normal.id) },
        { origin: 'https://evil.example' },
      ),
      { ...storeParams(), productId: String(shop.milkTea.id) },
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('Set-Cookie')).toBeNull();
    // the same post from our own origin goes through
    const same = await run(
      testDb,
      productAction,
      formRequest(
        `/menu/${shop.store.code}/p/${shop.milkTea.id}`,
        { intent: 'add', quantity: '1', [`option.${shop.sugar.id}`]: String(shop.normal.id) },
        { origin: new URL(BASE).origin },
      ),
      { ...storeParams(), productId: String(shop.milkTea.id) },
    );
    expect(same.status).toBe(302);
  });
});

describe('cart page', () => {
  async function filledCart() {
    const first = await addToCart({
      quantity: '2',
      [`option.${shop.sugar.id}`]: String(shop.normal.id),
    });
    const second = await addToCart({ quantity: '1' }, cartCookieFrom(first), shop.lemonade.id);
    return cartCookieFrom(second);
  }

  async function change(cookie: string, fields: Record<string, string>) {
    return run(
      testDb,
      cartAction,
      formRequest(`/cart/${shop.store.code}`, fields, { cookie }),
      storeParams(),
    );
  }

  it('changes a quantity, removes a line and clears the cart', async () => {
    let cookie = await filledCart();
    let cart = await cartOf(cookie);
    const [tea, lemonade] = cart.lines;

    let response = await change(cookie, { intent: 'quantity', key: tea!.key, quantity: '5' });
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe(`/cart/${shop.store.code}`);
    cookie = cartCookieFrom(response);
    cart = await cartOf(cookie);
    expect(cart.lines.map((l) => l.quantity)).toEqual([5, 1]);
    expect(cart.subtotalKopecks).toBe(5 * 35000 + 15000);

    response = await change(cookie, { intent: 'remove', key: lemonade!.key });
    cookie = cartCookieFrom(response);
    expect((await cartOf(cookie)).lines.map((l) => l.name)).toEqual(['Молочный улун']);

    response = await change(cookie, { intent: 'quantity', key: tea!.key, quantity: '0' });
    expect(response.headers.get('Set-Cookie')).toMatch(/^ctea_cart=;.*Max-Age=0/);

    cookie = await filledCart();
    response = await change(cookie, { intent: 'clear' });
    expect(response.headers.getSetCookie().some((h) => /^ctea_cart=;.*Max-Age=0/.test(h))).toBe(
      true,
    );
  });

  it('refuses malformed changes with 400', async () => {
    const cookie = await filledCart();
    for (const fields of [
      { intent: 'quantity', key: 'x', quantity: '2' },
      { intent: 'quantity', key: `${shop.milkTea.id}:`, quantity: '-1' },
      { intent: 'quantity', key: `${shop.milkTea.id}:`, quantity: '100' },
      { intent: 'remove', key: '' },
      { intent: 'explode' },
      {},
    ]) {
      const response = await change(cookie, fields as Record<string, string>);
      expect(response.status, JSON.stringify(fields)).toBe(400);
    }
  });

  it('reads a tampered cookie as an empty cart', async () => {
    const cookie = await filledCart();
    const [name, value] = [
      cookie.slice(0, cookie.indexOf('=')),
      cookie.slice(cookie.indexOf('=') + 1),
    ];
    const flipped = value[10] === 'A' ? 'B' : 'A';
    const tampered = `${name}=${value.slice(0, 10)}${flipped}${value.slice(11)}`;
    expect((await cartOf(tampered)).lines).toEqual([]);
    expect((await cartOf('ctea_cart=e30%3D')).lines).toEqual([]);
  });

  it('names a line that can no longer be ordered and blocks checkout until it is removed', async () => {
    const cookie = await filledCart();
    await testDb.db
      .updateTable('store_product')
      .set({ stock_status: 'OUT_OF_STOCK' })
      .where('store_id', '=', shop.store.id)
      .where('product_id', '=', shop.lemonade.id)
      .execute();
    try {
      const cart = await cartOf(cookie);
      expect(cart.ready).toBe(false);
      const lemonade = cart.lines.find((l) => l.name === 'Лимонад');
      expect(lemonade).toMatchObject({
        lineTotalKopecks: null,
        problem: { code: 'PRODUCT_UNAVAILABLE', message_key: 'checkout.error.PRODUCT_UNAVAILABLE' },
      });
    } finally {
      await testDb.db
        .updateTable('store_product')
        .set({ stock_status: 'IN_STOCK' })
        .where('store_id', '=', shop.store.id)
        .where('product_id', '=', shop.lemonade.id)
        .execute();
    }
  });
});
