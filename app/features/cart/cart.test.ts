import { describe, expect, it } from 'vitest';
import {
  addLine,
  cartStoreIds,
  clearStore,
  emptyCart,
  itemCount,
  lineKey,
  MAX_CART_LINES,
  MAX_CART_STORES,
  MAX_LINE_QUANTITY,
  parseCart,
  removeLine,
  setLineQuantity,
  storeLines,
  type Cart,
  type CartLine,
} from './cart';

const line = (product_id: number, quantity = 1, option_item_ids: number[] = []): CartLine => ({
  product_id,
  quantity,
  option_item_ids,
});

function added(cart: Cart, storeId: number, l: CartLine): Cart {
  const result = addLine(cart, storeId, l);
  if (!result.ok) throw new Error(`addLine refused: ${result.reason}`);
  return result.cart;
}

describe('parseCart', () => {
  it('accepts the documented shape', () => {
    const value = { v: 1, stores: { '7': [line(3, 2, [11, 12])] } };
    expect(parseCart(value)).toEqual(value);
  });

  it('turns anything else into an empty cart', () => {
    const invalid: unknown[] = [
      null,
      undefined,
      '',
      'cart',
      42,
      {},
      [],
      { v: 2, stores: {} },
      { v: 1 },
      { v: 1, stores: [] },
      { v: 1, stores: { abc: [line(1)] } },
      { v: 1, stores: { '0': [line(1)] } },
      { v: 1, stores: { '7': [{ product_id: 1, quantity: 0, option_item_ids: [] }] } },
      { v: 1, stores: { '7': [{ product_id: 1, quantity: 100, option_item_ids: [] }] } },
      { v: 1, stores: { '7': [{ product_id: 1, quantity: 1.5, option_item_ids: [] }] } },
      { v: 1, stores: { '7': [{ product_id: -1, quantity: 1, option_item_ids: [] }] } },
      { v: 1, stores: { '7': [{ product_id: '1', quantity: 1, option_item_ids: [] }] } },
      { v: 1, stores: { '7': [{ product_id: 1, quantity: 1 }] } },
      { v: 1, stores: { '7': [{ product_id: 1, quantity: 1, option_item_ids: ['x'] }] } },
      { v: 1, stores: { '7': Array.from({ length: MAX_CART_LINES + 1 }, (_, i) => line(i + 1)) } },
      {
        v: 1,
        stores: Object.fromEntries(
          Array.from({ length: MAX_CART_STORES + 1 }, (_, i) => [String(i + 1), [line(1)]]),
        ),
      },
    ];
    for (const value of invalid)
      expect(parseCart(value), JSON.stringify(value)).toEqual(emptyCart());
  });

  it('drops unknown keys such as a price a client tried to add', () => {
    const parsed = parseCart({
      v: 1,
      stores: { '7': [{ ...line(3), price: '1.00' }] },
      total: '1.00',
    });
    expect(parsed).toEqual({ v: 1, stores: { '7': [line(3)] } });
  });

  it('normalises option sets and merges lines that turn out identical', () => {
    const parsed = parseCart({
      v: 1,
      stores: { '7': [line(3, 2, [12, 11]), line(3, 3, [11, 12, 12]), line(4, 1)], '8': [] },
    });
    expect(parsed.stores).toEqual({ '7': [line(3, 5, [11, 12]), line(4, 1)] });
  });
});

