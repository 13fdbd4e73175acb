import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as zonesRoute from '../../../app/routes/admin.stores.$storeId.zones';
import { createDeliveryZone, createStore } from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { formPost, getAs, respond, signedIn, type SignedIn } from './helpers';

const geojson = JSON.stringify({
  type: 'Feature',
  properties: {},
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [37.5, 55.7],
        [37.7, 55.7],
        [37.7, 55.8],
        [37.5, 55.8],
        [37.5, 55.7],
      ],
    ],
  },
});

function zoneFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    intent: 'create',
    name_ru: 'Центр',
    name_zh: '市中心',
    polygon: geojson,
    fee: '150,50',
    min_order_amount: '700',
    eta_minutes: '45',
    is_active: 'on',
    ...overrides,
  };
}

describe('delivery zones of a store', () => {
  let testDb: TestDatabase;
  let admin: SignedIn;
  let manager: SignedIn;
  let storeId: number;
  let otherStoreId: number;
  const path = () => `/admin/stores/${storeId}/zones`;
  const params = () => ({ storeId: String(storeId) });

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await useAppDatabase(testDb);
    storeId = (
      await createStore(testDb.db, { latitude: '55.75', longitude: '37.6', delivery_enabled: true })
    ).id;
    otherStoreId = (await createStore(testDb.db)).id;
    admin = await signedIn(testDb.db, { role: 'ADMIN' });
    manager = await signedIn(testDb.db, { role: 'STORE_MANAGER', storeIds: [storeId] });
  });

  afterAll(async () => {
    await testDb?.destroy();
  });

  it('creates a zone from pasted GeoJSON, stored as [lat, lng] with kopeck-exact money; audits it', async () => {
    const res = await respond(
      zonesRoute.action,
      formPost(path(), admin, zoneFields()),
      testDb,
      params(),
    );
    expect(res.status).toBe(302);
    const zone = await testDb.db
      .selectFrom('delivery_zone')
      .select(['id', 'polygon', 'fee', 'min_order_amount', 'eta_minutes', 'is_active', 'name_zh'])
      .where('store_id', '=', storeId)
      .executeTakeFirstOrThrow();
    expect(zone).toMatchObject({
      fee: '150.50',
      min_order_amount: '700.00',
      eta_minutes: 45,
      is_active: true,
      name_zh: '市中心',
    });
    expect(zone.polygon).toEqual([
      [55.7, 37.5],
      [55.7, 37.7],
      [55.8, 37.7],
      [55.8, 37.5],
    ]);
    const audit = await testDb.db
      .selectFrom('audit_log')
      .select(['store_id', 'actor_user_id', 'after'])
      .where('action', '=', 'zone.create')
      .where('entity_id', '=', String(zone.id))
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ store_id: storeId, actor_user_id: admin.id });
    expect(audit.after).toMatchObject({ fee: 15050, min_order_amount: 70000 });
  });

  it('answers 400 with a field error for malformed polygons, amounts and ETA', async () => {
    const cases: [Record<string, string>, Record<string, string[]>][] = [
      [
        { polygon: '0,0\n10,10\n10,0\n0,10' },
        { polygon: ['delivery.polygon.error.selfIntersecting'] },
      ],
      [
        { polygon: '55.7, 37.5\n55.8, 37.6' },
        { polygon: ['delivery.polygon.error.tooFewVertices'] },
      ],
      [
        {
          polygon:
            '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0.2,0.2],[0.3,0.2],[0.3,0.3],[0.2,0.2]]]}',
        },
        { polygon: ['delivery.polygon.error.holes'] },
      ],
      [
        { polygon: '[[95, 37], [55, 37], [55, 38]]' },
        { polygon: ['delivery.polygon.error.outOfRange'] },
      ],
      [{ polygon: '{not json' }, { polygon: ['delivery.polygon.error.syntax'] }],
      [{ polygon: '' }, { polygon: ['delivery.polygon.error.empty'] }],
      [{ fee: '-1' }, { fee: ['delivery.error.money'] }],
      [{ fee: '1.234' }, { fee: ['delivery.error.money'] }],
      [{ min_order_amount: 'lots' }, { min_order_amount: ['delivery.error.money'] }],
      [{ eta_minutes: '0' }, { eta_minutes: ['delivery.error.eta'] }],
      [{ eta_minutes: '241' }, { eta_minutes: ['delivery.error.eta'] }],
      [{ eta_minutes: 'soon' }, { eta_minutes: ['delivery.error.eta'] }],
    ];
    for (const [overrides, expected] of cases) {
      const res = await respond(
        zonesRoute.action,
        formPost(path(), admin, zoneFields(overrides)),
        testDb,
        params(),
      );
      expect(res.status, JSON.stringify(overrides)).toBe(400);
      const body = await res.json();
      expect(body.intent).toBe('create');
      expect(body.reply.error, JSON.stringify(overrides)).toEqual(expected);
    }
  });

  it('updates a zone of this store and audits the changed fields only', async () => {
    const zone = await createDeliveryZone(testDb.db, storeId, { fee: '100.00' });
    const res = await respond(
      zonesRoute.action,
      formPost(
        path(),
        admin,
        zoneFields({
          intent: 'update',
          zoneId: String(zone.id),
          name_ru: zone.name_ru,
          name_zh: '',
          polygon: '55.7, 37.5\n55.7, 37.7\n55.8, 37.7\n55.8, 37.5',
          fee: '120',
          min_order_amount: '0',
          eta_minutes: '45',
          is_active: '',
        }),
      ),
      testDb,
      params(),
    );
    expect(res.status).toBe(302);
    const row = await testDb.db
      .selectFrom('delivery_zone')
      .select(['fee', 'is_active'])
      .where('id', '=', zone.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ fee: '120.00', is_active: false });
    const audit = await testDb.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'zone.update')
      .where('entity_id', '=', String(zone.id))
      .executeTakeFirstOrThrow();
    expect(audit.before).toEqual({ fee: 10000, is_active: true });
    expect(audit.after).toEqual({ fee: 12000, is_active: false });
  });

  it("cannot update another store's zone through this store (404), nor an unknown intent (400)", async () => {
    const foreign = await createDeliveryZone(testDb.db, otherStoreId);
    const res = await respond(
      zonesRoute.action,
      formPost(path(), admin, zoneFields({ intent: 'update', zoneId: String(foreign.id) })),
      testDb,
      params(),
    );
    expect(res.status).toBe(404);
    const unchanged = await testDb.db
      .selectFrom('delivery_zone')
      .select('fee')
      .where('id', '=', foreign.id)
      .executeTakeFirstOrThrow();
    expect(unchanged.fee).toBe('150.00');
    const bad = await respond(
      zonesRoute.action,
      formPost(path(), admin, zoneFields({ intent: 'delete' })),
      testDb,
      params(),
    );
    expect(bad.status).toBe(400);
  });

  it('lists the zones with the store point for the preview', async () => {
    const res = await respond(zonesRoute.loader, getAs(path(), admin), testDb, params());
    const data = await res.json();
    expect(data.point).toEqual([55.75, 37.6]);
    expect(data.zones.length).toBeGreaterThanOrEqual(2);
    expect(data.zones[0]).toMatchObject({ storeId, isActive: true });
  });

  it('answers 403 to the store manager, even for their own store', async () => {
    const before = await testDb.db
      .selectFrom('delivery_zone')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const post = await respond(
      zonesRoute.action,
      formPost(path(), manager, zoneFields()),
      testDb,
      params(),
    );
    expect(post.status).toBe(403);
    const view = await respond(zonesRoute.loader, getAs(path(), manager), testDb, params());
    expect(view.status).toBe(403);
    const after = await testDb.db
      .selectFrom('delivery_zone')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
