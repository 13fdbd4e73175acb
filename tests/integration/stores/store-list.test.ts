import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as storeList from '../../../app/routes/admin.stores._index';
import { createDeliveryZone, createStore } from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { getAs, respond, signedIn, type SignedIn } from './helpers';

type ListData = {
  stores: { code: string; city: string; is_active: boolean; zone_count: number }[];
  cities: string[];
  params: { q: string; sort: string; dir: string; filters: Record<string, unknown> };
  pagination: { page: number; pageSize: number; total: number };
};

describe('admin store list: search, filters, sort and pages from the URL', () => {
  let testDb: TestDatabase;
  let admin: SignedIn;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await useAppDatabase(testDb);
    admin = await signedIn(testDb.db, { role: 'ADMIN' });
    const kzn = await createStore(testDb.db, {
      code: 'KZN-02',
      name_ru: 'Казань Кремль',
      city: 'Казань',
    });
    await createStore(testDb.db, {
      code: 'KZN-01',
      name_ru: 'Казань Баумана',
      city: 'Казань',
      is_active: false,
    });
    await createStore(testDb.db, {
      code: 'SPB-01',
      name_ru: 'Невский 100%',
      city: 'Санкт-Петербург',
      name_zh: '涅瓦大街',
    });
    for (let i = 1; i <= 30; i++) {
      await createStore(testDb.db, {
        code: `MSK-${String(i).padStart(2, '0')}`,
        name_ru: `Москва ${i}`,
        city: 'Москва',
      });
    }
    await createDeliveryZone(testDb.db, kzn.id);
    await createDeliveryZone(testDb.db, kzn.id, { is_active: false });
  });

  afterAll(async () => {
    await testDb?.destroy();
  });

  async function list(search: string): Promise<ListData> {
    const res = await respond(storeList.loader, getAs(`/admin/stores${search}`, admin), testDb);
    expect(res.status).toBe(200);
    return res.json();
  }

  it('shows the first page sorted by code, with the total and the city filter options', async () => {
    const data = await list('');
    expect(data.pagination).toEqual({ page: 1, pageSize: 25, total: 33 });
    expect(data.stores).toHaveLength(25);
    expect(data.stores[0]!.code).toBe('KZN-01');
    expect(data.cities).toEqual(['Казань', 'Москва', 'Санкт-Петербург']);
  });

  it('searches code, names in every language and city, case-insensitively, with LIKE characters taken literally', async () => {
    expect((await list('?q=kzn')).stores.map((s) => s.code)).toEqual(['KZN-01', 'KZN-02']);
    expect((await list('?q=кремль')).stores.map((s) => s.code)).toEqual(['KZN-02']);
    expect((await list('?q=涅瓦')).stores.map((s) => s.code)).toEqual(['SPB-01']);
    expect((await list('?q=петербург')).stores.map((s) => s.code)).toEqual(['SPB-01']);
    expect((await list('?q=100%25')).stores.map((s) => s.code)).toEqual(['SPB-01']);
    expect((await list('?q=%25')).stores.map((s) => s.code)).toEqual(['SPB-01']);
  });

  it('filters by active flag and city', async () => {
    const inactive = await list('?active=false');
    expect(inactive.stores.map((s) => s.code)).toEqual(['KZN-01']);
    const kazanActive = await list(`?active=true&city=${encodeURIComponent('Казань')}`);
    expect(kazanActive.stores.map((s) => [s.code, s.zone_count])).toEqual([['KZN-02', 2]]);
  });

  it('sorts by whitelisted keys in both directions and pages through the result', async () => {
    const desc = await list('?sort=code&dir=desc&pageSize=5');
    expect(desc.stores.map((s) => s.code)).toEqual([
      'SPB-01',
      'MSK-30',
      'MSK-29',
      'MSK-28',
      'MSK-27',
    ]);
    const page2 = await list('?sort=code&dir=desc&pageSize=5&page=2');
    expect(page2.stores.map((s) => s.code)).toEqual([
      'MSK-26',
      'MSK-25',
      'MSK-24',
      'MSK-23',
      'MSK-22',
    ]);
    expect(page2.pagination).toEqual({ page: 2, pageSize: 5, total: 33 });
    const byCity = await list('?sort=city&dir=desc&pageSize=1');
    expect(byCity.stores[0]!.city).toBe('Санкт-Петербург');
  });

  it('shows the last page for a page past the end', async () => {
    const data = await list('?pageSize=10&page=99');
    expect(data.pagination).toEqual({ page: 4, pageSize: 10, total: 33 });
    expect(data.stores).toHaveLength(3);
  });

  it('never fails on malformed params: each falls back to its default', async () => {
    const garbage = [
      '?sort=password_hash&dir=up',
      '?sort=code;DELETE FROM store&dir=asc',
      '?page=-1&pageSize=0',
      '?page=abc&pageSize=1e9',
      '?page=99999999999999999999',
      '?active=perhaps&city=',
      `?q=${'x'.repeat(5000)}`,
      '?q=%00%27%22',
      '?sort=&dir=&page=&q=',
    ];
    for (const search of garbage) {
      const data = await list(search);
      expect(data.params.sort, search).toMatch(/^(code|name|city|created)$/);
      expect(data.pagination.page, search).toBeGreaterThanOrEqual(1);
      expect(data.pagination.pageSize, search).toBeLessThanOrEqual(100);
    }
    const fallback = await list('?sort=password_hash&dir=up&page=abc&pageSize=1e9&active=perhaps');
    expect(fallback.params).toMatchObject({ sort: 'code', dir: 'asc', filters: {} });
    expect(fallback.pagination).toMatchObject({ page: 1, pageSize: 25 });
  });
});
