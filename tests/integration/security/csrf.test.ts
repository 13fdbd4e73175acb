import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import {
  BASE,
  buildWorld,
  changedTables,
  EVIL_ORIGIN,
  fingerprint,
  invoke,
  paramsFor,
  ROUTES,
  type Principal,
  type RequestSpec,
  type World,
} from './helpers';

/**
 * Cross-site request forgery (issue 8 acceptance, AU-9): every route module with an `action` is
 * found from app/routes and must be in exactly one class below. A cookie-authenticated write is
 * refused 403 when it comes from another origin (even with a valid token, i.e. a leaked one) and
 * when it comes from our origin without the session's token; the database does not move. A new
 * action route that is in no class fails the first test.
 */

type Guard =
  /** staff session: same origin AND the session's token (requireCsrf) */
  | 'staff'
  /** member session: same origin AND the session's token (requireMemberCsrf) */
  | 'member'
  /** no session yet (sign-in) or an anonymous cookie cart: the Origin check is the lock */
  | 'origin'
  /** machine endpoint or a write-nothing action: cookies are not what authorises it */
  | 'exception';

const EXPLICIT: Record<string, { guard: Guard; why?: string }> = {
  logout: { guard: 'staff' },
  language: { guard: 'staff' },
  '_shop.checkout.$storeCode': { guard: 'member' },
  '_shop.o.$token': { guard: 'member' },
  'o.$token.pay': { guard: 'member' },
  '_shop.signout': { guard: 'member' },
  login: {
    guard: 'origin',
    why: 'no session yet: a cross-site login form (login CSRF) is refused',
  },
  '_shop.signin': { guard: 'origin', why: 'no session yet (phone sign-in form)' },
  'api.auth.code.send': { guard: 'origin', why: 'no session yet (JSON sign-in)' },
  'api.auth.code.verify': { guard: 'origin', why: 'no session yet (JSON sign-in)' },
  '_shop.cart.$storeCode': {
    guard: 'origin',
    why: 'anonymous cookie cart, nothing in the database',
  },
  '_shop.menu.$storeCode.p.$productId': {
    guard: 'origin',
    why: 'adds to the anonymous cookie cart',
  },
  'api.v1.scans': {
    guard: 'exception',
    why: 'POS devices authenticate with the per-store device key header, never a cookie',
  },
  'webhooks.yookassa': {
    guard: 'exception',
    why: 'YooKassa calls it; every event is verified by fetching the payment from the provider',
  },
  'api.checkout.quote': {
    guard: 'exception',
    why: 'computes a price and writes nothing; the answer cannot be read cross-origin (no CORS)',
  },
  'api.v1.stores.$storeCode.menu': { guard: 'exception', why: 'read-only: the action is 405' },
};

function classify(name: string): { guard: Guard; why?: string } | null {
  if (EXPLICIT[name]) return EXPLICIT[name];
  if (name.startsWith('admin.') || name.startsWith('manage.$storeId')) return { guard: 'staff' };
  return null;
}

let testDb: TestDatabase;
let world: World;
let actionRoutes: { name: string; mod: { action: NonNullable<unknown> } }[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  world = await buildWorld(testDb);
  actionRoutes = [];
  for (const route of ROUTES) {
    const mod = await route.load();
    if (mod.action) actionRoutes.push({ name: route.name, mod: { action: mod.action } });
  }
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb?.destroy();
});

async function routeAction(name: string) {
  const route = ROUTES.find((r) => r.name === name)!;
  return (await route.load()).action!;
}

/** A fresh session of the principal the route serves (a refused logout must not end ours). */
async function sessionFor(name: string, guard: Guard): Promise<Principal> {
  if (guard === 'member') return world.memberSession(world.member.id);
  if (name.startsWith('manage.$storeId')) return world.staffSession(world.managerAUser.id);
  return world.staffSession(world.adminUser.id);
}

function bodyFor(name: string, csrf?: string): Pick<RequestSpec, 'form' | 'json'> {
  if (name.startsWith('api.auth.code.')) return { json: { phone: '+79161234567', code: '123456' } };
  return { form: { intent: 'probe', ...(csrf === undefined ? {} : { csrf }) } };
}

describe('CSRF: every action route is classified', () => {
  it('finds the action routes, and each is in exactly one class', () => {
    expect(actionRoutes.length).toBeGreaterThanOrEqual(40);
    const unclassified = actionRoutes.map((r) => r.name).filter((n) => !classify(n));
    expect(unclassified, 'new action routes need a CSRF class in csrf.test.ts').toEqual([]);
    const stale = Object.keys(EXPLICIT).filter((n) => !actionRoutes.some((r) => r.name === n));
    expect(stale, 'classified routes that no longer have an action').toEqual([]);
    for (const [name, c] of Object.entries(EXPLICIT)) {
      if (c.guard === 'exception' || c.guard === 'origin') expect(c.why, name).toBeTruthy();
    }
  });
});

