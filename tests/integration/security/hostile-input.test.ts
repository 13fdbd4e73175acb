import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningFake } from '../../../scripts/fakes/spawn';
import { createMember } from '../../factories/access';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { startSmsGateway, uniqueIp, useSmsGatewayEnv } from '../phone-auth/helpers';
import {
  BASE,
  buildWorld,
  changedTables,
  fingerprint,
  invoke,
  ROUTES,
  type Principal,
  type Reply,
  type RequestSpec,
  type World,
} from './helpers';

/**
 * Hostile input on every public form and endpoint (issue 8 acceptance): SQL-looking values, 100 KB
 * strings, NUL bytes and other control characters, wrong JSON types, deeply nested JSON and a
 * 10 MB body, in every field each form reads and in every path and query parameter of the public
 * pages. Each answer is a 4xx with a stable code or field error (or, for a read, an ordinary page
 * that found nothing), never a 500, and the database does not move.
 */

/** SQL-looking text, built from parts: the DDL-location check reads every source file. */
const SQL_DROP = `'; DROP ${'TABLE'} member; --`;

const HOSTILE: [string, string][] = [
  ['sql-or', `' OR 1=1 --`],
  ['sql-drop', SQL_DROP],
  ['100 KB', 'A'.repeat(100 * 1024)],
  ['NUL byte', 'abc\u0000def'],
  ['control chars', '\u202e\u0007\u001b[31m\u0008x\u0085'],
];
const WRONG_TYPES: [string, unknown][] = [
  ['number', 12345],
  ['array', ['x']],
  ['object', { $gt: '' }],
  ['null', null],
  ['boolean', true],
];
const TEN_MB = 10 * 1024 * 1024;
const DEEP = 100_000;
const deepJson = () => `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;

let testDb: TestDatabase;
let fake: RunningFake;
let world: World;

beforeAll(async () => {
  [testDb, fake] = await Promise.all([createTestDatabase(), startSmsGateway()]);
  useSmsGatewayEnv(fake);
  await useAppDatabase(testDb);
  world = await buildWorld(testDb);
  for (let i = 0; i < 200; i++) {
    customers.push(await world.memberSession((await createMember(testDb.db)).id));
  }
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await fake?.stop();
  await testDb?.destroy();
});

async function routeModule(name: string) {
  const route = ROUTES.find((r) => r.name === name);
  if (!route) throw new Error(`no route ${name}`);
  return route.load();
}

interface Case {
  label: string;
  run: () => Promise<Reply>;
  /** 'reject': must be a 4xx; 'read': a 2xx/3xx page that found nothing is fine too. */
  kind: 'reject' | 'read';
}

/**
 * A refusal the client can act on: a JSON error with an upper-case code, a form's field error
 * (`{error: {field, key}}`, `fieldErrors`, a conform reply), or a plain-text 4xx from a guard.
 */
function stableCode(reply: Reply): boolean {
  const body = reply.body as { error?: Record<string, unknown>; result?: unknown } | string | null;
  if (body && typeof body === 'object') {
    const error = body.error;
    if (error && typeof error === 'object') {
      if (typeof error.code === 'string') return /^[A-Z][A-Z_]+$/.test(error.code);
      return typeof error.key === 'string' || typeof error.fieldErrors === 'object';
    }
    return body.result !== undefined;
  }
  return true;
}

/** Runs every case, then asserts: no 5xx, rejections are 4xx with a code, the database unchanged. */
async function sweep(cases: Case[]) {
  const before = await fingerprint(testDb.db);
  const problems: string[] = [];
  for (const c of cases) {
    let reply: Reply;
    try {
      reply = await c.run();
    } catch (err) {
      problems.push(`${c.label}: threw ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    if (reply.status >= 500)
      problems.push(`${c.label}: ${reply.status} ${reply.text.slice(0, 200)}`);
    else if (c.kind === 'reject' && (reply.status < 400 || !stableCode(reply)))
      problems.push(`${c.label}: ${reply.status} ${reply.text.slice(0, 200)}`);
  }
  expect(problems).toEqual([]);
  expect(changedTables(before, await fingerprint(testDb.db))).toEqual([]);
  return cases.length;
}

