import { describe, expect, it } from 'vitest';
import { addLine, emptyCart, MAX_CART_LINES, storeLines, type Cart } from './cart';
import { CART_COOKIE_BUDGET, CART_COOKIE_NAME, commitCart, readCart } from './cart-cookie.server';

function requestWith(cookie: string | null): Request {
  return new Request('http://localhost/', { headers: cookie ? { Cookie: cookie } : {} });
}

/** `name=value` of a Set-Cookie header, as the browser sends it back. */
function sent(setCookie: string): string {
  return setCookie.split(';', 1)[0]!;
}

function cartOf(storeId: number, lines: number, options: number[] = []): Cart {
  let cart = emptyCart();
  for (let i = 1; i <= lines; i++) {
    const result = addLine(cart, storeId, {
      product_id: 1000 + i,
      quantity: 2,
      option_item_ids: options,
    });
    if (!result.ok) throw new Error(result.reason);
    cart = result.cart;
  }
  return cart;
}

describe('cart cookie', () => {
  it('round-trips a cart through Set-Cookie and Cookie', async () => {
    const cart = cartOf(7, 3, [11, 12]);
    const committed = await commitCart(cart, 7);
    expect(committed).not.toBeNull();
    const header = committed!.header;
    expect(header).toMatch(new RegExp(`^${CART_COOKIE_NAME}=`));
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Lax');
    expect(header).toContain('Path=/');
    expect(await readCart(requestWith(sent(header)))).toEqual(cart);
  });

  it('holds no prices', async () => {
    const { header } = (await commitCart(cartOf(7, 2), 7))!;
    const value = decodeURIComponent(sent(header).split('=').slice(1).join('='));
    const json = Buffer.from(value.slice(0, value.lastIndexOf('.')), 'base64').toString('utf8');
    expect(Object.keys(JSON.parse(json))).toEqual(['v', 'stores']);
    expect(json).not.toMatch(/price|amount|total/i);
  });

  it('reads a missing, tampered, unsigned or foreign cookie as an empty cart', async () => {
    const { header } = (await commitCart(cartOf(7, 2), 7))!;
    const [name, value] = [CART_COOKIE_NAME, sent(header).slice(CART_COOKIE_NAME.length + 1)];
    const decoded = decodeURIComponent(value);
    const dot = decoded.lastIndexOf('.');
    const payload = decoded.slice(0, dot);
    const signature = decoded.slice(dot + 1);

    // another cart with the original signature
    const forged = Buffer.from(
      JSON.stringify({
        v: 1,
        stores: { '7': [{ product_id: 1, quantity: 99, option_item_ids: [] }] },
      }),
    ).toString('base64');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('A') ? 'B' : 'A'}=`;

    const cookies = [
      null,
      'other=1',
      `${name}=`,
      `${name}=garbage`,
      `${name}=${encodeURIComponent(payload)}`,
      `${name}=${encodeURIComponent(`${forged}.${signature}`)}`,
      `${name}=${encodeURIComponent(`${payload}.${flipped}`)}`,
      `${name}=%E0%A4%A`,
    ];
    for (const cookie of cookies) {
      expect(await readCart(requestWith(cookie)), String(cookie)).toEqual(emptyCart());
    }
  });

  it('reads a correctly signed value of the wrong shape as an empty cart', async () => {
    // signed by us, but not a cart (e.g. an older cookie version)
    const { createCookie } = await import('@remix-run/node');
    const { getEnv } = await import('~/utils/env.server');
    const old = createCookie(CART_COOKIE_NAME, { secrets: [getEnv().SESSION_SECRET] });
    const header = await old.serialize({ items: [{ product_id: 1, quantity: 1 }] });
    expect(await readCart(requestWith(sent(header)))).toEqual(emptyCart());
    const v2 = await old.serialize({ v: 2, stores: {} });
    expect(await readCart(requestWith(sent(v2)))).toEqual(emptyCart());
  });

  it('expires the cookie when the cart becomes empty', async () => {
    const { header } = (await commitCart(emptyCart(), 7))!;
    expect(header).toMatch(new RegExp(`^${CART_COOKIE_NAME}=;`));
    expect(header).toContain('Max-Age=0');
  });

  it('fits a full cart of one store with typical options', async () => {
    const committed = await commitCart(cartOf(7, MAX_CART_LINES, [101, 205, 309, 412]), 7);
    expect(committed).not.toBeNull();
    expect(Buffer.byteLength(sent(committed!.header))).toBeLessThanOrEqual(CART_COOKIE_BUDGET);
  });

  it("drops other stores' carts before refusing, and refuses what cannot fit at all", async () => {
    const big = (storeId: number) => cartOf(storeId, MAX_CART_LINES, [101, 205, 309, 412]);
    const both: Cart = { v: 1, stores: { ...big(7).stores, ...big(8).stores } };
    const committed = await commitCart(both, 8);
    expect(committed).not.toBeNull();
    expect(Object.keys(committed!.cart.stores)).toEqual(['8']);
    expect(storeLines(committed!.cart, 8)).toHaveLength(MAX_CART_LINES);

    const huge = cartOf(
      7,
      MAX_CART_LINES,
      Array.from({ length: 20 }, (_, i) => 1_000_000 + i),
    );
    expect(await commitCart(huge, 7)).toBeNull();
  });
});
