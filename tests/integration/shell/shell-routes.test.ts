import type { LoaderFunctionArgs } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVisibleStores } from '../../../app/features/stores/store-scope.server';
import { getUserLanguage } from '../../../app/features/preferences/preferences.server';
import { loader as rootLoader } from '../../../app/root';
import { action as languageAction } from '../../../app/routes/language';
import { loader as manageIndexLoader } from '../../../app/routes/manage._index';
import { loader as manageStoreLoader } from '../../../app/routes/manage.$storeId';
import { createStore } from '../../factories/catalog';
import { createAdmin, createManager, createStaffSession } from '../../factories/staff';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';

const BASE = 'http://localhost:3000';
let testDb: TestDatabase;
let storeA: number;
let storeB: number;
let closedStore: number;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  storeA = (await createStore(testDb.db, { name_zh: '一号店' })).id;
  storeB = (await createStore(testDb.db)).id;
  closedStore = (await createStore(testDb.db, { is_active: false })).id;
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb.destroy();
});

const context = () => ({ requestId: 'test-request-id', db: testDb.db, clientIp: '127.0.0.1' });
const get = (path: string, headers: Record<string, string> = {}) =>
  new Request(`${BASE}${path}`, { headers });
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  new Request(`${BASE}${path}`, { method: 'POST', body: new URLSearchParams(fields), headers });

async function thrown(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Response) return err;
    throw err;
  }
  throw new Error('expected a thrown Response');
}

async function rootData(request: Request) {
  const response = await rootLoader({ request, params: {}, context: context() });
  return { response, data: await response.json() };
}

async function signedIn(
  kind: 'admin' | 'manager',
  options: { storeIds?: number[]; language?: 'ru' | 'zh' | 'en' } = {},
) {
  const user =
    kind === 'admin'
      ? await createAdmin(testDb.db, { language: options.language })
      : await createManager(testDb.db, { storeIds: options.storeIds, language: options.language });
  const session = await createStaffSession(testDb.db, user.id);
  return { user, cookie: session.cookie };
}

describe('root loader', () => {
  it('exposes the language, the request id and only the public part of the user', async () => {
    const { user, cookie } = await signedIn('manager', { storeIds: [storeA] });
    const { data } = await rootData(get('/', { Cookie: cookie }));
    expect(data.requestId).toBe('test-request-id');
    expect(Object.keys(data.user ?? {}).sort()).toEqual([
      'csrfToken',
      'displayName',
      'email',
      'id',
      'role',
      'storeIds',
    ]);
    expect(data.user).toMatchObject({ id: user.id, role: 'STORE_MANAGER', storeIds: [storeA] });
    expect(JSON.stringify(data)).not.toContain(cookie.split('=')[1]);
  });

  it('uses Accept-Language, then the cookie, for visitors', async () => {
    expect((await rootData(get('/', { 'Accept-Language': 'zh-CN,zh;q=0.9' }))).data.lang).toBe(
      'zh',
    );
    expect(
      (await rootData(get('/', { 'Accept-Language': 'zh-CN', Cookie: 'ctea_lang=en' }))).data.lang,
    ).toBe('en');
    expect((await rootData(get('/'))).data).toMatchObject({ lang: 'ru', user: null });
  });

  it("prefers the staff member's saved language and re-sets a differing cookie", async () => {
    const { cookie } = await signedIn('admin', { language: 'zh' });
    const { response, data } = await rootData(get('/admin', { Cookie: `${cookie}; ctea_lang=en` }));
    expect(data.lang).toBe('zh');
    expect(response.headers.get('Set-Cookie')).toMatch(/^ctea_lang=zh;/);
  });

  it('falls back to the cookie for staff who never chose a language', async () => {
    const { cookie } = await signedIn('admin');
    const { response, data } = await rootData(get('/admin', { Cookie: `${cookie}; ctea_lang=en` }));
    expect(data.lang).toBe('en');
    expect(response.headers.get('Set-Cookie')).toBeNull();
  });
});

