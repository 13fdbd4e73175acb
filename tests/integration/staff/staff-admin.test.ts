import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../../app/auth/password.server';
import { getOptionalUser } from '../../../app/auth/guards.server';
import * as staffDetail from '../../../app/routes/admin.staff.$userId';
import * as staffIndex from '../../../app/routes/admin.staff._index';
import { createStore } from '../../factories';
import { createStaff, createStaffSession } from '../../factories/staff';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { BASE } from '../auth/helpers';
import { formPost, getAs, respond, signedIn, type SignedIn } from '../stores/helpers';

describe('admin staff accounts', () => {
  let testDb: TestDatabase;
  let admin: SignedIn;
  let manager: SignedIn;
  let storeA: number;
  let storeB: number;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await useAppDatabase(testDb);
    storeA = (await createStore(testDb.db, { code: 'STA-A' })).id;
    storeB = (await createStore(testDb.db, { code: 'STA-B' })).id;
    admin = await signedIn(testDb.db, { role: 'ADMIN' });
    manager = await signedIn(testDb.db, { role: 'STORE_MANAGER', storeIds: [storeA] });
  });

  afterAll(async () => {
    await testDb?.destroy();
  });

  const audit = (action: string, userId: number) =>
    testDb.db
      .selectFrom('audit_log')
      .select(['actor_user_id', 'store_id', 'before', 'after'])
      .where('action', '=', action)
      .where('entity_type', '=', 'user')
      .where('entity_id', '=', String(userId))
      .execute();

  const detail = (userId: number, who: SignedIn, fields: Record<string, string | string[]>) =>
    respond(staffDetail.action, formPost(`/admin/staff/${userId}`, who, fields), testDb, {
      userId: String(userId),
    });

  /** Is the session behind this cookie still signed in? (a fresh Request skips the guard cache) */
  const sessionAlive = async (cookie: string) =>
    (await getOptionalUser(new Request(`${BASE}/admin`, { headers: { Cookie: cookie } }))) !== null;

  it('creates a manager with an argon2 password and store links; audits user.create and each link', async () => {
    const res = await respond(
      staffIndex.action,
      formPost('/admin/staff', admin, {
        intent: 'create',
        email: '  New.Manager@CTEA.local ',
        display_name: 'Новый управляющий',
        role: 'STORE_MANAGER',
        password: 'correct-horse-battery',
        storeIds: [String(storeA), String(storeB)],
      }),
      testDb,
    );
    expect(res.status).toBe(302);
    const id = Number(/\/admin\/staff\/(\d+)/.exec(res.headers.get('Location')!)![1]);
    const user = await testDb.db
      .selectFrom('users')
      .select(['email', 'role', 'password_hash', 'is_active'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({
      email: 'New.Manager@CTEA.local',
      role: 'STORE_MANAGER',
      is_active: true,
    });
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.password_hash, 'correct-horse-battery')).toBe(true);
    const links = await testDb.db
      .selectFrom('store_staff')
      .select('store_id')
      .where('user_id', '=', id)
      .orderBy('store_id')
      .execute();
    expect(links.map((l) => l.store_id)).toEqual([storeA, storeB]);
    const [created] = await audit('user.create', id);
    expect(created).toMatchObject({ actor_user_id: admin.id });
    expect(JSON.stringify(created!.after)).not.toContain('correct-horse');
    expect(JSON.stringify(created!.after)).not.toContain('argon2');
    expect((await audit('store_staff.assign', id)).map((a) => a.store_id).sort()).toEqual(
      [storeA, storeB].sort(),
    );
  });

  it('rejects a duplicate e-mail (any case) with 409, and bad input with 400 field errors', async () => {
    const dup = await respond(
      staffIndex.action,
      formPost('/admin/staff', admin, {
        intent: 'create',
        email: 'new.manager@ctea.LOCAL',
        display_name: 'X',
        role: 'STORE_MANAGER',
        password: 'another-long-password',
      }),
      testDb,
    );
    expect(dup.status).toBe(409);
    const dupBody = await dup.json();
    expect(dupBody.reply.error).toEqual({ email: ['staff.error.emailTaken'] });
    // the password is never echoed back into the form
    expect(JSON.stringify(dupBody)).not.toContain('another-long-password');

    const bad = await respond(
      staffIndex.action,
      formPost('/admin/staff', admin, {
        intent: 'create',
        email: 'not-an-email',
        display_name: '',
        role: 'ROOT',
        password: 'short',
      }),
      testDb,
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).reply.error).toMatchObject({
      email: ['staff.error.emailInvalid'],
      display_name: ['staff.error.nameRequired'],
      role: ['staff.error.role'],
      password: ['staff.error.passwordShort'],
    });

    const adminWithStores = await respond(
      staffIndex.action,
      formPost('/admin/staff', admin, {
        intent: 'create',
        email: 'boss@ctea.local',
        display_name: 'Boss',
        role: 'ADMIN',
        password: 'a-long-enough-password',
        storeIds: String(storeA),
      }),
      testDb,
    );
    expect(adminWithStores.status).toBe(400);
    expect((await adminWithStores.json()).reply.error).toEqual({
      storeIds: ['staff.error.adminStores'],
    });

    const unknownStore = await respond(
      staffIndex.action,
      formPost('/admin/staff', admin, {
        intent: 'create',
        email: 'ghost@ctea.local',
        display_name: 'Ghost',
        role: 'STORE_MANAGER',
        password: 'a-long-enough-password',
        storeIds: '999999',
      }),
      testDb,
    );
    expect(unknownStore.status).toBe(400);
    expect((await unknownStore.json()).reply.error).toEqual({ storeIds: ['staff.error.store'] });
    const ghost = await testDb.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'ghost@ctea.local')
      .executeTakeFirst();
    expect(ghost).toBeUndefined();
  });

  it('deactivation ends every session of the user at once, in the same transaction as the audit row', async () => {
    const target = await createStaff(testDb.db, { role: 'STORE_MANAGER', storeIds: [storeA] });
    const s1 = await createStaffSession(testDb.db, target.id);
    const s2 = await createStaffSession(testDb.db, target.id);
    expect(await sessionAlive(s1.cookie)).toBe(true);

    const res = await detail(target.id, admin, { intent: 'deactivate' });
    expect(res.status).toBe(302);
    expect(await sessionAlive(s1.cookie)).toBe(false);
    expect(await sessionAlive(s2.cookie)).toBe(false);
    const open = await testDb.db
      .selectFrom('session')
      .select('id')
      .where('user_id', '=', target.id)
      .where('revoked_at', 'is', null)
      .execute();
    expect(open).toEqual([]);
    const [row] = await audit('user.deactivate', target.id);
    expect(row).toMatchObject({
      actor_user_id: admin.id,
      before: { is_active: true },
      after: { is_active: false, sessions_revoked: 2 },
    });

    // a deactivated user's next request is anonymous
    const probe = await respond(
      staffIndex.loader,
      getAs('/admin/staff', { id: target.id, cookie: s1.cookie, csrf: '' }),
      testDb,
    );
    expect(probe.status).toBe(302);

    // reactivating is audited; the old sessions stay dead
    expect((await detail(target.id, admin, { intent: 'activate' })).status).toBe(302);
    expect(await audit('user.activate', target.id)).toHaveLength(1);
    expect(await sessionAlive(s1.cookie)).toBe(false);
  });

  it('an admin cannot deactivate themselves', async () => {
    const res = await detail(admin.id, admin, { intent: 'deactivate' });
    expect(res.status).toBe(400);
    expect((await res.json()).reply.error).toEqual({ '': ['staff.error.self'] });
    expect(await sessionAlive(admin.cookie)).toBe(true);
  });

  it('password reset sets a new argon2 hash, clears a lockout, ends sessions and audits without the secret', async () => {
    const target = await createStaff(testDb.db, { role: 'STORE_MANAGER' });
    await testDb.db
      .updateTable('users')
      .set({ failed_login_count: 5, locked_until: new Date(Date.now() + 600_000) })
      .where('id', '=', target.id)
      .execute();
    const session = await createStaffSession(testDb.db, target.id);

    const tooShort = await detail(target.id, admin, { intent: 'resetPassword', password: 'short' });
    expect(tooShort.status).toBe(400);

    const res = await detail(target.id, admin, {
      intent: 'resetPassword',
      password: 'brand-new-password-42',
    });
    expect(res.status).toBe(302);
    const user = await testDb.db
      .selectFrom('users')
      .select(['password_hash', 'failed_login_count', 'locked_until'])
      .where('id', '=', target.id)
      .executeTakeFirstOrThrow();
    expect(await verifyPassword(user.password_hash, 'brand-new-password-42')).toBe(true);
    expect(await verifyPassword(user.password_hash, target.password)).toBe(false);
    expect(user).toMatchObject({ failed_login_count: 0, locked_until: null });
    expect(await sessionAlive(session.cookie)).toBe(false);
    const [row] = await audit('user.password_reset', target.id);
    expect(JSON.stringify(row)).not.toContain('brand-new-password-42');
    expect(row!.after).toEqual({ sessions_revoked: 1 });
  });

  it('assigns and unassigns manager stores (audited, idempotent), and refuses links for admins', async () => {
    const target = await createStaff(testDb.db, { role: 'STORE_MANAGER' });
    expect(
      (await detail(target.id, admin, { intent: 'assignStore', storeId: String(storeB) })).status,
    ).toBe(302);
    expect(
      (await detail(target.id, admin, { intent: 'assignStore', storeId: String(storeB) })).status,
    ).toBe(302);
    expect(await audit('store_staff.assign', target.id)).toHaveLength(1);
    const links = await testDb.db
      .selectFrom('store_staff')
      .select('store_id')
      .where('user_id', '=', target.id)
      .execute();
    expect(links).toEqual([{ store_id: storeB }]);

    // the manager's access follows at once (the guard reads store_staff on every request)
    const session = await createStaffSession(testDb.db, target.id);
    expect(
      (await getOptionalUser(getAs('/manage', { id: target.id, cookie: session.cookie, csrf: '' })))
        ?.storeIds,
    ).toEqual([storeB]);

    expect(
      (await detail(target.id, admin, { intent: 'unassignStore', storeId: String(storeB) })).status,
    ).toBe(302);
    const [unassigned] = await audit('store_staff.unassign', target.id);
    expect(unassigned).toMatchObject({ store_id: storeB, before: { store_id: storeB } });
    expect(
      (await getOptionalUser(getAs('/manage', { id: target.id, cookie: session.cookie, csrf: '' })))
        ?.storeIds,
    ).toEqual([]);

    const otherAdmin = await createStaff(testDb.db, { role: 'ADMIN' });
    const refused = await detail(otherAdmin.id, admin, {
      intent: 'assignStore',
      storeId: String(storeA),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).reply.error).toEqual({ storeId: ['staff.error.notManager'] });
    const unknown = await detail(target.id, admin, { intent: 'assignStore', storeId: '999999' });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).reply.error).toEqual({ storeId: ['staff.error.store'] });
    const garbage = await detail(target.id, admin, { intent: 'assignStore', storeId: 'abc' });
    expect(garbage.status).toBe(400);
  });

  it('answers 404 for unknown users and 400 for unknown intents', async () => {
    expect((await detail(999999, admin, { intent: 'deactivate' })).status).toBe(404);
    expect((await detail(manager.id, admin, { intent: 'promote' })).status).toBe(400);
    const page = await respond(staffDetail.loader, getAs('/admin/staff/abc', admin), testDb, {
      userId: 'abc',
    });
    expect(page.status).toBe(404);
  });

  it('lists staff with search, role filter and sort from the URL; bad params fall back', async () => {
    const list = async (search: string) => {
      const res = await respond(staffIndex.loader, getAs(`/admin/staff${search}`, admin), testDb);
      expect(res.status, search).toBe(200);
      return res.json() as Promise<{
        staff: { email: string; role: string; store_codes: string[] }[];
        pagination: { total: number };
      }>;
    };
    const found = await list('?q=NEW.MANAGER');
    expect(found.staff.map((s) => [s.email, s.store_codes])).toEqual([
      ['New.Manager@CTEA.local', ['STA-A', 'STA-B']],
    ]);
    const admins = await list('?role=ADMIN');
    expect(admins.staff.every((s) => s.role === 'ADMIN')).toBe(true);
    const inactive = await list('?active=false');
    expect(inactive.pagination.total).toBeGreaterThanOrEqual(0);
    const desc = await list('?sort=email&dir=desc');
    const emails = desc.staff.map((s) => s.email);
    expect(emails).toEqual([...emails].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    for (const bad of [
      '?role=ROOT',
      '?sort=password_hash',
      '?page=-5&pageSize=x',
      '?q=%00',
      '?sort=lastLogin&dir=desc',
    ]) {
      await list(bad);
    }
  });

  it('answers 403 to a store manager on every staff action and page', async () => {
    const target = await createStaff(testDb.db, { role: 'STORE_MANAGER' });
    const attempts: [string, Response][] = [
      [
        'create',
        await respond(
          staffIndex.action,
          formPost('/admin/staff', manager, {
            intent: 'create',
            email: 'x@ctea.local',
            display_name: 'X',
            role: 'ADMIN',
            password: 'a-long-enough-password',
          }),
          testDb,
        ),
      ],
      ['list', await respond(staffIndex.loader, getAs('/admin/staff', manager), testDb)],
      [
        'detail',
        await respond(staffDetail.loader, getAs(`/admin/staff/${target.id}`, manager), testDb, {
          userId: String(target.id),
        }),
      ],
    ];
    for (const intent of [
      'resetPassword',
      'assignStore',
      'unassignStore',
      'deactivate',
      'activate',
    ]) {
      attempts.push([
        intent,
        await detail(target.id, manager, {
          intent,
          password: 'a-long-enough-password',
          storeId: String(storeA),
        }),
      ]);
    }
    // even on themselves
    attempts.push([
      'self-assign',
      await detail(manager.id, manager, { intent: 'assignStore', storeId: String(storeB) }),
    ]);
    for (const [name, res] of attempts) expect(res.status, name).toBe(403);
    const escalated = await testDb.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'x@ctea.local')
      .executeTakeFirst();
    expect(escalated).toBeUndefined();
    const links = await testDb.db
      .selectFrom('store_staff')
      .select('store_id')
      .where('user_id', '=', manager.id)
      .execute();
    expect(links).toEqual([{ store_id: storeA }]);
  });
});
