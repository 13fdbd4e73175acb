import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as issueRoute from '../../../app/routes/admin.coupons.$templateId_.issue';
import { issueCoupons } from '../../../app/features/coupons/issue.service.server';
import { batchTag } from '../../../app/features/coupons/issue.schema';
import { createCouponTemplate, createMember, createStore, uniquePhone } from '../../factories';
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

const issuePath = (id: number) => `/admin/coupons/${id}/issue`;

function issue(templateId: number, fields: Record<string, string>, session: Session = admin) {
  return callAction(
    testDb,
    issueRoute.action,
    session,
    { batch_key: crypto.randomUUID(), reason: 'Тест', ...fields },
    { path: issuePath(templateId), params: { templateId: String(templateId) } },
  );
}

async function instancesOf(templateId: number) {
  return testDb.db
    .selectFrom('coupon_instance')
    .selectAll()
    .where('template_id', '=', templateId)
    .orderBy('id')
    .execute();
}

type Summary = {
  issued: number;
  alreadyIssued: number;
  unknownPhones: string[];
  invalidPhones: string[];
  chunks: number;
};
const replyOf = (body: unknown) => (body as { reply: unknown }).reply;
const summaryOf = (body: unknown) => (body as { summary: Summary }).summary;

describe('issuing to one member by phone', () => {
  it('normalises the phone, creates an UNUSED instance, a CREATED audit row and audit_log', async () => {
    const template = await createCouponTemplate(testDb.db);
    const member = await createMember(testDb.db, { phone: '+79161234567' });
    const res = await issue(template.id, {
      target: 'PHONE',
      phone: '8 (916) 123-45-67',
      tags: 'spring, vip',
      source_type: 'COMPENSATION',
      source_ref: 'TICKET-7',
      reason: 'Компенсация за задержку',
    });
    expect(res.status).toBe(200);
    expect(summaryOf(res.body)).toMatchObject({ issued: 1, alreadyIssued: 0, chunks: 1 });

    const [instance] = await instancesOf(template.id);
    expect(instance).toMatchObject({
      member_id: member.id,
      status: 'UNUSED',
      source_type: 'COMPENSATION',
      source_ref: 'TICKET-7',
    });
    expect(instance!.tags).toEqual(expect.arrayContaining(['spring', 'vip']));
    expect(instance!.tags.some((t) => t.startsWith('batch:'))).toBe(true);

    const coupons = await testDb.db
      .selectFrom('coupon_audit_log')
      .selectAll()
      .where('coupon_instance_id', '=', instance!.id)
      .execute();
    expect(coupons).toHaveLength(1);
    expect(coupons[0]).toMatchObject({
      action: 'CREATED',
      to_status: 'UNUSED',
      actor_type: 'ADMIN',
      actor_user_id: admin.userId,
      reason: 'Компенсация за задержку',
    });
    const audits = await auditRows(testDb, 'coupon_template', template.id);
    expect(audits.map((a) => a.action)).toEqual(['coupon.issue']);
    expect(audits[0]!.after).toMatchObject({ issued: 1 });
  });

  it('the loader renders the form with a fresh batch key', async () => {
    const template = await createCouponTemplate(testDb.db);
    const a = await callLoader(testDb, issueRoute.loader, admin, issuePath(template.id), {
      templateId: String(template.id),
    });
    const b = await callLoader(testDb, issueRoute.loader, admin, issuePath(template.id), {
      templateId: String(template.id),
    });
    expect(a.status).toBe(200);
    const keyA = (a.body as { batchKey: string }).batchKey;
    expect(keyA).toMatch(/^[0-9a-f-]{36}$/);
    expect(keyA).not.toBe((b.body as { batchKey: string }).batchKey);
  });

  it('bad input is field errors, never a 500', async () => {
    const template = await createCouponTemplate(testDb.db);
    const cases: [Record<string, string>, string][] = [
      [{ target: 'PHONE', phone: '123' }, 'phone'],
      [{ target: 'PHONE', phone: '' }, 'phone'],
      [{ target: 'PHONE', phone: uniquePhone() }, 'phone'], // nobody has it
      [{ target: 'LIST', phones: '' }, 'phones'],
      [{ target: 'GROUP', group: '' }, 'group'],
      [{ target: 'GROUP', group: 'NOPE' }, 'group'],
      [{ target: 'PHONE', phone: '+79001112233', reason: '' }, 'reason'],
      [{ target: 'PHONE', phone: '+79001112233', tags: 'batch:x' }, 'tags'],
      [{ target: 'PHONE', phone: '+79001112233', source_type: 'SIGNUP' }, 'source_type'],
      [{ target: 'PHONE', phone: '+79001112233', source_type: 'CAMPAIGN' }, 'source_ref'],
      [{ target: 'PHONE', phone: '+79001112233', batch_key: 'not-a-uuid' }, 'batch_key'],
      [{ target: 'NOBODY' }, 'target'],
    ];
    for (const [fields, field] of cases) {
      const res = await issue(template.id, fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(fieldErrors(replyOf(res.body))[field], JSON.stringify(fields)).toBeTruthy();
    }
    expect(await instancesOf(template.id)).toHaveLength(0);
  });

  it('an unknown or malformed template id answers 404', async () => {
    for (const templateId of ['999999', 'abc', '']) {
      const res = await callLoader(testDb, issueRoute.loader, admin, '/admin/coupons/x/issue', {
        templateId,
      });
      expect(res.status).toBe(404);
    }
    const res = await issue(999999, { target: 'PHONE', phone: '+79001112233' });
    expect([400, 404]).toContain(res.status);
  });
});

describe('idempotency by batch key', () => {
  it('issuing the same batch twice creates one set', async () => {
    const template = await createCouponTemplate(testDb.db);
    const members = await Promise.all([1, 2, 3].map(() => createMember(testDb.db)));
    const batch_key = crypto.randomUUID();
    const fields = { target: 'LIST', phones: members.map((m) => m.phone).join('\n'), batch_key };
    const first = await issue(template.id, fields);
    const second = await issue(template.id, fields);
    expect(summaryOf(first.body)).toMatchObject({ issued: 3, alreadyIssued: 0 });
    expect(summaryOf(second.body)).toMatchObject({ issued: 0, alreadyIssued: 3 });
    const rows = await instancesOf(template.id);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.tags.includes(batchTag(batch_key)))).toBe(true);
    // a different batch is a new issue
    const third = await issue(template.id, { ...fields, batch_key: crypto.randomUUID() });
    expect(summaryOf(third.body).issued).toBe(3);
    expect(await instancesOf(template.id)).toHaveLength(6);
  });

  it('the loader reports the progress of a batch', async () => {
    const template = await createCouponTemplate(testDb.db);
    const member = await createMember(testDb.db);
    const batch_key = crypto.randomUUID();
    await issue(template.id, { target: 'PHONE', phone: member.phone, batch_key });
    const res = await callLoader(
      testDb,
      issueRoute.loader,
      admin,
      `${issuePath(template.id)}?batch=${batch_key}`,
      { templateId: String(template.id) },
    );
    expect((res.body as { progress: number }).progress).toBe(1);
  });
});