describe('POST /language', () => {
  const call = (request: Request) => languageAction({ request, params: {}, context: context() });

  it('sets the cookie for a visitor and redirects back', async () => {
    const response = await call(post('/language', { lang: 'zh', redirectTo: '/?x=1' }));
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/?x=1');
    const cookie = response.headers.get('Set-Cookie') ?? '';
    expect(cookie).toMatch(/^ctea_lang=zh;/);
    expect(cookie).toContain('Max-Age=31536000');
    expect(cookie).toContain('SameSite=Lax');
  });

  it('never redirects off the site', async () => {
    for (const redirectTo of ['https://evil.example/', '//evil.example', '/\\evil.example']) {
      const response = await call(post('/language', { lang: 'en', redirectTo }));
      expect(response.headers.get('Location')).toBe('/');
    }
  });

  it('rejects an unknown language with 400 and sets nothing', async () => {
    const response = await call(post('/language', { lang: 'de', redirectTo: '/' }));
    expect(response.status).toBe(400);
    expect(response.headers.get('Set-Cookie')).toBeNull();
    expect((await response.json()).error.code).toBe('INVALID_LANGUAGE');
  });

  it('saves a signed-in staff member’s choice in one user_preference row', async () => {
    const { user, cookie } = await signedIn('manager', { storeIds: [storeA] });
    const { data } = await rootData(get('/', { Cookie: cookie }));
    const csrf = data.user?.csrfToken ?? '';

    for (const lang of ['zh', 'en'] as const) {
      const response = await call(
        post('/language', { lang, redirectTo: '/manage', csrf }, { Cookie: cookie }),
      );
      expect(response.status).toBe(302);
      expect(await getUserLanguage(testDb.db, user.id)).toBe(lang);
    }
    const rows = await testDb.db
      .selectFrom('user_preference')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses a signed-in switch without the CSRF token and keeps the preference', async () => {
    const { user, cookie } = await signedIn('admin', { language: 'ru' });
    const response = await thrown(
      call(post('/language', { lang: 'zh', redirectTo: '/' }, { Cookie: cookie })),
    );
    expect(response.status).toBe(403);
    expect(await getUserLanguage(testDb.db, user.id)).toBe('ru');
  });
});

describe('store scope', () => {
  it('ADMIN sees every active store; a manager only their linked active stores', async () => {
    const { user: admin } = await signedIn('admin');
    const adminIds = (await listVisibleStores(testDb.db, admin)).map((s) => s.id);
    expect(adminIds).toEqual(expect.arrayContaining([storeA, storeB]));
    expect(adminIds).not.toContain(closedStore);

    const { user: manager } = await signedIn('manager', { storeIds: [storeB, closedStore] });
    expect((await listVisibleStores(testDb.db, manager)).map((s) => s.id)).toEqual([storeB]);
  });

  it('the store picker shows nothing to a manager without store_staff rows (RB-3)', async () => {
    const { cookie } = await signedIn('manager');
    const response = await manageIndexLoader({
      request: get('/manage', { Cookie: cookie }),
      params: {},
      context: context(),
    });
    expect((await response.json()).stores).toEqual([]);
  });

  it('the store layout answers 403 for another store and lists only own stores in the switcher', async () => {
    const { cookie } = await signedIn('manager', { storeIds: [storeA] });
    const args = (storeId: number): LoaderFunctionArgs => ({
      request: get(`/manage/${storeId}`, { Cookie: cookie }),
      params: { storeId: String(storeId) },
      context: context(),
    });
    expect((await thrown(manageStoreLoader(args(storeB)))).status).toBe(403);

    const data = await (await manageStoreLoader(args(storeA))).json();
    expect(data.store).toMatchObject({ id: storeA, name_zh: '一号店' });
    expect(data.stores.map((s: { id: number }) => s.id)).toEqual([storeA]);
  });
});