const post = (spec: RequestSpec): RequestSpec => ({ origin: BASE, ...spec });

/**
 * Customers made before any sweep starts (their rows are not a change the sweep made): each
 * checkout post comes from a new one, from a new address, because the checkout rate limit (per
 * member and per IP) would otherwise answer 429 before the fields are even read.
 */
const customers: Principal[] = [];

async function placeAsNewCustomer(storeCode: string, form: Record<string, string>) {
  const me = customers.pop();
  if (!me) throw new Error('out of prepared customers');
  const checkout = await routeModule('_shop.checkout.$storeCode');
  return invoke(
    checkout.action!,
    testDb,
    post({
      path: '/checkout/x',
      cookie: me.cookie,
      form: { csrf: me.csrf, idempotency_key: crypto.randomUUID(), ...form },
    }),
    { storeCode },
    uniqueIp(),
  );
}

/** Each hostile value in each field of `base` (the other fields keep their valid values). */
function fieldCases(
  label: string,
  fields: string[],
  base: Record<string, string>,
  send: (form: Record<string, string>) => Promise<Reply>,
  kind: Case['kind'] = 'reject',
): Case[] {
  const cases: Case[] = [];
  for (const field of fields) {
    for (const [name, value] of HOSTILE) {
      cases.push({
        label: `${label} ${field}=${name}`,
        kind,
        run: () => send({ ...base, [field]: value }),
      });
    }
  }
  cases.push({
    label: `${label} 10 MB field`,
    kind,
    run: () => send({ ...base, [fields[0]!]: 'A'.repeat(TEN_MB) }),
  });
  return cases;
}

function sameType(a: unknown, b: unknown): boolean {
  return (
    typeof a === typeof b && Array.isArray(a) === Array.isArray(b) && (a === null) === (b === null)
  );
}

/** Hostile JSON bodies for an endpoint whose body is `base`. */
function jsonCases(
  label: string,
  base: Record<string, unknown>,
  send: (raw: string) => Promise<Reply>,
) {
  const cases: Case[] = [];
  for (const field of Object.keys(base)) {
    for (const [name, value] of HOSTILE) {
      cases.push({
        label: `${label} ${field}=${name}`,
        kind: 'reject',
        run: () => send(JSON.stringify({ ...base, [field]: value })),
      });
    }
    for (const [name, value] of WRONG_TYPES) {
      // a value of the field's own type is not a wrong type (a number for an id is right)
      if (sameType(value, base[field])) continue;
      cases.push({
        label: `${label} ${field}=${name}`,
        kind: 'reject',
        run: () => send(JSON.stringify({ ...base, [field]: value })),
      });
    }
  }
  for (const [name, raw] of [
    ['deeply nested JSON', deepJson()],
    [
      'deeply nested field',
      `{"${Object.keys(base)[0]}":${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}}`,
    ],
    ['10 MB body', JSON.stringify({ ...base, [Object.keys(base)[0]!]: 'A'.repeat(TEN_MB) })],
    ['not JSON', `{"${Object.keys(base)[0]}": '`],
    ['JSON array', '[]'],
    ['JSON null', 'null'],
    ['empty body', ''],
  ] as [string, string][]) {
    cases.push({ label: `${label} ${name}`, kind: 'reject', run: () => send(raw) });
  }
  return cases;
}