describe('lists of phones', () => {
  it('reports unknown and invalid phones, dedupes, reads the first CSV column and the upload', async () => {
    const template = await createCouponTemplate(testDb.db);
    const a = await createMember(testDb.db, { phone: '+79035550001' });
    const b = await createMember(testDb.db, { phone: '+79035550002' });
    const c = await createMember(testDb.db, { phone: '+79035550003' });
    const unknown = '+79035559999';
    const pasted = [
      'phone,name',
      '+7 903 555-00-01,Аня',
      '89035550001',
      '9035550002;x',
      '12345',
      unknown,
    ].join('\n');
    const body = new FormData();
    body.set(
      'phones_file',
      new File(['\uFEFF"+79035550003"\r\n'], 'phones.csv', { type: 'text/csv' }),
    );
    const res = await callAction(
      testDb,
      issueRoute.action,
      admin,
      { batch_key: crypto.randomUUID(), reason: 'Список', target: 'LIST', phones: pasted },
      { path: issuePath(template.id), params: { templateId: String(template.id) }, body },
    );
    expect(res.status).toBe(200);
    const summary = summaryOf(res.body);
    expect(summary.issued).toBe(3);
    expect(summary.unknownPhones).toEqual([unknown]);
    expect(summary.invalidPhones).toEqual(['phone', '12345']);
    const rows = await instancesOf(template.id);
    expect(rows.map((r) => r.member_id).sort()).toEqual([a.id, b.id, c.id].sort());
  });
});

