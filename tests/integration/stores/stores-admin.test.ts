import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as storeEdit from '../../../app/routes/admin.stores.$storeId._index';
import * as storeLayout from '../../../app/routes/admin.stores.$storeId';
import * as storeList from '../../../app/routes/admin.stores._index';
import * as storeNew from '../../../app/routes/admin.stores.new';
import { createStore } from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { formPost, getAs, respond, signedIn, storeFields, type SignedIn } from './helpers';

describe('admin stores', () => {
  let testDb: TestDatabase;
  let admin: SignedIn;
  let manager: SignedIn;
  let managerStore: number;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await useAppDatabase(testDb);
    managerStore = (await createStore(testDb.db, { code: 'MGR-01', city: 'Тверь' })).id;
    admin = await signedIn(testDb.db, { role: 'ADMIN' });
    manager = await signedIn(testDb.db, { role: 'STORE_MANAGER', storeIds: [managerStore] });
  });

  afterAll(async () => {
    await testDb?.destroy();
  });

  const auditRows = (action: string, entityId: number) =>
    testDb.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_user_id', 'store_id', 'before', 'after', 'request_id'])
      .where('action', '=', action)
      .where('entity_id', '=', String(entityId))
      .execute();

  it('creates a store with hours past midnight, a closed day and a normalised phone; audits it', async () => {
    const res = await respond(
      storeNew.action,
      formPost('/admin/stores/new', admin, storeFields()),
      testDb,
    );
    expect(res.status).toBe(302);
    const id = Number(/\/admin\/stores\/(\d+)/.exec(res.headers.get('Location')!)![1]);
    const row = await testDb.db
      .selectFrom('store')
      .select([
        'code',
        'name_en',
        'phone',
        'latitude',
        'timezone',
        'opening_hours',
        'delivery_enabled',
        'is_active',
      ])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      code: 'KZN-01',
      name_en: null,
      phone: '+78432000000',
      latitude: '55.7903000',
      timezone: 'Europe/Moscow',
      delivery_enabled: false,
      is_active: true,
    });
    // domain §1.3: close < open runs past midnight; a missing day is closed
    expect(row.opening_hours).toEqual({
      mon: { open: '10:00', close: '22:00' },
      tue: { open: '10:00', close: '22:00' },
      wed: { open: '10:00', close: '22:00' },
      thu: { open: '10:00', close: '22:00' },
      fri: { open: '10:00', close: '22:00' },
      sat: { open: '12:00', close: '02:00' },
    });
    const audit = await auditRows('store.create', id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_type: 'USER', actor_user_id: admin.id, store_id: id });
    expect(audit[0]!.after).toMatchObject({ code: 'KZN-01', phone: '+78432000000' });
    expect(audit[0]!.request_id).toBe('test-request');
  });

  it('answers 409 with a field error for a duplicate code (case-insensitive input)', async () => {
    const res = await respond(
      storeNew.action,
      formPost('/admin/stores/new', admin, storeFields({ code: 'kzn-01' })),
      testDb,
    );
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.error).toEqual({ code: ['stores.error.codeTaken'] });
    // the typed values come back for the form
    expect(body.initialValue.name_ru).toBe('Казань Баумана');
  });

  it('answers 409 for an iiko terminal group already linked to another store', async () => {
    const uuid = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
    await createStore(testDb.db, { iiko_terminal_group_id: uuid });
    const res = await respond(
      storeNew.action,
      formPost(
        '/admin/stores/new',
        admin,
        storeFields({ code: 'IIKO-2', iiko_terminal_group_id: uuid.toUpperCase() }),
      ),
      testDb,
    );
    expect(res.status).toBe(409);
    expect((await res.json()).error).toEqual({
      iiko_terminal_group_id: ['stores.error.iikoTaken'],
    });
  });

  it('rejects bad input with 400 field errors, never 500', async () => {
    const res = await respond(
      storeNew.action,
      formPost(
        '/admin/stores/new',
        admin,
        storeFields({
          code: 'bad code!',
          name_ru: '',
          timezone: 'Mars/Olympus',
          latitude: '95',
          longitude: '',
          phone: '12345',
          iiko_terminal_group_id: 'not-a-uuid',
          'hours.mon.open': '25:00',
          'hours.tue.close': '',
        }),
      ),
      testDb,
    );
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error).toMatchObject({
      code: ['stores.error.codeFormat'],
      name_ru: ['stores.error.nameRequired'],
      timezone: ['stores.error.timezone'],
      latitude: ['stores.error.coordinate'],
      phone: ['stores.error.phone'],
      iiko_terminal_group_id: ['stores.error.uuid'],
      'hours.mon.open': ['stores.error.time'],
      'hours.tue.close': ['stores.error.timeRequired'],
    });
    const count = await testDb.db
      .selectFrom('store')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('code', '=', 'BAD CODE!')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('asks for both coordinates and accepts equal open/close as 24 hours', async () => {
    const res = await respond(
      storeNew.action,
      formPost('/admin/stores/new', admin, storeFields({ code: 'H24', longitude: '' })),
      testDb,
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({ longitude: ['stores.error.coordinatePair'] });

    const ok = await respond(
      storeNew.action,
      formPost(
        '/admin/stores/new',
        admin,
        storeFields({
          code: 'H24',
          timezone: 'asia/yekaterinburg',
          'hours.mon.open': '00:00',
          'hours.mon.close': '00:00',
        }),
      ),
      testDb,
    );
    expect(ok.status).toBe(302);
    const row = await testDb.db
      .selectFrom('store')
      .select(['opening_hours', 'timezone'])
      .where('code', '=', 'H24')
      .executeTakeFirstOrThrow();
    expect(row.timezone).toBe('Asia/Yekaterinburg');
    expect((row.opening_hours as Record<string, unknown>).mon).toEqual({
      open: '00:00',
      close: '00:00',
    });
  });

  it('edits a store, deactivating it keeps the row, and audits only the changed fields', async () => {
    const store = await createStore(testDb.db, { code: 'EDT-01', name_ru: 'Старое имя' });
    const path = `/admin/stores/${store.id}`;
    const params = { storeId: String(store.id) };
    const loaded = await storeEdit.loader({
      request: getAs(path, admin),
      params,
      context: { requestId: 't', db: testDb.db, clientIp: null },
    });
    expect(((await (loaded as Response).json()) as { store: { code: string } }).store.code).toBe(
      'EDT-01',
    );

    const fields = storeFields({
      code: 'EDT-01',
      name_ru: 'Новое имя',
      address_ru: 'Москва, ул. Тестовая, 1',
      city: 'Москва',
      latitude: '',
      longitude: '',
      phone: '',
      is_active: '',
    });
    delete fields.is_active;
    const res = await respond(storeEdit.action, formPost(path, admin, fields), testDb, params);
    expect(res.status).toBe(302);
    const row = await testDb.db
      .selectFrom('store')
      .select(['name_ru', 'is_active'])
      .where('id', '=', store.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ name_ru: 'Новое имя', is_active: false });
    const [audit] = await auditRows('store.update', store.id);
    expect(audit!.before).toMatchObject({ name_ru: 'Старое имя', is_active: true });
    expect(audit!.after).toMatchObject({ name_ru: 'Новое имя', is_active: false });
    expect(Object.keys(audit!.after as object)).not.toContain('code');

    // saving the same values again changes nothing and writes no audit row
    await respond(storeEdit.action, formPost(path, admin, fields), testDb, params);
    expect(await auditRows('store.update', store.id)).toHaveLength(1);
  });

  it('renaming a store to an existing code is a 409 field error', async () => {
    const store = await createStore(testDb.db, { code: 'REN-01' });
    const res = await respond(
      storeEdit.action,
      formPost(`/admin/stores/${store.id}`, admin, storeFields({ code: 'MGR-01' })),
      testDb,
      { storeId: String(store.id) },
    );
    expect(res.status).toBe(409);
    expect((await res.json()).error).toEqual({ code: ['stores.error.codeTaken'] });
  });

  it('answers 404 for unknown or malformed store ids', async () => {
    for (const storeId of ['999999', 'abc', '0']) {
      const res = await respond(storeEdit.loader, getAs('/admin/stores/x', admin), testDb, {
        storeId,
      });
      expect(res.status, storeId).toBe(404);
      const layout = await respond(storeLayout.loader, getAs('/admin/stores/x', admin), testDb, {
        storeId,
      });
      expect(layout.status, storeId).toBe(404);
      const post = await respond(
        storeEdit.action,
        formPost('/admin/stores/x', admin, storeFields()),
        testDb,
        { storeId },
      );
      expect(post.status, storeId).toBe(404);
    }
  });

  it('refuses a missing or wrong CSRF token', async () => {
    const res = await respond(
      storeNew.action,
      formPost('/admin/stores/new', admin, storeFields({ code: 'CSRF' }), { csrf: false }),
      testDb,
    );
    expect(res.status).toBe(403);
  });

  it('answers 403 to a store manager on every store action, even for their own store', async () => {
    const own = { storeId: String(managerStore) };
    const attempts: [string, Response][] = [
      [
        'new',
        await respond(
          storeNew.action,
          formPost('/admin/stores/new', manager, storeFields({ code: 'MGR-X' })),
          testDb,
        ),
      ],
      [
        'edit',
        await respond(
          storeEdit.action,
          formPost(`/admin/stores/${managerStore}`, manager, storeFields({ code: 'MGR-01' })),
          testDb,
          own,
        ),
      ],
      ['list', await respond(storeList.loader, getAs('/admin/stores', manager), testDb)],
      [
        'edit page',
        await respond(
          storeEdit.loader,
          getAs(`/admin/stores/${managerStore}`, manager),
          testDb,
          own,
        ),
      ],
    ];
    for (const [name, res] of attempts) expect(res.status, name).toBe(403);
    const count = await testDb.db
      .selectFrom('store')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('code', '=', 'MGR-X')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});
