import type { ActionFunctionArgs } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as listRoute from '../../../app/routes/admin.campaigns._index';
import * as newRoute from '../../../app/routes/admin.campaigns.new';
import * as campaignRoute from '../../../app/routes/admin.campaigns.$campaignId';
import {
  createCampaign,
  createCampaignCode,
  createCouponInstance,
  createCouponTemplate,
  createInfluencer,
  createOrder,
  createStore,
} from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import {
  adminSession,
  auditRows,
  callAction,
  callLoader,
  fieldErrors,
  managerSession,
  type Session,
} from '../../support/staff-requests';

let testDb: TestDatabase;
let admin: Session;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  admin = await adminSession(testDb);
});

afterAll(async () => {
  await testDb?.destroy();
});

let n = 0;
const campaignFields = (over: Record<string, string> = {}) => ({
  code: `SPRING-${++n}`,
  name_ru: 'Весна с блогерами',
  name_zh: '春季达人',
  type: 'INFLUENCER',
  start_at: '2026-03-01T00:00',
  end_at: '2026-04-01T00:00',
  code_letter: 'S',
  budget: '50 000,50',
  description: '',
  ...over,
});

async function statusOf(id: number) {
  const row = await testDb.db
    .selectFrom('campaign')
    .select(['status', 'updated_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.status;
}

function transition(id: number, from: string, to: string, session = admin) {
  return callAction(
    testDb,
    campaignRoute.action,
    session,
    { intent: 'transition', from, to },
    { path: `/admin/campaigns/${id}`, params: { campaignId: String(id) } },
  );
}

describe('create and edit', () => {
  it('creates a DRAFT campaign in Moscow time with a kopeck-exact budget and an audit row', async () => {
    const fields = campaignFields();
    const res = await callAction(testDb, newRoute.action, admin, fields, {
      path: '/admin/campaigns/new',
    });
    expect(res.status).toBe(302);
    const id = Number(/\/admin\/campaigns\/(\d+)/.exec(res.location!)![1]);
    const row = await testDb.db
      .selectFrom('campaign')
      .select(['code', 'status', 'budget_amount', 'start_at', 'end_at', 'code_letter', 'name_en'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      code: fields.code,
      status: 'DRAFT',
      budget_amount: '50000.50',
      code_letter: 'S',
      name_en: null,
    });
    expect(row.start_at.toISOString()).toBe('2026-02-28T21:00:00.000Z');
    const audit = await auditRows(testDb, 'campaign', id);
    expect(audit.map((a) => a.action)).toEqual(['campaign.create']);
    expect(audit[0]!.actor_user_id).toBe(admin.userId);
    expect(audit[0]!.after).toMatchObject({ code: fields.code, budget_amount: '50000.50' });
  });

  it('refuses bad input with field errors and writes nothing', async () => {
    const before = await testDb.db
      .selectFrom('campaign')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await callAction(
      testDb,
      newRoute.action,
      admin,
      campaignFields({
        end_at: '2026-02-01T00:00',
        code_letter: '1',
        budget: '-10',
        start_at: '2026-03-01T00:00',
        name_ru: '',
      }),
      { path: '/admin/campaigns/new' },
    );
    expect(res.status).toBe(400);
    expect(fieldErrors(res.body)).toMatchObject({
      end_at: ['campaigns.error.datesOrder'],
      code_letter: ['campaigns.error.codeLetter'],
      budget: ['campaigns.error.budget'],
      name_ru: ['campaigns.error.nameRequired'],
    });
    const garbage = await callAction(
      testDb,
      newRoute.action,
      admin,
      { code: 'X', start_at: 'yesterday', end_at: '2026-99-99T00:00', type: 'BOGUS' },
      { path: '/admin/campaigns/new' },
    );
    expect(garbage.status).toBe(400);
    expect(fieldErrors(garbage.body)).toMatchObject({
      start_at: ['campaigns.error.dateInvalid'],
      end_at: ['campaigns.error.dateInvalid'],
      type: ['campaigns.error.type'],
    });
    const after = await testDb.db
      .selectFrom('campaign')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('answers a duplicate code with 409 next to the field', async () => {
    const existing = await createCampaign(testDb.db, { code: 'TAKEN-1' });
    const res = await callAction(
      testDb,
      newRoute.action,
      admin,
      campaignFields({ code: 'taken-1' }),
      { path: '/admin/campaigns/new' },
    );
    expect(res.status).toBe(409);
    expect(fieldErrors(res.body)).toEqual({ code: ['campaigns.error.codeTaken'] });
    const edit = await callAction(
      testDb,
      campaignRoute.action,
      admin,
      { intent: 'update', ...campaignFields({ code: 'TAKEN-1' }) },
      { params: { campaignId: String((await createCampaign(testDb.db)).id) } },
    );
    expect(edit.status).toBe(409);
    expect(existing.code).toBe('TAKEN-1');
  });

  it('edits and audits only the changed fields; the status is not editable', async () => {
    const c = await createCampaign(testDb.db, { status: 'DRAFT', budget_amount: '100.00' });
    const res = await callAction(
      testDb,
      campaignRoute.action,
      admin,
      {
        intent: 'update',
        code: c.code,
        name_ru: c.name_ru,
        type: c.type,
        start_at: '2026-05-01T10:00',
        end_at: '2026-06-01T10:00',
        code_letter: 'A',
        budget: '250',
        status: 'ENDED',
      },
      { params: { campaignId: String(c.id) } },
    );
    expect(res.status).toBe(302);
    expect(await statusOf(c.id)).toBe('DRAFT');
    const audit = await auditRows(testDb, 'campaign', c.id);
    expect(audit.map((a) => a.action)).toEqual(['campaign.update']);
    expect(audit[0]!.before).toEqual({
      start_at: c.start_at.toISOString(),
      end_at: c.end_at.toISOString(),
      budget_amount: '100.00',
    });
    expect(audit[0]!.after).toEqual({
      start_at: '2026-05-01T07:00:00.000Z',
      end_at: '2026-06-01T07:00:00.000Z',
      budget_amount: '250.00',
    });
  });

  it('answers 400 to an unknown intent and 404 to an unknown campaign', async () => {
    const c = await createCampaign(testDb.db);
    const unknown = await callAction(
      testDb,
      campaignRoute.action,
      admin,
      { intent: 'explode' },
      { params: { campaignId: String(c.id) } },
    );
    expect(unknown.status).toBe(400);
    const missing = await callLoader(testDb, campaignRoute.loader, admin, '/admin/campaigns/x', {
      campaignId: '999999',
    });
    expect(missing.status).toBe(404);
    const malformed = await transition(Number.NaN, 'DRAFT', 'ACTIVE');
    expect(malformed.status).toBe(404);
  });
});

describe('lifecycle', () => {
  it('walks DRAFT → ACTIVE → PAUSED → ACTIVE → ENDED, auditing each step', async () => {
    const c = await createCampaign(testDb.db, { status: 'DRAFT' });
    const steps: [string, string][] = [
      ['DRAFT', 'ACTIVE'],
      ['ACTIVE', 'PAUSED'],
      ['PAUSED', 'ACTIVE'],
      ['ACTIVE', 'ENDED'],
    ];
    for (const [from, to] of steps) {
      const res = await transition(c.id, from, to);
      expect(res.status, `${from}→${to}`).toBe(302);
      expect(await statusOf(c.id)).toBe(to);
    }
    const audit = await auditRows(testDb, 'campaign', c.id);
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual(
      steps.map(([from, to]) => ['campaign.status', { status: from }, { status: to }]),
    );
  });

  it('allows ending a draft (the way to retire it; rows are never deleted)', async () => {
    const c = await createCampaign(testDb.db, { status: 'DRAFT' });
    expect((await transition(c.id, 'DRAFT', 'ENDED')).status).toBe(302);
    expect(await statusOf(c.id)).toBe('ENDED');
  });

  it('refuses illegal and stale transitions with 409 INVALID_TRANSITION, row unchanged', async () => {
    const cases: [string, string, string][] = [
      // [current, from, to]
      ['DRAFT', 'DRAFT', 'PAUSED'],
      ['ENDED', 'ENDED', 'ACTIVE'],
      ['ENDED', 'ENDED', 'DRAFT'],
      ['ACTIVE', 'ACTIVE', 'DRAFT'],
      ['PAUSED', 'PAUSED', 'PAUSED'],
      // stale page: legal pair, but the campaign has moved on
      ['PAUSED', 'ACTIVE', 'PAUSED'],
      ['ENDED', 'ACTIVE', 'ENDED'],
    ];
    for (const [current, from, to] of cases) {
      const c = await createCampaign(testDb.db, { status: current });
      const res = await transition(c.id, from, to);
      expect(res.status, `${current}: ${from}→${to}`).toBe(409);
      expect(res.body).toMatchObject({
        intent: 'transition',
        error: { code: 'INVALID_TRANSITION', message: 'campaigns.error.invalidTransition' },
      });
      expect(await statusOf(c.id)).toBe(current);
      expect(await auditRows(testDb, 'campaign', c.id)).toEqual([]);
    }
    const c = await createCampaign(testDb.db, { status: 'ACTIVE' });
    const bogus = await transition(c.id, 'ACTIVE', 'ARCHIVED');
    expect(bogus.status).toBe(400);
    expect(await statusOf(c.id)).toBe('ACTIVE');
  });

  it('lets exactly one of two concurrent transitions of one campaign win', async () => {
    for (const [a, b] of [
      ['PAUSED', 'ENDED'],
      ['PAUSED', 'PAUSED'],
    ] as const) {
      const c = await createCampaign(testDb.db, { status: 'ACTIVE' });
      const results = await Promise.all([
        transition(c.id, 'ACTIVE', a),
        transition(c.id, 'ACTIVE', b),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses, `${a} vs ${b}`).toEqual([302, 409]);
      const winner = results.findIndex((r) => r.status === 302) === 0 ? a : b;
      expect(await statusOf(c.id)).toBe(winner);
      const audit = await auditRows(testDb, 'campaign', c.id);
      expect(audit.map((x) => x.after)).toEqual([{ status: winner }]);
    }
  });
});

describe('campaign page', () => {
  it('shows codes, GMV, commission (OS-8), conversion, budget and coupons on known numbers', async () => {
    const c = await createCampaign(testDb.db, { budget_amount: '1500.00', code: 'REPORT-1' });
    const anna = await createInfluencer(testDb.db, { name: 'Анна', commission_rate: '10.00' });
    const boris = await createInfluencer(testDb.db, { name: 'Борис', commission_rate: '12.35' });
    await createCampaignCode(testDb.db, {
      campaign_id: c.id,
      influencer_id: anna.id,
      code: 'A1001',
      scan_count: 30,
      order_count: 10,
      total_gmv: '12345.67',
    });
    await createCampaignCode(testDb.db, {
      campaign_id: c.id,
      influencer_id: boris.id,
      code: 'A1002',
      scan_count: 0,
      order_count: 0,
      total_gmv: '0.00',
    });
    await createCampaignCode(testDb.db, {
      campaign_id: c.id,
      influencer_id: (await createInfluencer(testDb.db, { commission_rate: '12.35' })).id,
      code: 'A1003',
      scan_count: 3,
      order_count: 1,
      total_gmv: '350.00',
    });
    // coupons: source CAMPAIGN with this campaign's code; one redeemed with 50.00 ₽ off
    const template = await createCouponTemplate(testDb.db);
    const used = await createCouponInstance(testDb.db, {
      template_id: template.id,
      source_type: 'CAMPAIGN',
      source_ref: 'REPORT-1',
    });
    const order = await createOrder(testDb.db, {
      member_id: used.member_id,
      coupon_instance_id: used.id,
      coupon_discount: '50.00',
    });
    await testDb.db
      .updateTable('coupon_instance')
      .set({ status: 'USED', used_at: new Date(), used_order_id: order.id })
      .where('id', '=', used.id)
      .execute();
    await createCouponInstance(testDb.db, {
      template_id: template.id,
      source_type: 'CAMPAIGN',
      source_ref: 'REPORT-1',
    });
    await createCouponInstance(testDb.db, { source_type: 'CAMPAIGN', source_ref: 'OTHER' });
    await createCouponInstance(testDb.db, { source_type: 'ADMIN', source_ref: 'REPORT-1' });

    const res = await callLoader(testDb, campaignRoute.loader, admin, '/admin/campaigns/x', {
      campaignId: String(c.id),
    });
    expect(res.status).toBe(200);
    const body = res.body as {
      campaign: { budget_kopecks: number };
      codes: { code: string; commission_kopecks: number; conversion_hundredths: number | null }[];
      totals: unknown;
      coupons: unknown;
    };
    expect(body.campaign.budget_kopecks).toBe(150_000);
    const byCode = Object.fromEntries(body.codes.map((r) => [r.code, r]));
    // 12 345.67 ₽ × 10 % = 1 234.567 → 1 234.57 ₽; 350.00 × 12.35 % = 43.225 → 43.23 ₽
    expect(byCode.A1001).toMatchObject({
      commission_kopecks: 123_457,
      conversion_hundredths: 3333,
    });
    expect(byCode.A1002).toMatchObject({ commission_kopecks: 0, conversion_hundredths: null });
    expect(byCode.A1003).toMatchObject({ commission_kopecks: 4_323, conversion_hundredths: 3333 });
    expect(body.totals).toEqual({
      scans: 33,
      orders: 11,
      gmvKopecks: 1_269_567,
      commissionKopecks: 127_780,
      conversionHundredths: 3333,
    });
    expect(body.coupons).toEqual({ issued: 2, redeemed: 1, discountKopecks: 5_000 });
  });

  it('lists attributed orders of the campaign codes', async () => {
    const code = await createCampaignCode(testDb.db, { code: 'Z4242' });
    const store = await createStore(testDb.db);
    const order = await createOrder(testDb.db, { store_id: store.id, campaign_code_id: code.id });
    await createOrder(testDb.db, { store_id: store.id });
    const res = await callLoader(testDb, campaignRoute.loader, admin, '/admin/campaigns/x', {
      campaignId: String(code.campaign_id),
    });
    const orders = (res.body as { orders: { order_number: string; code: string }[] }).orders;
    expect(orders).toEqual([
      expect.objectContaining({ order_number: order.order_number, code: 'Z4242' }),
    ]);
  });
});

describe('list', () => {
  it('filters by status, type and search from the URL; bad params fall back', async () => {
    const seasonal = await createCampaign(testDb.db, {
      code: 'WINTER-TEA',
      type: 'SEASONAL',
      status: 'PAUSED',
      name_ru: 'Зимний чай',
    });
    await createCampaign(testDb.db, { code: 'WINTER-OTHER', type: 'PROMOTION', status: 'PAUSED' });
    const res = await callLoader(
      testDb,
      listRoute.loader,
      admin,
      '/admin/campaigns?status=PAUSED&type=SEASONAL&q=winter',
    );
    const codes = (res.body as { campaigns: { code: string }[] }).campaigns.map((c) => c.code);
    expect(codes).toEqual([seasonal.code]);
    const byName = await callLoader(testDb, listRoute.loader, admin, '/admin/campaigns?q=зимний');
    expect((byName.body as { campaigns: { code: string }[] }).campaigns.map((c) => c.code)).toEqual(
      ['WINTER-TEA'],
    );
    const bad = await callLoader(
      testDb,
      listRoute.loader,
      admin,
      '/admin/campaigns?status=NOPE&type=1&sort=drop&dir=sideways&page=-4&q=%25',
    );
    expect(bad.status).toBe(200);
    expect((bad.body as { params: unknown }).params).toMatchObject({
      sort: 'start',
      dir: 'desc',
      filters: {},
    });
  });
});

describe('access', () => {
  it('answers 403 to a store manager on every campaign loader and action, changing nothing', async () => {
    const store = await createStore(testDb.db);
    const manager = await managerSession(testDb, [store.id]);
    const c = await createCampaign(testDb.db, { status: 'DRAFT' });
    const params = { campaignId: String(c.id) };
    for (const [name, loader, p] of [
      ['list', listRoute.loader, {}],
      ['new', newRoute.loader, {}],
      ['campaign', campaignRoute.loader, params],
    ] as const) {
      const res = await callLoader(testDb, loader, manager, '/admin/campaigns', p);
      expect(res.status, name).toBe(403);
    }
    const attempts: {
      route: (args: ActionFunctionArgs) => Promise<unknown>;
      fields: Record<string, string>;
      params: Record<string, string>;
    }[] = [
      { route: newRoute.action, fields: campaignFields(), params: {} },
      {
        route: campaignRoute.action,
        fields: { intent: 'transition', from: 'DRAFT', to: 'ACTIVE' },
        params,
      },
      { route: campaignRoute.action, fields: { intent: 'update', ...campaignFields() }, params },
    ];
    for (const attempt of attempts) {
      const res = await callAction(testDb, attempt.route, manager, attempt.fields, {
        params: attempt.params,
      });
      expect(res.status).toBe(403);
    }
    expect(await statusOf(c.id)).toBe('DRAFT');
  });

  it('refuses an admin post without the CSRF token', async () => {
    const c = await createCampaign(testDb.db, { status: 'DRAFT' });
    const res = await callAction(
      testDb,
      campaignRoute.action,
      admin,
      { intent: 'transition', from: 'DRAFT', to: 'ACTIVE' },
      { params: { campaignId: String(c.id) }, csrf: false },
    );
    expect(res.status).toBe(403);
    expect(await statusOf(c.id)).toBe('DRAFT');
  });
});
