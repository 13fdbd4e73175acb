import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { csrfTokenFor } from '../../../app/auth/csrf.server';
import { createMemberSession } from '../../../app/auth/session.server';
import { createMember } from '../../factories/access';
import {
  attachOptionGroup,
  createCategory,
  createDeliveryZone,
  createOptionGroup,
  createOptionItem,
  createProduct,
  createStore,
  createStoreProduct,
} from '../../factories/catalog';
import type { Overrides } from '../../factories/support';
import type { TestDatabase } from '../../setup/test-database';
import { BASE, contextFor } from '../auth/helpers';

/**
 * A small storefront for the loader and action tests: a store open around the clock with pickup
 * and a delivery zone, a 350.00 ₽ drink with a required sugar choice (default NORMAL) and an
 * optional 50.00 ₽ topping, a 150.00 ₽ drink without options, and a sold-out drink.
 */
export async function createShop(testDb: TestDatabase, storeOverrides: Overrides<'store'> = {}) {
  const db = testDb.db;
  const allDay = { open: '00:00', close: '00:00' };
  const store = await createStore(db, {
    pickup_enabled: true,
    delivery_enabled: true,
    latitude: '55.7500000',
    longitude: '37.6000000',
    opening_hours: JSON.stringify({
      mon: allDay,
      tue: allDay,
      wed: allDay,
      thu: allDay,
      fri: allDay,
      sat: allDay,
      sun: allDay,
    }),
    ...storeOverrides,
  });
  const zone = await createDeliveryZone(db, store.id, { fee: '150.00', min_order_amount: '0.00' });
  const category = await createCategory(db, { name_ru: 'Молочный чай' });

  const milkTea = await createProduct(db, {
    name_ru: 'Молочный улун',
    base_price: '350.00',
    category_id: category.id,
  });
  const sugar = await createOptionGroup(db, { group_type: 'SUGAR', name_ru: 'Сахар' });
  const normal = await createOptionItem(db, sugar.id, { name_ru: 'Обычный' });
  const half = await createOptionItem(db, sugar.id, { name_ru: 'Половина' });
  const toppings = await createOptionGroup(db, { group_type: 'TOPPING', name_ru: 'Топпинги' });
  const tapioca = await createOptionItem(db, toppings.id, {
    name_ru: 'Тапиока',
    price_delta: '50.00',
  });
  await attachOptionGroup(db, milkTea.id, sugar.id, { default_item_id: normal.id });
  await attachOptionGroup(db, milkTea.id, toppings.id);
  await createStoreProduct(db, store.id, milkTea.id);

  const lemonade = await createProduct(db, {
    name_ru: 'Лимонад',
    base_price: '150.00',
    category_id: category.id,
  });
  await createStoreProduct(db, store.id, lemonade.id);

  const soldOut = await createProduct(db, { name_ru: 'Манго', category_id: category.id });
  await createStoreProduct(db, store.id, soldOut.id, { stock_status: 'OUT_OF_STOCK' });

  return {
    store,
    zone,
    category,
    milkTea,
    sugar,
    normal,
    half,
    toppings,
    tapioca,
    lemonade,
    soldOut,
  };
}

export type Shop = Awaited<ReturnType<typeof createShop>>;

export async function memberSession(testDb: TestDatabase, overrides: Overrides<'member'> = {}) {
  const member = await createMember(testDb.db, overrides);
  const session = await createMemberSession(testDb.db, { memberId: member.id });
  return {
    member,
    cookie: `ctea_session=${session.token}`,
    csrf: csrfTokenFor(session.tokenHash),
  };
}

/** `name=value` pairs of every Set-Cookie, for the next request's Cookie header. */
export function cookiesFrom(response: Response): string[] {
  return response.headers.getSetCookie().map((header) => header.split(';', 1)[0]!);
}

/** A Cookie header from several `name=value` pairs; later ones of the same name win. */
export function cookieHeader(...pairs: (string | null | undefined)[]): string {
  const jar = new Map<string, string>();
  for (const pair of pairs) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

export function cartCookieFrom(response: Response): string {
  const pair = cookiesFrom(response).find((c) => c.startsWith('ctea_cart='));
  if (!pair) throw new Error('no ctea_cart cookie in the response');
  return pair;
}

type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<unknown>;

/** Runs a loader or action; a thrown Response comes back like a returned one. */
export async function run(
  testDb: TestDatabase,
  handler: Handler,
  request: Request,
  params: Record<string, string> = {},
): Promise<Response> {
  try {
    const result = await handler({ request, params, context: contextFor(testDb) });
    if (result instanceof Response) return result;
    throw new Error(`expected a Response, got ${JSON.stringify(result)}`);
  } catch (err) {
    if (err instanceof Response) return err;
    throw err;
  }
}

export function getRequest(path: string, cookie?: string): Request {
  return new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

export function formRequest(
  path: string,
  fields: Record<string, string | string[]>,
  init: { cookie?: string; origin?: string } = {},
): Request {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  }
  return new Request(`${BASE}${path}`, {
    method: 'POST',
    body,
    headers: {
      ...(init.cookie ? { Cookie: init.cookie } : {}),
      ...(init.origin ? { Origin: init.origin } : {}),
    },
  });
}

export function jsonRequest(path: string, body: unknown, cookie?: string): Request {
  return new Request(`${BASE}${path}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
  });
}
