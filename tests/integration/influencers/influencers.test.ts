import type { ActionFunctionArgs } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCampaignCode } from '../../../app/features/influencers/influencers.service.server';
import * as listRoute from '../../../app/routes/admin.influencers._index';
import * as newRoute from '../../../app/routes/admin.influencers.new';
import * as influencerRoute from '../../../app/routes/admin.influencers.$influencerId';
import * as cardRoute from '../../../app/routes/admin.influencers.$influencerId_.codes.$codeId.card';
import * as csvRoute from '../../../app/routes/admin.influencers.report[.]csv';
import { createCampaign, createCampaignCode, createInfluencer, createStore } from '../../factories';
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

const CODE_FORMAT = /^[A-Z][1-9][0-9]{3}$/;

const influencerFields = (over: Record<string, string> = {}) => ({
  name: 'Анна Чай',
  phone: '+7 999 123-45-67',
  email: 'anna@example.com',
  social_platform: 'Telegram',
  social_handle: '@anna_tea',
  follower_count: '15000',
  commission_rate: '12,5',
  status: 'ACTIVE',
  notes: '',
  ...over,
});

function onInfluencer(influencerId: number, fields: Record<string, string>, session = admin) {
  return callAction(testDb, influencerRoute.action, session, fields, {
    path: `/admin/influencers/${influencerId}`,
    params: { influencerId: String(influencerId) },
  });
}

const generate = (influencerId: number, campaignId: number) =>
  onInfluencer(influencerId, { intent: 'generate-code', campaignId: String(campaignId) });

function codeIdOf(location: string | null): number {
  return Number(/[?&]code=(\d+)/.exec(location ?? '')![1]);
}

async function codesOf(campaignId: number, influencerId: number) {
  return testDb.db
    .selectFrom('campaign_code')
    .select(['id', 'code', 'is_active'])
    .where('campaign_id', '=', campaignId)
    .where('influencer_id', '=', influencerId)
    .execute();
}

describe('influencer form', () => {
  it('creates an influencer with normalised fields and an audit row', async () => {
    const res = await callAction(testDb, newRoute.action, admin, influencerFields(), {
      path: '/admin/influencers/new',
    });
    expect(res.status).toBe(302);
    const id = Number(/\/admin\/influencers\/(\d+)/.exec(res.location!)![1]);
    const row = await testDb.db
      .selectFrom('influencer')
      .select(['name', 'phone', 'commission_rate', 'follower_count', 'status', 'notes'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      name: 'Анна Чай',
      phone: '+79991234567',
      commission_rate: '12.50',
      follower_count: 15000,
      status: 'ACTIVE',
      notes: null,
    });
    const audit = await auditRows(testDb, 'influencer', id);
    expect(audit.map((a) => a.action)).toEqual(['influencer.create']);
    expect(audit[0]!.after).toMatchObject({ commission_rate: '12.50', phone: '+79991234567' });
  });

  it('refuses bad input with field errors (never a 500) and writes nothing', async () => {
    const res = await callAction(
      testDb,
      newRoute.action,
      admin,
      influencerFields({
        name: '',
        phone: '12345',
        email: 'nope',
        follower_count: '-1',
        commission_rate: '100.5',
        status: 'BANNED',
      }),
      { path: '/admin/influencers/new' },
    );
    expect(res.status).toBe(400);
    expect(fieldErrors(res.body)).toMatchObject({
      name: ['influencers.error.nameRequired'],
      phone: ['influencers.error.phone'],
      email: ['influencers.error.email'],
      follower_count: ['influencers.error.followers'],
      commission_rate: ['influencers.error.rate'],
      status: ['influencers.error.status'],
    });
    const huge = await callAction(
      testDb,
      newRoute.action,
      admin,
      influencerFields({ follower_count: '99999999999', commission_rate: '1.005' }),
      { path: '/admin/influencers/new' },
    );
    expect(huge.status).toBe(400);
  });

  it('edits and audits only the changed fields', async () => {
    const inf = await createInfluencer(testDb.db, { name: 'Борис', commission_rate: '10.00' });
    const res = await onInfluencer(inf.id, {
      intent: 'update',
      name: 'Борис',
      commission_rate: '7.5',
      status: 'SUSPENDED',
    });
    expect(res.status).toBe(302);
    const audit = await auditRows(testDb, 'influencer', inf.id);
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual([
      [
        'influencer.update',
        { commission_rate: '10.00', status: 'ACTIVE' },
        { commission_rate: '7.50', status: 'SUSPENDED' },
      ],
    ]);
    const bad = await onInfluencer(inf.id, { intent: 'update', name: 'Б', commission_rate: 'x' });
    expect(bad.status).toBe(400);
    expect(fieldErrors(bad.body)).toMatchObject({ commission_rate: ['influencers.error.rate'] });
    expect((await onInfluencer(inf.id, { intent: 'what' })).status).toBe(400);
  });

  it('lists with status filter and search in the URL', async () => {
    const suspended = await createInfluencer(testDb.db, {
      name: 'Ёжик Сушеный',
      status: 'SUSPENDED',
    });
    await createInfluencer(testDb.db, { name: 'Ёжик Активный' });
    const res = await callLoader(
      testDb,
      listRoute.loader,
      admin,
      '/admin/influencers?status=SUSPENDED&q=ёжик',
    );
    const ids = (res.body as { influencers: { id: number }[] }).influencers.map((i) => i.id);
    expect(ids).toEqual([suspended.id]);
    const bad = await callLoader(
      testDb,
      listRoute.loader,
      admin,
      '/admin/influencers?status=x&sort=;',
    );
    expect(bad.status).toBe(200);
  });
});

