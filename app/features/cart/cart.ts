import { z } from 'zod';

/**
 * The customer's cart (PR-5 limits), kept per store in a signed cookie (ADR 0011). It holds what
 * was chosen — product, quantity, option items — and never a price: every page prices the lines
 * from the database through the checkout quote. Pure functions, so the cookie codec and the cart
 * rules are unit-tested without a request.
 */

export const CART_VERSION = 1;
/** PR-5: an order has 1..30 lines. */
export const MAX_CART_LINES = 30;
/** PR-5 / `order_item_quantity_range`: quantity 1..99. */
export const MAX_LINE_QUANTITY = 99;
/** A product has at most four option groups; toppings are few. A bound keeps the cookie small. */
export const MAX_LINE_OPTIONS = 20;
/** Carts of this many stores at most; a new store's cart replaces the oldest-id one beyond it. */
export const MAX_CART_STORES = 5;

const id = z.number().int().positive().max(2_147_483_647);

export const cartLineSchema = z.object({
  product_id: id,
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
  option_item_ids: z.array(id).max(MAX_LINE_OPTIONS),
});

export type CartLine = z.output<typeof cartLineSchema>;

const storeKey = z.string().regex(/^[1-9][0-9]{0,9}$/);

export const cartSchema = z.object({
  v: z.literal(CART_VERSION),
  stores: z
    .record(storeKey, z.array(cartLineSchema).max(MAX_CART_LINES))
    .refine((stores) => Object.keys(stores).length <= MAX_CART_STORES),
});

export type Cart = z.output<typeof cartSchema>;

export function emptyCart(): Cart {
  return { v: CART_VERSION, stores: {} };
}

/** Option ids as a set: sorted, without duplicates (the order of ticking never matters). */
export function normalizeOptionIds(ids: readonly number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

/** Identifies a line within a store's cart: the product and its option set (PR-5). */
export function lineKey(line: Pick<CartLine, 'product_id' | 'option_item_ids'>): string {
  return `${line.product_id}:${normalizeOptionIds(line.option_item_ids).join('.')}`;
}

/**
 * Any decoded cookie value → a valid cart. Anything that does not match the schema (a tampered
 * or stale cookie, an older version, a limit exceeded) is an empty cart, never an error. Lines
 * are normalised and identical ones merged, so the rest of the code can rely on unique keys.
 */
export function parseCart(value: unknown): Cart {
  const parsed = cartSchema.safeParse(value);
  if (!parsed.success) return emptyCart();
  const cart = emptyCart();
  for (const [store, lines] of Object.entries(parsed.data.stores)) {
    const merged: CartLine[] = [];
    for (const line of lines) {
      const normalized = { ...line, option_item_ids: normalizeOptionIds(line.option_item_ids) };
      const same = merged.find((l) => lineKey(l) === lineKey(normalized));
      if (same) same.quantity = Math.min(MAX_LINE_QUANTITY, same.quantity + normalized.quantity);
      else merged.push(normalized);
    }
    if (merged.length > 0) cart.stores[store] = merged;
  }
  return cart;
}

export function storeLines(cart: Cart, storeId: number): CartLine[] {
  return cart.stores[String(storeId)] ?? [];
}

/** Units in a store's cart (the header badge). */
export function itemCount(cart: Cart, storeId: number): number {
  return storeLines(cart, storeId).reduce((n, line) => n + line.quantity, 0);
}

/** Store ids with a non-empty cart, ascending. */
export function cartStoreIds(cart: Cart): number[] {
  return Object.keys(cart.stores)
    .filter((k) => (cart.stores[k]?.length ?? 0) > 0)
    .map(Number)
    .sort((a, b) => a - b);
}

function withStoreLines(cart: Cart, storeId: number, lines: CartLine[]): Cart {
  const stores = { ...cart.stores };
  const key = String(storeId);
  if (lines.length === 0) {
    delete stores[key];
  } else {
    stores[key] = lines;
    // the cookie holds a few stores at most; the other stores' oldest carts give way
    const others = Object.keys(stores)
      .filter((k) => k !== key)
      .sort((a, b) => Number(a) - Number(b));
    while (others.length + 1 > MAX_CART_STORES) delete stores[others.shift()!];
  }
  return { v: CART_VERSION, stores };
}

export type AddResult =
  | { ok: true; cart: Cart; quantity: number; capped: boolean }
  | { ok: false; reason: 'TOO_MANY_LINES' | 'QUANTITY_INVALID' | 'TOO_MANY_OPTIONS' };

/**
 * Adds a line to a store's cart. The same product with the same options merges into one line by
 * adding the quantity, capped at {@link MAX_LINE_QUANTITY} (`capped` tells the UI); a new line
 * beyond {@link MAX_CART_LINES} is refused.
 */
export function addLine(cart: Cart, storeId: number, line: CartLine): AddResult {
  if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_LINE_QUANTITY)
    return { ok: false, reason: 'QUANTITY_INVALID' };
  const options = normalizeOptionIds(line.option_item_ids);
  if (options.length > MAX_LINE_OPTIONS) return { ok: false, reason: 'TOO_MANY_OPTIONS' };
  const incoming: CartLine = { ...line, option_item_ids: options };
  const key = lineKey(incoming);
  const lines = storeLines(cart, storeId).map((l) => ({ ...l }));
  const existing = lines.find((l) => lineKey(l) === key);
  if (existing) {
    const wanted = existing.quantity + incoming.quantity;
    existing.quantity = Math.min(MAX_LINE_QUANTITY, wanted);
    return {
      ok: true,
      cart: withStoreLines(cart, storeId, lines),
      quantity: existing.quantity,
      capped: wanted > MAX_LINE_QUANTITY,
    };
  }
  if (lines.length >= MAX_CART_LINES) return { ok: false, reason: 'TOO_MANY_LINES' };
  lines.push(incoming);
  return {
    ok: true,
    cart: withStoreLines(cart, storeId, lines),
    quantity: incoming.quantity,
    capped: false,
  };
}

/** Sets a line's quantity (clamped to 1..99); 0 removes it. Unknown keys leave the cart as is. */
export function setLineQuantity(cart: Cart, storeId: number, key: string, quantity: number): Cart {
  if (!Number.isInteger(quantity)) return cart;
  if (quantity <= 0) return removeLine(cart, storeId, key);
  const lines = storeLines(cart, storeId).map((l) =>
    lineKey(l) === key ? { ...l, quantity: Math.min(MAX_LINE_QUANTITY, quantity) } : l,
  );
  return withStoreLines(cart, storeId, lines);
}

export function removeLine(cart: Cart, storeId: number, key: string): Cart {
  return withStoreLines(
    cart,
    storeId,
    storeLines(cart, storeId).filter((l) => lineKey(l) !== key),
  );
}

export function clearStore(cart: Cart, storeId: number): Cart {
  return withStoreLines(cart, storeId, []);
}

/** Drops every store's cart but this one (the cookie is about to outgrow the browser's limit). */
export function keepOnlyStore(cart: Cart, storeId: number): Cart {
  const lines = storeLines(cart, storeId);
  return lines.length > 0 ? { v: CART_VERSION, stores: { [String(storeId)]: lines } } : emptyCart();
}