describe('refusals', () => {
  it('a template whose max_total_usage is reached issues nothing', async () => {
    const template = await createCouponTemplate(testDb.db, {
      max_total_usage: 2,
      current_usage_count: 2,
    });
    const member = await createMember(testDb.db);
    const res = await issue(template.id, { target: 'PHONE', phone: member.phone });
    expect(res.status).toBe(409);
    expect(JSON.stringify(res.body)).toContain('couponIssue.error.usageLimitReached');
    expect(await instancesOf(template.id)).toHaveLength(0);
    // the service refuses too (the form is not the only way in)
    const direct = await issueCoupons(
      testDb.db,
      { userId: admin.userId },
      {
        templateId: template.id,
        memberIds: [member.id],
        batchKey: crypto.randomUUID(),
        sourceType: 'ADMIN',
        sourceRef: null,
        tags: [],
        reason: 'x',
      },
    );
    expect(direct).toEqual({ ok: false, code: 'USAGE_LIMIT_REACHED' });
    expect(await instancesOf(template.id)).toHaveLength(0);
  });

  it('inactive and expired templates issue nothing', async () => {
    const member = await createMember(testDb.db);
    const inactive = await createCouponTemplate(testDb.db, { is_active: false });
    const expired = await createCouponTemplate(testDb.db, {
      valid_from: new Date(Date.now() - 10 * 86_400_000),
      valid_until: new Date(Date.now() - 86_400_000),
    });
    for (const [t, key] of [
      [inactive, 'couponIssue.error.inactive'],
      [expired, 'couponIssue.error.expired'],
    ] as const) {
      const res = await issue(t.id, { target: 'PHONE', phone: member.phone });
      expect(res.status).toBe(409);
      expect(JSON.stringify(res.body)).toContain(key);
      expect(await instancesOf(t.id)).toHaveLength(0);
    }
  });
});

describe('groups and chunks', () => {
  it('a 12 000-member group is issued in three transactions of at most 5 000', async () => {
    const template = await createCouponTemplate(testDb.db);
    const group = await testDb.db
      .insertInto('member_group')
      .values({ code: 'BIG', name_ru: 'Большая', level: 99, min_points_required: 9_999_999 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      insert into member (phone, display_name, phone_verified_at, group_id)
      select '+7950' || lpad(g::text, 7, '0'), 'Гость', now(), ${group.id}
      from generate_series(1, 12000) g
    `.execute(testDb.db);
    const batch_key = crypto.randomUUID();
    const res = await issue(template.id, { target: 'GROUP', group: 'BIG', batch_key });
    expect(res.status).toBe(200);
    expect(summaryOf(res.body)).toMatchObject({ issued: 12_000, alreadyIssued: 0, chunks: 3 });

    const counts = await sql<{ n: string; members: string }>`
      select count(*)::text as n, count(distinct member_id)::text as members
      from coupon_instance where template_id = ${template.id}
    `.execute(testDb.db);
    expect(counts.rows[0]).toEqual({ n: '12000', members: '12000' });
    const created = await sql<{ n: string }>`
      select count(*)::text as n from coupon_audit_log l
      join coupon_instance i on i.id = l.coupon_instance_id
      where i.template_id = ${template.id} and l.action = 'CREATED'
    `.execute(testDb.db);
    expect(created.rows[0]!.n).toBe('12000');
    const audits = await auditRows(testDb, 'coupon_template', template.id);
    expect(audits.map((a) => (a.after as { issued: number }).issued)).toEqual([5000, 5000, 2000]);

    // the same batch again: nothing new
    const again = await issue(template.id, { target: 'GROUP', group: 'BIG', batch_key });
    expect(summaryOf(again.body)).toMatchObject({ issued: 0, alreadyIssued: 12_000 });
  }, 60_000);
});

describe('access', () => {
  it('a store manager gets 403 from the loader and the action', async () => {
    const store = await createStore(testDb.db);
    const manager = await managerSession(testDb, [store.id]);
    const template = await createCouponTemplate(testDb.db);
    const member = await createMember(testDb.db);
    const loaded = await callLoader(testDb, issueRoute.loader, manager, issuePath(template.id), {
      templateId: String(template.id),
    });
    expect(loaded.status).toBe(403);
    const res = await issue(template.id, { target: 'PHONE', phone: member.phone }, manager);
    expect(res.status).toBe(403);
    expect(await instancesOf(template.id)).toHaveLength(0);
  });

  it('a missing CSRF token is refused', async () => {
    const template = await createCouponTemplate(testDb.db);
    const member = await createMember(testDb.db);
    const res = await callAction(
      testDb,
      issueRoute.action,
      admin,
      { batch_key: crypto.randomUUID(), reason: 'x', target: 'PHONE', phone: member.phone },
      { path: issuePath(template.id), params: { templateId: String(template.id) }, csrf: false },
    );
    expect(res.status).toBe(403);
    expect(await instancesOf(template.id)).toHaveLength(0);
  });
});