describe('campaign codes (OS-1)', () => {
  it('generates letter + 4 digits once per pair; a second click returns the same code', async () => {
    const campaign = await createCampaign(testDb.db, { code_letter: 'K', status: 'DRAFT' });
    const inf = await createInfluencer(testDb.db);
    const first = await generate(inf.id, campaign.id);
    expect(first.status).toBe(302);
    expect(first.location).toContain('notice=created');
    const second = await generate(inf.id, campaign.id);
    expect(second.status).toBe(302);
    expect(second.location).toContain('notice=existing');
    expect(codeIdOf(second.location)).toBe(codeIdOf(first.location));
    const rows = await codesOf(campaign.id, inf.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.code).toMatch(CODE_FORMAT);
    expect(rows[0]!.code[0]).toBe('K');
    const audit = await auditRows(testDb, 'campaign_code', rows[0]!.id);
    expect(audit.map((a) => a.action)).toEqual(['campaign_code.create']);
    expect(audit[0]!.after).toEqual({
      code: rows[0]!.code,
      campaign_id: campaign.id,
      influencer_id: inf.id,
    });
  });

  it('makes one row when several generate calls for one pair run concurrently', async () => {
    for (let round = 0; round < 3; round += 1) {
      const campaign = await createCampaign(testDb.db, { code_letter: 'C' });
      const inf = await createInfluencer(testDb.db);
      const results = await Promise.all(
        Array.from({ length: 4 }, () => generate(inf.id, campaign.id)),
      );
      expect(results.map((r) => r.status)).toEqual([302, 302, 302, 302]);
      const ids = new Set(results.map((r) => codeIdOf(r.location)));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.location!.includes('notice=created'))).toHaveLength(1);
      const rows = await codesOf(campaign.id, inf.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.id).toBe([...ids][0]);
      expect(await auditRows(testDb, 'campaign_code', rows[0]!.id)).toHaveLength(1);
    }
  });

  it('retries a clashing number and gives up with CODE_SPACE_EXHAUSTED after 20 clashes', async () => {
    const campaign = await createCampaign(testDb.db, { code_letter: 'Q' });
    await createCampaignCode(testDb.db, { campaign_id: campaign.id, code: 'Q1234' });
    await createCampaignCode(testDb.db, { campaign_id: campaign.id, code: 'Q2345' });
    const actor = { userId: admin.userId };

    const sequence = [1234, 2345, 1234, 5678];
    const drawn: [number, number][] = [];
    const retried = await generateCampaignCode(
      testDb.db,
      actor,
      { campaignId: campaign.id, influencerId: (await createInfluencer(testDb.db)).id },
      (min, max) => {
        drawn.push([min, max]);
        return sequence[drawn.length - 1]!;
      },
    );
    expect(retried).toMatchObject({ ok: true, created: true, code: { code: 'Q5678' } });
    // the CSPRNG range is 1000–9999 (randomInt's max is exclusive)
    expect(drawn).toEqual(Array.from({ length: 4 }, () => [1000, 10_000]));

    const stuck = await createInfluencer(testDb.db);
    let calls = 0;
    const exhausted = await generateCampaignCode(
      testDb.db,
      actor,
      { campaignId: campaign.id, influencerId: stuck.id },
      () => {
        calls += 1;
        return 1234;
      },
    );
    expect(exhausted).toEqual({ ok: false, error: 'CODE_SPACE_EXHAUSTED' });
    expect(calls).toBe(20);
    expect(await codesOf(campaign.id, stuck.id)).toEqual([]);
  });

  it('answers the exhaustion through the action as 409 with a message', async () => {
    // the action uses the real CSPRNG; fill nothing, but prove the mapping with an ended campaign
    const ended = await createCampaign(testDb.db, { status: 'ENDED' });
    const inf = await createInfluencer(testDb.db);
    const res = await generate(inf.id, ended.id);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'CAMPAIGN_ENDED' } });
    const suspended = await createInfluencer(testDb.db, { status: 'SUSPENDED' });
    const res2 = await generate(suspended.id, (await createCampaign(testDb.db)).id);
    expect(res2.status).toBe(409);
    expect(res2.body).toMatchObject({ error: { code: 'INFLUENCER_NOT_ACTIVE' } });
    const noCampaign = await onInfluencer(inf.id, { intent: 'generate-code', campaignId: 'abc' });
    expect(noCampaign.status).toBe(400);
    const unknownCampaign = await generate(inf.id, 987_654);
    expect(unknownCampaign.status).toBe(400);
    expect(await codesOf(ended.id, inf.id)).toEqual([]);
  });

  it('still returns an existing code after its campaign ended (idempotent)', async () => {
    const code = await createCampaignCode(testDb.db);
    await testDb.db
      .updateTable('campaign')
      .set({ status: 'ENDED' })
      .where('id', '=', code.campaign_id)
      .execute();
    const res = await generate(code.influencer_id, code.campaign_id);
    expect(res.status).toBe(302);
    expect(codeIdOf(res.location)).toBe(code.id);
  });

  it('deactivates and reactivates a code with audit rows; another influencer’s code is 404', async () => {
    const code = await createCampaignCode(testDb.db);
    const toggle = (active: string, influencerId = code.influencer_id) =>
      onInfluencer(influencerId, {
        intent: 'toggle-code',
        codeId: String(code.id),
        active,
      });
    expect((await toggle('false')).status).toBe(302);
    expect((await codesOf(code.campaign_id, code.influencer_id))[0]!.is_active).toBe(false);
    expect((await toggle('false')).status).toBe(302);
    expect((await toggle('true')).status).toBe(302);
    expect((await codesOf(code.campaign_id, code.influencer_id))[0]!.is_active).toBe(true);
    const audit = await auditRows(testDb, 'campaign_code', code.id);
    expect(audit.map((a) => a.action)).toEqual([
      'campaign_code.deactivate',
      'campaign_code.activate',
    ]);
    const other = await createInfluencer(testDb.db);
    expect((await toggle('false', other.id)).status).toBe(404);
    expect((await toggle('maybe')).status).toBe(400);
  });
});