describe('addLine', () => {
  it('adds a line to one store without touching the others', () => {
    let cart = added(emptyCart(), 7, line(3, 1, [11]));
    cart = added(cart, 8, line(5));
    expect(storeLines(cart, 7)).toEqual([line(3, 1, [11])]);
    expect(storeLines(cart, 8)).toEqual([line(5)]);
    expect(cartStoreIds(cart)).toEqual([7, 8]);
  });

  it('merges the same product with the same options, whatever their order', () => {
    let cart = added(emptyCart(), 7, line(3, 2, [12, 11]));
    const result = addLine(cart, 7, line(3, 3, [11, 12]));
    expect(result).toMatchObject({ ok: true, quantity: 5, capped: false });
    cart = (result as { cart: Cart }).cart;
    expect(storeLines(cart, 7)).toEqual([line(3, 5, [11, 12])]);
    expect(itemCount(cart, 7)).toBe(5);
  });

  it('keeps the same product with other options as its own line (PR-5)', () => {
    let cart = added(emptyCart(), 7, line(3, 1, [11]));
    cart = added(cart, 7, line(3, 1, [12]));
    cart = added(cart, 7, line(3, 1));
    expect(storeLines(cart, 7).map(lineKey)).toEqual(['3:11', '3:12', '3:']);
    expect(itemCount(cart, 7)).toBe(3);
  });

  it('caps a merged quantity at 99 and says so', () => {
    const cart = added(emptyCart(), 7, line(3, 90));
    const result = addLine(cart, 7, line(3, 20));
    expect(result).toMatchObject({ ok: true, quantity: MAX_LINE_QUANTITY, capped: true });
    expect(storeLines((result as { cart: Cart }).cart, 7)[0]!.quantity).toBe(99);
  });

  it('refuses quantities outside 1..99', () => {
    for (const quantity of [0, -1, 100, 1.5, Number.NaN]) {
      expect(addLine(emptyCart(), 7, line(3, quantity))).toEqual({
        ok: false,
        reason: 'QUANTITY_INVALID',
      });
    }
  });

  it('refuses a 31st line but still merges into an existing one', () => {
    let cart = emptyCart();
    for (let i = 1; i <= MAX_CART_LINES; i++) cart = added(cart, 7, line(i));
    expect(addLine(cart, 7, line(999))).toEqual({ ok: false, reason: 'TOO_MANY_LINES' });
    expect(addLine(cart, 7, line(1))).toMatchObject({ ok: true, quantity: 2 });
    // another store has its own 30 lines
    expect(addLine(cart, 8, line(999))).toMatchObject({ ok: true });
  });

  it('keeps at most a few stores, dropping the lowest store ids first', () => {
    let cart = emptyCart();
    for (let storeId = 1; storeId <= MAX_CART_STORES + 2; storeId++) {
      cart = added(cart, storeId, line(1));
    }
    expect(cartStoreIds(cart)).toEqual([3, 4, 5, 6, 7]);
    // the store being added to always stays, even when its id is the lowest
    cart = added(cart, 1, line(1));
    expect(cartStoreIds(cart)).toContain(1);
    expect(cartStoreIds(cart)).toHaveLength(MAX_CART_STORES);
  });

  it('never mutates the cart it was given', () => {
    const cart = added(emptyCart(), 7, line(3));
    const snapshot = structuredClone(cart);
    addLine(cart, 7, line(3, 5));
    addLine(cart, 7, line(4));
    setLineQuantity(cart, 7, '3:', 9);
    removeLine(cart, 7, '3:');
    expect(cart).toEqual(snapshot);
  });
});

describe('changing lines', () => {
  const start = () => added(added(emptyCart(), 7, line(3, 2, [11])), 7, line(4));

  it('sets a quantity, clamped to 99, and removes the line at 0', () => {
    expect(storeLines(setLineQuantity(start(), 7, '3:11', 5), 7)[0]!.quantity).toBe(5);
    expect(storeLines(setLineQuantity(start(), 7, '3:11', 500), 7)[0]!.quantity).toBe(99);
    expect(storeLines(setLineQuantity(start(), 7, '3:11', 0), 7).map(lineKey)).toEqual(['4:']);
  });

  it('ignores unknown keys and non-integer quantities', () => {
    expect(setLineQuantity(start(), 7, '9:', 5)).toEqual(start());
    expect(setLineQuantity(start(), 7, '3:11', 2.5)).toEqual(start());
    expect(removeLine(start(), 7, 'nope')).toEqual(start());
  });

  it('removes a line, and the store entry with its last line', () => {
    let cart = removeLine(start(), 7, '4:');
    expect(storeLines(cart, 7).map(lineKey)).toEqual(['3:11']);
    cart = removeLine(cart, 7, '3:11');
    expect(cart).toEqual(emptyCart());
  });

  it('clears one store only', () => {
    const cart = clearStore(added(start(), 8, line(5)), 7);
    expect(cartStoreIds(cart)).toEqual([8]);
  });
});
