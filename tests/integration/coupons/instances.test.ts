import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as instancesRoute from '../../../app/routes/admin.coupons.instances';
import { toZonedLocal } from '../../../app/features/campaigns/campaign-time';
import {
  createCouponInstance,
  createCouponTemplate,
  createMember,
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

const PATH = '/admin/coupons/instances';

function operate(fields: Record<string, string>, ids: number[], session: Session = admin) {
  const body = new FormData();
  for (const id of ids) body.append('ids', String(id));
  return callAction(testDb, instancesRoute.action, session, fields, { path: PATH, body });
}

async function instance(id: number) {
  return testDb.db
    .selectFrom('coupon_instance')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function couponAudit(id: number) {
  return testDb.db
    .selectFrom('coupon_audit_log')
    .selectAll()
    .where('coupon_instance_id', '=', id)
    .orderBy('id')
    .execute();
}

const replyOf = (body: unknown) => (body as { reply: unknown }).reply;
const daysFromNow = (d: number) => new Date(Date.now() + d * 86_400_000);

describe('instance operations', () => {
  it('freeze, unfreeze and revoke each change the row and leave a coupon_audit_log row with the reason', async () => {
    const coupon = await createCouponInstance(testDb.db);
    const steps: [string, string, string, string][] = [
      ['freeze', 'FROZEN', 'FROZEN', 'UNUSED'],
      ['unfreeze', 'UNUSED', 'UNFROZEN', 'FROZEN'],
      ['freeze', 'FROZEN', 'FROZEN', 'UNUSED'],
      ['revoke', 'REVOKED', 'REVOKED', 'FROZEN'],
    ];
    for (const [intent, status, action, from] of steps) {
      const res = await operate({ intent, reason: `причина ${intent}` }, [coupon.id]);
      expect(res.status, intent).toBe(302);
      expect(res.location).toContain('changed=1');
      expect((await instance(coupon.id)).status).toBe(status);
      const last = (await couponAudit(coupon.id)).at(-1)!;
      expect(last).toMatchObject({
        action,
        from_status: from,
        to_status: status,
        actor_type: 'ADMIN',
        actor_user_id: admin.userId,
        reason: `причина ${intent}`,
      });
    }
    expect(await couponAudit(coupon.id)).toHaveLength(4);
    const audits = await auditRows(testDb, 'coupon_instance', coupon.id);
    expect(audits.map((a) => a.action)).toEqual([
      'coupon_instance.freeze',
      'coupon_instance.unfreeze',
      'coupon_instance.freeze',
      'coupon_instance.revoke',
    ]);
  });

  it('illegal transitions answer 409 INVALID_TRANSITION and leave the row unchanged', async () => {
    const revoked = await createCouponInstance(testDb.db, { status: 'REVOKED' });
    const unused = await createCouponInstance(testDb.db);
    const cases: [string, number][] = [
      ['freeze', revoked.id],
      ['unfreeze', unused.id],
      ['revoke', revoked.id],
      ['extend', revoked.id],
    ];
    for (const [intent, id] of cases) {
      const before = await instance(id);
      const res = await operate(
        { intent, reason: 'x', valid_until: toZonedLocal(daysFromNow(90)) },
        [id],
      );
      expect(res.status, intent).toBe(409);
      expect((res.body as { error: { code: string } }).error.code).toBe('INVALID_TRANSITION');
      expect(await instance(id)).toEqual(before);
      expect(await couponAudit(id)).toHaveLength(0);
    }
  });

  it('a batch freeze touches UNUSED rows only, with one timestamp', async () => {
    const template = await createCouponTemplate(testDb.db);
    const unused = await Promise.all(
      [1, 2, 3].map(() => createCouponInstance(testDb.db, { template_id: template.id })),
    );
    const frozen = await createCouponInstance(testDb.db, {
      template_id: template.id,
      status: 'FROZEN',
    });
    const res = await operate({ intent: 'freeze', reason: 'проверка' }, [
      ...unused.map((u) => u.id),
      frozen.id,
    ]);
    expect(res.status).toBe(302);
    expect(res.location).toContain('changed=3');
    expect(res.location).toContain('skipped=1');
    const rows = await Promise.all(unused.map((u) => instance(u.id)));
    expect(rows.every((r) => r.status === 'FROZEN')).toBe(true);
    expect(new Set(rows.map((r) => r.updated_at.toISOString())).size).toBe(1);
    expect(await couponAudit(frozen.id)).toHaveLength(0);
    expect((await instance(frozen.id)).updated_at).toEqual(frozen.updated_at);
  });

  it('extend sets adjusted_valid_until with old and new values, and revives an EXPIRED coupon', async () => {
    const template = await createCouponTemplate(testDb.db, {
      valid_from: daysFromNow(-30),
      valid_until: daysFromNow(-1),
    });
    const expired = await createCouponInstance(testDb.db, {
      template_id: template.id,
      status: 'EXPIRED',
    });
    const newLocal = toZonedLocal(daysFromNow(60));
    const res = await operate({ intent: 'extend', reason: 'продление', valid_until: newLocal }, [
      expired.id,
    ]);
    expect(res.status).toBe(302);
    const row = await instance(expired.id);
    expect(row.status).toBe('UNUSED');
    expect(toZonedLocal(row.adjusted_valid_until!)).toBe(newLocal);
    const [log] = await couponAudit(expired.id);
    expect(log).toMatchObject({
      action: 'EXTENDED',
      from_status: 'EXPIRED',
      to_status: 'UNUSED',
      reason: 'продление',
    });
    expect(new Date((log!.old_value as { valid_until: string }).valid_until).getTime()).toBe(
      new Date(template.valid_until).getTime(),
    );
    expect(new Date((log!.new_value as { valid_until: string }).valid_until).getTime()).toBe(
      row.adjusted_valid_until!.getTime(),
    );

    // not later than the current effective validity → 409, unchanged
    const earlier = toZonedLocal(daysFromNow(30));
    const again = await operate({ intent: 'extend', reason: 'r', valid_until: earlier }, [
      expired.id,
    ]);
    expect(again.status).toBe(409);
    expect(await instance(expired.id)).toEqual(row);
  });

  it('bad input is field errors, never a 500', async () => {
    const coupon = await createCouponInstance(testDb.db);
    const cases: [Record<string, string>, number[], string][] = [
      [{ intent: 'freeze', reason: '' }, [coupon.id], 'reason'],
      [{ intent: 'freeze', reason: 'x' }, [], 'ids'],
      [{ intent: 'explode', reason: 'x' }, [coupon.id], 'intent'],
      [{ reason: 'x' }, [coupon.id], 'intent'],
      [{ intent: 'extend', reason: 'x' }, [coupon.id], 'valid_until'],
      [{ intent: 'extend', reason: 'x', valid_until: 'tomorrow' }, [coupon.id], 'valid_until'],
      [
        { intent: 'extend', reason: 'x', valid_until: '2020-01-01T00:00' },
        [coupon.id],
        'valid_until',
      ],
    ];
    for (const [fields, ids, field] of cases) {
      const res = await operate(fields, ids);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(fieldErrors(replyOf(res.body))[field], JSON.stringify(fields)).toBeTruthy();
    }
    const junk = new FormData();
    junk.append('ids', 'abc');
    const bad = await callAction(
      testDb,
      instancesRoute.action,
      admin,
      { intent: 'freeze', reason: 'x' },
      { path: PATH, body: junk },
    );
    expect(bad.status).toBe(400);
    expect((await instance(coupon.id)).status).toBe('UNUSED');
  });
});

describe('the instances list', () => {
  it('filters by status, template, phone and tag in the URL, and pages', async () => {
    const template = await createCouponTemplate(testDb.db);
    const member = await createMember(testDb.db, { phone: '+79261112233' });
    const a = await createCouponInstance(testDb.db, {
      template_id: template.id,
      member_id: member.id,
      tags: ['vip', 'spring'],
    });
    const b = await createCouponInstance(testDb.db, {
      template_id: template.id,
      status: 'FROZEN',
      tags: ['spring'],
    });
    const ids = async (query: string) => {
      const res = await callLoader(testDb, instancesRoute.loader, admin, `${PATH}?${query}`);
      expect(res.status).toBe(200);
      return (res.body as { instances: { id: number }[] }).instances.map((r) => r.id).sort();
    };
    expect(await ids(`template=${template.id}`)).toEqual([a.id, b.id].sort());
    expect(await ids(`template=${template.id}&status=FROZEN`)).toEqual([b.id]);
    expect(await ids(`template=${template.id}&tag=vip`)).toEqual([a.id]);
    expect(await ids(`template=${template.id}&tag=spring`)).toEqual([a.id, b.id].sort());
    expect(await ids(`phone=${encodeURIComponent('8 (926) 111-22-33')}`)).toEqual([a.id]);
    expect(await ids(`phone=1112233&template=${template.id}`)).toEqual([a.id]);
    const paged = await callLoader(
      testDb,
      instancesRoute.loader,
      admin,
      `${PATH}?template=${template.id}&pageSize=1&page=2`,
    );
    const body = paged.body as {
      instances: unknown[];
      pagination: { total: number; page: number };
    };
    expect(body.instances).toHaveLength(1);
    expect(body.pagination).toMatchObject({ total: 2, page: 2 });
    // malformed params fall back to defaults
    const junk = await callLoader(
      testDb,
      instancesRoute.loader,
      admin,
      `${PATH}?status=NOPE&template=abc&page=-1&sort=evil`,
    );
    expect(junk.status).toBe(200);
  });
});

describe('access', () => {
  it('a store manager gets 403 from the list and every operation', async () => {
    const store = await createStore(testDb.db);
    const manager = await managerSession(testDb, [store.id]);
    const coupon = await createCouponInstance(testDb.db);
    const list = await callLoader(testDb, instancesRoute.loader, manager, PATH);
    expect(list.status).toBe(403);
    for (const intent of ['freeze', 'unfreeze', 'revoke', 'extend']) {
      const res = await operate(
        { intent, reason: 'x', valid_until: toZonedLocal(daysFromNow(90)) },
        [coupon.id],
        manager,
      );
      expect(res.status).toBe(403);
    }
    expect(await instance(coupon.id)).toEqual(coupon);
  });
});