describe('code card and report', () => {
  it('renders the card with the code as an inline QR SVG', async () => {
    const campaign = await createCampaign(testDb.db, { name_ru: 'Лето', code_letter: 'L' });
    const inf = await createInfluencer(testDb.db, { name: 'Вера' });
    const code = await createCampaignCode(testDb.db, {
      campaign_id: campaign.id,
      influencer_id: inf.id,
      code: 'L7777',
    });
    const res = await callLoader(testDb, cardRoute.loader, admin, '/admin/influencers/x', {
      influencerId: String(inf.id),
      codeId: String(code.id),
    });
    expect(res.status).toBe(200);
    const body = res.body as { card: Record<string, unknown>; qrSvg: string };
    expect(body.card).toMatchObject({
      code: 'L7777',
      influencer_name: 'Вера',
      campaign_name_ru: 'Лето',
    });
    expect(body.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const other = await createInfluencer(testDb.db);
    const wrong = await callLoader(testDb, cardRoute.loader, admin, '/admin/influencers/x', {
      influencerId: String(other.id),
      codeId: String(code.id),
    });
    expect(wrong.status).toBe(404);
  });

  it('exports the performance table as Excel-ready CSV with escaped fields', async () => {
    const campaign = await createCampaign(testDb.db, { code: 'CSV-1', name_ru: 'Отчёт; "тест"' });
    const inf = await createInfluencer(testDb.db, {
      name: '=cmd|"Анна"',
      commission_rate: '10.00',
    });
    await createCampaignCode(testDb.db, {
      campaign_id: campaign.id,
      influencer_id: inf.id,
      code: 'R1234',
      scan_count: 3,
      order_count: 1,
      total_gmv: '12345.67',
    });
    const res = await callLoader(
      testDb,
      csvRoute.loader,
      admin,
      `/admin/influencers/report.csv?campaignId=${campaign.id}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('Content-Disposition')).toMatch(
      /^attachment; filename="influencer-report-/,
    );
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const lines = res.text.slice(1).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      'Блогер;Код кампании;Кампания;Код;Код;Сканы;Заказы;Оборот;Ставка, %;Комиссия;Конверсия',
    );
    expect(lines[1]).toBe(
      `"'=cmd|""Анна""";CSV-1;"Отчёт; ""тест""";R1234;Действует;3;1;12345,67;10,00;1234,57;33,33`,
    );
    expect(lines[2]).toBe('');
  });
});

describe('access', () => {
  it('answers 403 to a store manager on every influencer loader and action', async () => {
    const store = await createStore(testDb.db);
    const manager = await managerSession(testDb, [store.id]);
    const code = await createCampaignCode(testDb.db);
    const params = { influencerId: String(code.influencer_id) };
    const loaders = [
      [listRoute.loader, {}],
      [newRoute.loader, {}],
      [influencerRoute.loader, params],
      [cardRoute.loader, { ...params, codeId: String(code.id) }],
      [csvRoute.loader, {}],
    ] as const;
    for (const [loader, p] of loaders) {
      expect((await callLoader(testDb, loader, manager, '/admin/influencers', p)).status).toBe(403);
    }
    const actions: {
      route: (args: ActionFunctionArgs) => Promise<unknown>;
      fields: Record<string, string>;
      params: Record<string, string>;
    }[] = [
      { route: newRoute.action, fields: influencerFields(), params: {} },
      {
        route: influencerRoute.action,
        fields: { intent: 'update', ...influencerFields() },
        params,
      },
      {
        route: influencerRoute.action,
        fields: { intent: 'generate-code', campaignId: String(code.campaign_id) },
        params,
      },
      {
        route: influencerRoute.action,
        fields: { intent: 'toggle-code', codeId: String(code.id), active: 'false' },
        params,
      },
    ];
    for (const a of actions) {
      expect(
        (await callAction(testDb, a.route, manager, a.fields, { params: a.params })).status,
      ).toBe(403);
    }
    expect((await codesOf(code.campaign_id, code.influencer_id))[0]!.is_active).toBe(true);
  });
});