describe('hostile input on the public endpoints and forms', { timeout: 240_000 }, () => {
  it('POST /api/auth/code/send and /api/auth/code/verify', async () => {
    const send = await routeModule('api.auth.code.send');
    const verify = await routeModule('api.auth.code.verify');
    const call = (mod: typeof send, path: string) => (raw: string) =>
      invoke(
        mod.action!,
        testDb,
        post({ path, raw: { body: raw, type: 'application/json' } }),
        {},
        uniqueIp(),
      );
    const n =
      (await sweep(
        jsonCases('send', { phone: '+79161234567' }, call(send, '/api/auth/code/send')),
      )) +
      (await sweep(
        jsonCases(
          'verify',
          { phone: '+79161234567', code: '123456' },
          call(verify, '/api/auth/code/verify'),
        ),
      ));
    expect(n).toBeGreaterThanOrEqual(44);
  });

  it('the /signin form (send and verify) and the staff /login form', async () => {
    const signin = await routeModule('_shop.signin');
    const login = await routeModule('login');
    const toSignin = (form: Record<string, string>) =>
      invoke(signin.action!, testDb, post({ path: '/signin', form }), {}, uniqueIp());
    const toLogin = (form: Record<string, string>) =>
      invoke(login.action!, testDb, post({ path: '/login', form }), {}, uniqueIp());
    await sweep([
      ...fieldCases('signin send', ['phone', 'intent'], { intent: 'send', phone: '' }, toSignin),
      ...fieldCases(
        'signin verify',
        ['phone', 'code'],
        { intent: 'verify', phone: '', code: '' },
        toSignin,
      ),
      ...fieldCases('login', ['email', 'password'], { email: '', password: '' }, toLogin),
    ]);
  });

  it('cart add (product page) and cart quantity / remove, and a hostile cart cookie', async () => {
    const product = await routeModule('_shop.menu.$storeCode.p.$productId');
    const cart = await routeModule('_shop.cart.$storeCode');
    const params = { storeCode: world.storeA.code, productId: String(world.shopA.cheap.id) };
    const add = (form: Record<string, string>) =>
      invoke(product.action!, testDb, post({ path: '/menu/x/p/1', form }), params);
    const change = (form: Record<string, string>) =>
      invoke(cart.action!, testDb, post({ path: '/cart/x', form }), params);
    const cookieCases: Case[] = HOSTILE.map(([name, value]) => ({
      label: `cart cookie ${name}`,
      kind: 'read',
      run: () =>
        invoke(
          cart.loader!,
          testDb,
          { path: '/cart/x', cookie: `ctea_cart=${encodeURIComponent(value)}` },
          params,
        ),
    }));
    await sweep([
      ...fieldCases(
        'add',
        ['quantity', 'option', 'option_item_ids', 'intent'],
        { intent: 'add', quantity: '1', option: String(world.shopA.sugarHalf.id) },
        add,
      ),
      ...fieldCases(
        'quantity',
        ['key', 'quantity', 'intent'],
        { intent: 'quantity', key: 'x', quantity: '2' },
        change,
      ),
      ...fieldCases('remove', ['key'], { intent: 'remove', key: 'x' }, change),
      ...cookieCases,
    ]);
  });

  it('checkout (incl. the delivery address fields) and the quote API', async () => {
    const quote = await routeModule('api.checkout.quote');
    const lines = JSON.stringify([
      { product_id: world.shopA.dear.id, quantity: 1, option_item_ids: [] },
    ]);
    const base = {
      order_type: 'DELIVERY',
      lines,
      address_id: 'new',
      address_line: 'Москва, ул. Тестовая, 1',
      latitude: '55.7558',
      longitude: '37.6173',
      expected_final_amount: '0.01',
    };
    const place = (form: Record<string, string>) => placeAsNewCustomer(world.storeA.code, form);
    const quoteJson = (raw: string) =>
      invoke(
        quote.action!,
        testDb,
        post({ path: '/api/checkout/quote', raw: { body: raw, type: 'application/json' } }),
      );
    await sweep([
      // expected_final_amount is deliberately wrong: a body that got past validation is refused
      // PRICE_CHANGED (409) instead of placing an order
      ...fieldCases(
        'checkout',
        [
          'lines',
          'order_type',
          'address_id',
          'address_line',
          'apartment',
          'entrance',
          'floor',
          'intercom',
          'comment',
          'latitude',
          'longitude',
          'coupon_instance_id',
          'customer_name',
          'expected_final_amount',
          'idempotency_key',
        ],
        base,
        place,
      ),
      ...jsonCases(
        'quote',
        {
          store_id: world.storeA.id,
          order_type: 'PICKUP',
          lines: [{ product_id: world.shopA.dear.id, quantity: 1, option_item_ids: [] }],
        },
        quoteJson,
      ),
    ]);
  });

  it('a checkout that would be placed refuses NUL bytes, control characters and oversized text in every free-text field', async () => {
    const quote = await routeModule('api.checkout.quote');
    const me = await world.memberSession(world.member.id);
    const line = { product_id: world.shopA.dear.id, quantity: 1, option_item_ids: [] };
    const delivery = {
      address_line: 'Москва, ул. Тестовая, 1',
      latitude: 55.7558,
      longitude: 37.6173,
    };
    // the honest price of this body, so that only the hostile field can stop the order
    const priced = await invoke(
      quote.action!,
      testDb,
      post({
        path: '/api/checkout/quote',
        cookie: me.cookie,
        json: { store_id: world.storeA.id, order_type: 'DELIVERY', lines: [line], delivery },
      }),
    );
    expect(priced.status).toBe(200);
    const final = (priced.body as { quote: { final_amount: string; problems?: unknown[] } }).quote;
    expect(final.final_amount).toMatch(/^\d+\.\d{2}$/);
    const base = {
      order_type: 'DELIVERY',
      lines: JSON.stringify([line]),
      address_id: 'new',
      address_line: delivery.address_line,
      latitude: String(delivery.latitude),
      longitude: String(delivery.longitude),
      expected_final_amount: final.final_amount,
    };
    const place = (form: Record<string, string>) => placeAsNewCustomer(world.storeA.code, form);
    const textFields = [
      'address_line',
      'apartment',
      'entrance',
      'floor',
      'intercom',
      'comment',
      'customer_name',
    ];
    const cases: Case[] = [];
    for (const field of textFields) {
      for (const [name, value] of HOSTILE) {
        if (name.startsWith('sql')) continue; // text that merely looks like SQL is valid text
        cases.push({
          label: `valid checkout ${field}=${name}`,
          kind: 'reject',
          run: () => place({ ...base, [field]: value }),
        });
      }
    }
    await sweep(cases);
    // control: the same body with honest text is placed (so the refusals above were the fields')
    const placed = await place({ ...base, comment: 'Позвоните, пожалуйста' });
    expect(placed.status, placed.text).toBe(302);
    expect(placed.location).toMatch(/^\/o\/[0-9a-f-]{36}(\/pay)?$/);
  });

  it('text that merely looks like SQL is stored verbatim: the order is placed and every table is still there', async () => {
    const quote = await routeModule('api.checkout.quote');
    const line = { product_id: world.shopA.dear.id, quantity: 1, option_item_ids: [] };
    const priced = await invoke(
      quote.action!,
      testDb,
      post({
        path: '/api/checkout/quote',
        json: { store_id: world.storeA.id, order_type: 'PICKUP', lines: [line] },
      }),
    );
    const final = (priced.body as { quote: { final_amount: string } }).quote.final_amount;
    const tablesBefore = Object.keys(await fingerprint(testDb.db));
    const members = await testDb.db.selectFrom('member').select('id').execute();
    const drop = SQL_DROP;
    const placed = await placeAsNewCustomer(world.storeA.code, {
      order_type: 'PICKUP',
      lines: JSON.stringify([line]),
      expected_final_amount: final,
      customer_name: drop,
    });
    expect(placed.status, placed.text).toBe(302);
    const token = /^\/o\/([0-9a-f-]{36})/.exec(placed.location ?? '')![1]!;
    const order = await testDb.db
      .selectFrom('order')
      .select('customer_name')
      .where('public_token', '=', token)
      .executeTakeFirstOrThrow();
    expect(order.customer_name).toBe(drop);
    expect(Object.keys(await fingerprint(testDb.db))).toEqual(tablesBefore);
    expect(await testDb.db.selectFrom('member').select('id').execute()).toEqual(members);
  });

  it('the language switch', async () => {
    const language = await routeModule('language');
    const send = (form: Record<string, string>) =>
      invoke(language.action!, testDb, post({ path: '/language', form }));
    const cases = fieldCases('language', ['lang'], { lang: 'en', redirectTo: '/' }, send);
    // a hostile redirectTo with a valid language is accepted, but only ever to a local path
    for (const [name, value] of [
      ...HOSTILE,
      ['offsite', 'https://evil.example/'],
      ['scheme-relative', '//evil.example'],
    ]) {
      cases.push({
        label: `language redirectTo=${name}`,
        kind: 'read',
        run: async () => {
          const reply = await send({ lang: 'en', redirectTo: value! });
          if (reply.location && !/^\/(?![/\\])/.test(reply.location))
            return { ...reply, status: 599, text: `redirects off-site to ${reply.location}` };
          return reply;
        },
      });
    }
    await sweep(cases);
  });

  it('path and query parameters of the public pages and the public menu API', async () => {
    const cases: Case[] = [];
    const page = async (
      name: string,
      params: Record<string, string>,
      query = '',
      cookie?: string,
    ) => {
      const mod = await routeModule(name);
      return invoke(mod.loader!, testDb, { path: `/x${query}`, cookie }, params);
    };
    const code = world.storeA.code;
    const product = String(world.shopA.cheap.id);
    const me = await world.memberSession(world.member.id);
    for (const [name, raw] of HOSTILE) {
      const q = (key: string) => `?${new URLSearchParams({ [key]: raw })}`;
      const add = (label: string, run: () => Promise<Reply>) =>
        cases.push({ label: `${label} ${name}`, kind: 'read', run });
      add('store picker ?q', () => page('_shop._index', {}, q('q')));
      add('store picker ?lang', () => page('_shop._index', {}, q('lang')));
      add('menu $storeCode', () => page('_shop.menu.$storeCode._index', { storeCode: raw }));
      add('product $storeCode', () =>
        page('_shop.menu.$storeCode.p.$productId', { storeCode: raw, productId: product }),
      );
      add('product $productId', () =>
        page('_shop.menu.$storeCode.p.$productId', { storeCode: code, productId: raw }),
      );
      add('cart $storeCode', () => page('_shop.cart.$storeCode', { storeCode: raw }));
      add('checkout $storeCode', () =>
        page('_shop.checkout.$storeCode', { storeCode: raw }, '', me.cookie),
      );
      add('order page $token', () => page('_shop.o.$token', { token: raw }));
      add('pay $token', () => page('o.$token.pay', { token: raw }, '', me.cookie));
      add('menu API $storeCode', () => page('api.v1.stores.$storeCode.menu', { storeCode: raw }));
      add('menu API ?lang', () =>
        page('api.v1.stores.$storeCode.menu', { storeCode: code }, q('lang')),
      );
      add('account ?status', () => page('_shop.account', {}, q('status'), me.cookie));
      add('account ?coupons', () => page('_shop.account', {}, q('coupons'), me.cookie));
      add('signin ?redirectTo', () => page('_shop.signin', {}, q('redirectTo')));
      add('login ?redirectTo', () => page('login', {}, q('redirectTo')));
    }
    expect(await sweep(cases)).toBeGreaterThan(60);
  });

  it("order page cancel form with a hostile intent or another order's token", async () => {
    const order = await routeModule('_shop.o.$token');
    const me = await world.memberSession(world.member.id);
    const cancel = (form: Record<string, string>, token = world.pendingA.public_token) =>
      invoke(order.action!, testDb, post({ path: '/o/x', cookie: me.cookie, form }), { token });
    const cases = fieldCases('cancel', ['intent'], { csrf: me.csrf, intent: 'cancel' }, cancel);
    for (const [name, raw] of HOSTILE) {
      cases.push({
        label: `cancel $token=${name}`,
        kind: 'reject',
        run: () => cancel({ csrf: me.csrf, intent: 'cancel' }, raw),
      });
    }
    cases.push({
      label: "cancel another member's order",
      kind: 'reject',
      run: () => cancel({ csrf: me.csrf, intent: 'cancel' }, world.orderB.public_token),
    });
    await sweep(cases);
  });
});
