import { createCookie, type Cookie } from '@remix-run/node';
import { getEnv } from '~/utils/env.server';
import { emptyCart, keepOnlyStore, parseCart, storeLines, type Cart } from './cart';

/**
 * The cart cookie (ADR 0011): `ctea_cart`, HttpOnly, SameSite=Lax, signed with SESSION_SECRET so a
 * browser cannot write lines the server did not accept. It is parsed with zod on every read; an
 * unsigned, tampered or malformed value is an empty cart.
 */

export const CART_COOKIE_NAME = 'ctea_cart';
const MAX_AGE_S = 60 * 60 * 24 * 30;
/** Browsers keep cookies up to 4096 bytes of name=value; stay clear of the edge. */
export const CART_COOKIE_BUDGET = 3800;

let cached: { secret: string; secure: boolean; cookie: Cookie } | null = null;

function cartCookie(): Cookie {
  const env = getEnv();
  if (!cached || cached.secret !== env.SESSION_SECRET || cached.secure !== env.isProduction) {
    cached = {
      secret: env.SESSION_SECRET,
      secure: env.isProduction,
      cookie: createCookie(CART_COOKIE_NAME, {
        secrets: [env.SESSION_SECRET],
        httpOnly: true,
        sameSite: 'lax',
        secure: env.isProduction,
        path: '/',
        maxAge: MAX_AGE_S,
      }),
    };
  }
  return cached.cookie;
}

export async function readCart(request: Request): Promise<Cart> {
  try {
    return parseCart(await cartCookie().parse(request.headers.get('Cookie')));
  } catch {
    // a header the cookie parser cannot read at all is as good as no cart
    return emptyCart();
  }
}

async function serialize(cart: Cart): Promise<string> {
  if (Object.keys(cart.stores).length === 0) return cartCookie().serialize('', { maxAge: 0 });
  return cartCookie().serialize(cart);
}

function cookieBytes(header: string): number {
  return Buffer.byteLength(header.split(';', 1)[0] ?? '');
}

/**
 * The Set-Cookie header that stores `cart`. When the cookie would outgrow the browser's limit, the
 * other stores' carts are dropped first (the visitor is shopping in `storeId` now); null when even
 * this store's cart alone does not fit, so the caller refuses the change.
 */
export async function commitCart(
  cart: Cart,
  storeId: number,
): Promise<{ header: string; cart: Cart } | null> {
  const header = await serialize(cart);
  if (cookieBytes(header) <= CART_COOKIE_BUDGET) return { header, cart };
  const trimmed = keepOnlyStore(cart, storeId);
  if (storeLines(trimmed, storeId).length === 0) return null;
  const trimmedHeader = await serialize(trimmed);
  return cookieBytes(trimmedHeader) <= CART_COOKIE_BUDGET
    ? { header: trimmedHeader, cart: trimmed }
    : null;
}
