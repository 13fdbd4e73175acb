import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import {
  BASE,
  buildWorld,
  invoke,
  ROUTES,
  type Principal,
  type Reply,
  type World,
} from './helpers';

/**
 * Audit rows for permission and key changes (issue 8 point 1): creating a staff account (its role),
 * assigning and unassigning a store, deactivating and reactivating, resetting a password, rotating
 * and revoking a store's device key — each done through its real route — leaves one audit_log row
 * naming the acting admin, and no row carries the password, its hash or the key.
 */

let testDb: TestDatabase;
let world: World;
let admin: Principal;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  world = await buildWorld(testDb);
  admin = await world.staffSession(world.adminUser.id);
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb?.destroy();
});

async function actionOf(name: string) {
  return (await ROUTES.find((r) => r.name === name)!.load()).action!;
}

async function post(name: string, path: string, form: Record<string, string>, params = {}) {
  return invoke(
    await actionOf(name),
    testDb,
    { path, origin: BASE, cookie: admin.cookie, form: { csrf: admin.csrf, ...form } },
    params,
  );
}

async function newAuditRows(afterId: number) {
  return testDb.db
    .selectFrom('audit_log')
    .select(['id', 'action', 'actor_type', 'actor_user_id', 'entity_type', 'entity_id', 'store_id'])
    .select(['before', 'after', 'reason'])
    .where('id', '>', afterId)
    .orderBy('id')
    .execute();
}

async function lastAuditId(): Promise<number> {
  const row = await testDb.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Runs a change and returns the audit rows it wrote. */
async function audited(change: () => Promise<Reply>) {
  const since = await lastAuditId();
  const reply = await change();
  expect(reply.status, reply.text.slice(0, 300)).toBeLessThan(400);
  return { reply, rows: await newAuditRows(since) };
}

function expectNoSecret(rows: unknown[], secrets: string[]) {
  const text = JSON.stringify(rows);
  for (const s of [...secrets, '$argon2', 'password_hash', 'key_hash']) {
    expect(text.includes(s), `audit payload contains ${s}`).toBe(false);
  }
}

describe('audit rows for permission and key changes', () => {
  const password = 'a-new-password-for-audit-0001';
  let userId: number;

  it('creating a staff account records its role, by the acting admin', async () => {
    const { reply, rows } = await audited(() =>
      post('admin.staff._index', '/admin/staff', {
        intent: 'create',
        email: 'audited.manager@test.ctea.local',
        display_name: 'Audited Manager',
        role: 'STORE_MANAGER',
        password,
      }),
    );
    userId = Number(/\/admin\/staff\/(\d+)/.exec(reply.location ?? '')![1]);
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'user.create',
        actor_type: 'USER',
        actor_user_id: world.adminUser.id,
        entity_type: 'user',
        entity_id: String(userId),
        after: expect.objectContaining({ role: 'STORE_MANAGER' }),
      }),
    ]);
    expectNoSecret(rows, [password]);
  });

  const staffChange = (form: Record<string, string>) =>
    post('admin.staff.$userId', `/admin/staff/${userId}`, form, { userId: String(userId) });

  it('assigning and unassigning a store (the manager’s scope) are each recorded', async () => {
    const assign = await audited(() =>
      staffChange({ intent: 'assignStore', storeId: String(world.storeA.id) }),
    );
    expect(assign.rows).toEqual([
      expect.objectContaining({
        action: 'store_staff.assign',
        actor_user_id: world.adminUser.id,
        entity_id: String(userId),
        store_id: world.storeA.id,
      }),
    ]);
    const unassign = await audited(() =>
      staffChange({ intent: 'unassignStore', storeId: String(world.storeA.id) }),
    );
    expect(unassign.rows).toEqual([
      expect.objectContaining({
        action: 'store_staff.unassign',
        actor_user_id: world.adminUser.id,
        store_id: world.storeA.id,
      }),
    ]);
  });

  it('a password reset is recorded without the password or its hash', async () => {
    const reset = 'reset-password-for-audit-0002';
    const { rows } = await audited(() => staffChange({ intent: 'resetPassword', password: reset }));
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'user.password_reset',
        actor_user_id: world.adminUser.id,
        entity_id: String(userId),
      }),
    ]);
    expectNoSecret(rows, [reset, password]);
  });

  it('deactivation and reactivation are recorded with the before and after state', async () => {
    const off = await audited(() => staffChange({ intent: 'deactivate' }));
    expect(off.rows).toEqual([
      expect.objectContaining({
        action: 'user.deactivate',
        actor_user_id: world.adminUser.id,
        before: expect.objectContaining({ is_active: true }),
        after: expect.objectContaining({ is_active: false }),
      }),
    ]);
    const on = await audited(() => staffChange({ intent: 'activate' }));
    expect(on.rows).toEqual([
      expect.objectContaining({ action: 'user.activate', actor_user_id: world.adminUser.id }),
    ]);
  });

  it('rotating and revoking a device key are recorded without the key', async () => {
    const path = `/admin/stores/${world.storeB.id}/scan-key`;
    const params = { storeId: String(world.storeB.id) };
    const rotate = await audited(() =>
      post('admin.stores.$storeId.scan-key', path, { intent: 'rotate' }, params),
    );
    const key = (rotate.reply.body as { key: string }).key;
    expect(rotate.rows).toEqual([
      expect.objectContaining({
        action: 'store.scan_key_rotate',
        actor_user_id: world.adminUser.id,
        entity_type: 'store',
        entity_id: String(world.storeB.id),
      }),
    ]);
    const revoke = await audited(() =>
      post('admin.stores.$storeId.scan-key', path, { intent: 'revoke' }, params),
    );
    expect(revoke.rows).toEqual([
      expect.objectContaining({
        action: 'store.scan_key_revoke',
        actor_user_id: world.adminUser.id,
      }),
    ]);
    expectNoSecret([...rotate.rows, ...revoke.rows], [key]);
  });

  it('settings and roles have no write path yet: a new one must come with its audit row and a case here', async () => {
    // /admin/settings is a read-only page, and a staff member's role is fixed at creation (recorded
    // in user.create above); when either gains an action this fails as a reminder
    expect((await ROUTES.find((r) => r.name === 'admin.settings')!.load()).action).toBeUndefined();
    const staffIntents = (await import('../../../app/features/staff/staff-action.server'))
      .STAFF_INTENTS;
    expect([...staffIntents].sort()).toEqual(
      ['activate', 'assignStore', 'deactivate', 'resetPassword', 'unassignStore'].sort(),
    );
  });
});