describe('CSRF: cookie-authenticated writes (staff and member sessions)', () => {
  it('refuses 403 a cross-site post with a valid token, and a same-origin post without or with a wrong token; nothing changes', async () => {
    const checked: string[] = [];
    for (const { name } of actionRoutes) {
      const c = classify(name)!;
      if (c.guard !== 'staff' && c.guard !== 'member') continue;
      const action = await routeAction(name);
      const params = paramsFor(name, world);
      const me = await sessionFor(name, c.guard);
      const path = `/${name.replace(/\$/g, '')}`;
      const attacks: [string, RequestSpec][] = [
        [
          'cross-site, valid token',
          { path, cookie: me.cookie, origin: EVIL_ORIGIN, ...bodyFor(name, me.csrf) },
        ],
        [
          'cross-site, no token',
          { path, cookie: me.cookie, origin: EVIL_ORIGIN, ...bodyFor(name) },
        ],
        ['same origin, no token', { path, cookie: me.cookie, origin: BASE, ...bodyFor(name) }],
        [
          'same origin, wrong token',
          { path, cookie: me.cookie, origin: BASE, ...bodyFor(name, 'x'.repeat(43)) },
        ],
        ['no Origin header, no token', { path, cookie: me.cookie, ...bodyFor(name) }],
        [
          'opaque Origin "null", valid token',
          { path, cookie: me.cookie, origin: 'null', ...bodyFor(name, me.csrf) },
        ],
      ];
      const before = await fingerprint(testDb.db);
      for (const [label, spec] of attacks) {
        const reply = await invoke(action, testDb, spec, params);
        expect(reply.status, `${name}: ${label}`).toBe(403);
      }
      expect(changedTables(before, await fingerprint(testDb.db)), name).toEqual([]);

      // control: the same post from our page with the token gets past the CSRF lock (to a 2xx,
      // a redirect, a 4xx for the probe intent, or 503 where the payment provider is not set up)
      const control = await invoke(
        action,
        testDb,
        { path, cookie: me.cookie, origin: BASE, ...bodyFor(name, me.csrf) },
        params,
      );
      expect(control.status, `${name}: same-origin post with the token`).not.toBe(403);
      expect(control.status, `${name}: same-origin post with the token`).not.toBe(500);
      checked.push(name);
    }
    expect(checked.length).toBeGreaterThanOrEqual(30);
  });

  it("a staff member's token does not open a customer's form, nor the reverse", async () => {
    const staff = await world.staffSession(world.adminUser.id);
    const customer = await world.memberSession(world.member.id);
    const signout = await routeAction('_shop.signout');
    const logout = await routeAction('logout');
    const before = await fingerprint(testDb.db);
    const a = await invoke(signout, testDb, {
      path: '/signout',
      cookie: customer.cookie,
      origin: BASE,
      form: { csrf: staff.csrf },
    });
    expect(a.status).toBe(403);
    const b = await invoke(logout, testDb, {
      path: '/logout',
      cookie: staff.cookie,
      origin: BASE,
      form: { csrf: customer.csrf },
    });
    expect(b.status).toBe(403);
    expect(changedTables(before, await fingerprint(testDb.db))).toEqual([]);
  });
});

describe('CSRF: forms used before any session exists', () => {
  it('refuses 403 a post from another origin; nothing changes', async () => {
    const checked: string[] = [];
    for (const { name } of actionRoutes) {
      if (classify(name)!.guard !== 'origin') continue;
      const action = await routeAction(name);
      const params = paramsFor(name, world);
      const path = `/${name.replace(/\$/g, '')}`;
      // the visitor may be signed in elsewhere on the site: the cookie must not help
      const body = name.startsWith('api.auth.code.')
        ? { json: { phone: '+79161234567', code: '123456' } }
        : {
            form: {
              intent: 'add',
              email: 'attacker@evil.example',
              password: 'attacker-password',
              phone: '+79161234567',
              productId: params.productId ?? '1',
              quantity: '1',
            },
          };
      const before = await fingerprint(testDb.db);
      const reply = await invoke(
        action,
        testDb,
        { path, origin: EVIL_ORIGIN, cookie: world.customer.cookie, ...body },
        params,
      );
      expect(reply.status, name).toBe(403);
      expect(reply.headers.get('Set-Cookie'), `${name} sets no cookie`).toBeNull();
      expect(changedTables(before, await fingerprint(testDb.db)), name).toEqual([]);
      checked.push(name);
    }
    expect(checked.sort()).toEqual(
      Object.entries(EXPLICIT)
        .filter(([, c]) => c.guard === 'origin')
        .map(([n]) => n)
        .sort(),
    );
  });
});

describe('CSRF: listed exceptions', () => {
  it('a cross-site post carrying staff and customer cookies changes nothing there either', async () => {
    for (const { name } of actionRoutes) {
      if (classify(name)!.guard !== 'exception') continue;
      const action = await routeAction(name);
      const params = paramsFor(name, world);
      const before = await fingerprint(testDb.db);
      for (const cookie of [world.admin.cookie, world.customer.cookie]) {
        const reply = await invoke(
          action,
          testDb,
          {
            path: `/${name.replace(/\$/g, '')}`,
            origin: EVIL_ORIGIN,
            cookie,
            json: { intent: 'probe', events: [], store_id: world.storeA.id },
          },
          params,
        );
        expect(reply.status, `${name}`).toBeLessThan(500);
      }
      expect(changedTables(before, await fingerprint(testDb.db)), name).toEqual([]);
    }
  });
});
