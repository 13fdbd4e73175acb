import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAudit } from '../../../app/features/audit/audit.server';
import { loader as adminAudit } from '../../../app/routes/admin.audit';
import { loader as storeAudit } from '../../../app/routes/manage.$storeId.audit';
import { createStore } from '../../factories';
import { createAdmin, createManager, createStaffSession } from '../../factories/staff';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { contextFor, get, thrownResponse } from '../auth/helpers';

let testDb: TestDatabase;
let storeA: number;
let storeB: number;
let adminId: number;
let adminCookie: string;
let managerCookie: string;

type Page = {
  entries: { id: number; action: string; storeId: number | null; actorName: string | null }[];
  pagination: { page: number; pageSize: number; total: number };
  facets: { actions: string[]; actors: { id: number; name: string }[] };
};

async function adminPage(search = ''): Promise<Page> {
  const response = await adminAudit({
    request: get(`/admin/audit${search}`, adminCookie),
    params: {},
    context: contextFor(testDb),
  });
  return response.json();
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  storeA = (await createStore(testDb.db)).id;
  storeB = (await createStore(testDb.db)).id;
  const admin = await createAdmin(testDb.db, { displayName: 'Анна Админ' });
  adminId = admin.id;
  adminCookie = (await createStaffSession(testDb.db, admin.id)).cookie;
  const manager = await createManager(testDb.db, { storeIds: [storeA] });
  managerCookie = (await createStaffSession(testDb.db, manager.id)).cookie;

  const base = { actorType: 'USER' as const, entityType: 'store_product' };
  await writeAudit(testDb.db, {
    ...base,
    actorUserId: manager.id,
    storeId: storeA,
    action: 'store_product.stock_status',
    entityId: 1,
    before: { stock_status: 'IN_STOCK' },
    after: { stock_status: 'OUT_OF_STOCK' },
  });
  await writeAudit(testDb.db, {
    ...base,
    actorUserId: adminId,
    storeId: storeB,
    action: 'store_product.stock_status',
    entityId: 2,
  });
  await writeAudit(testDb.db, {
    actorType: 'USER',
    actorUserId: adminId,
    action: 'product.price_change',
    entityType: 'product',
    entityId: 7,
    before: { base_price: '300.00' },
    after: { base_price: '350.00' },
  });
  // an old entry for the date filter (audit_log is append-only for the app, not for fixtures)
  await testDb.db
    .insertInto('audit_log')
    .values({
      actor_type: 'SYSTEM',
      action: 'iiko_job.retry',
      entity_type: 'iiko_sync_job',
      entity_id: '9',
      created_at: new Date('2024-03-01T21:30:00Z'), // 2024-03-02 00:30 in Moscow
    })
    .execute();
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb?.destroy();
});

describe('/admin/audit', () => {
  it('lists every entry newest first with actor names and store codes', async () => {
    const page = await adminPage();
    expect(page.pagination.total).toBe(4);
    expect(page.entries.map((e) => e.action)).toEqual([
      'product.price_change',
      'store_product.stock_status',
      'store_product.stock_status',
      'iiko_job.retry',
    ]);
    expect(page.entries[0]).toMatchObject({ actorName: 'Анна Админ', storeId: null });
    expect(page.facets.actions).toEqual([
      'iiko_job.retry',
      'product.price_change',
      'store_product.stock_status',
    ]);
  });

  it('filters by entity type, action, actor, store and date range from the URL', async () => {
    expect((await adminPage('?entity=product')).entries.map((e) => e.action)).toEqual([
      'product.price_change',
    ]);
    expect(
      (await adminPage('?action=store_product.stock_status')).entries.map((e) => e.storeId),
    ).toEqual([storeB, storeA]);
    expect((await adminPage(`?actor=${adminId}`)).pagination.total).toBe(2);
    expect((await adminPage(`?store=${storeA}`)).entries.map((e) => e.storeId)).toEqual([storeA]);
    // dates are Moscow calendar days
    expect((await adminPage('?from=2024-03-02&to=2024-03-02')).entries).toHaveLength(1);
    expect((await adminPage('?from=2024-03-01&to=2024-03-01')).entries).toHaveLength(0);
    expect((await adminPage('?to=2024-12-31')).entries.map((e) => e.action)).toEqual([
      'iiko_job.retry',
    ]);
  });

  it('paginates and ignores malformed parameters instead of failing', async () => {
    const first = await adminPage('?pageSize=2');
    const second = await adminPage('?pageSize=2&page=2');
    expect(first.entries).toHaveLength(2);
    expect(second.entries).toHaveLength(2);
    expect(new Set([...first.entries, ...second.entries].map((e) => e.id)).size).toBe(4);
    const messy = await adminPage('?page=-3&pageSize=abc&actor=1e3&store=x&from=2024-02-30&sort=1');
    expect(messy.pagination).toMatchObject({ page: 1, total: 4 });
  });

  it('is admin-only', async () => {
    const response = await thrownResponse(
      adminAudit({
        request: get('/admin/audit', managerCookie),
        params: {},
        context: contextFor(testDb),
      }),
    );
    expect(response.status).toBe(403);
  });
});

describe('/manage/$storeId/audit', () => {
  it("shows a manager only their store's entries", async () => {
    const response = await storeAudit({
      request: get(`/manage/${storeA}/audit?store=${storeB}`, managerCookie),
      params: { storeId: String(storeA) },
      context: contextFor(testDb),
    });
    const page: Page = await response.json();
    expect(page.entries.map((e) => e.storeId)).toEqual([storeA]);
    // the actor filter offers only people who appear in this store's log
    expect(page.facets.actors.map((a) => a.id)).not.toContain(adminId);

    const other = await thrownResponse(
      storeAudit({
        request: get(`/manage/${storeB}/audit`, managerCookie),
        params: { storeId: String(storeB) },
        context: contextFor(testDb),
      }),
    );
    expect(other.status).toBe(403);
  });
});
