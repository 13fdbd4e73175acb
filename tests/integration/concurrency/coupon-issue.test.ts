import crypto from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../../db/types.generated';
import {
  issueCoupons,
  type IssueRequest,
} from '../../../app/features/coupons/issue.service.server';
import { createCouponTemplate, createMember } from '../../factories';
import { createAdmin } from '../../factories/staff';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';

let testDb: TestDatabase;
let dbA: Kysely<DB>;
let dbB: Kysely<DB>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  // two independent pools: the two issues really run on different connections
  dbA = new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(2) }) });
  dbB = new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(2) }) });
});

afterAll(async () => {
  await testDb?.destroy();
});

describe('two concurrent issues of one batch', () => {
  it('create one set of instances and one CREATED audit row per instance', async () => {
    const admin = await createAdmin(testDb.db);
    const template = await createCouponTemplate(testDb.db);
    const members = await Promise.all(Array.from({ length: 50 }, () => createMember(testDb.db)));
    const req: IssueRequest = {
      templateId: template.id,
      memberIds: members.map((m) => m.id),
      batchKey: crypto.randomUUID(),
      sourceType: 'ADMIN',
      sourceRef: null,
      tags: ['race'],
      reason: 'Параллельная выдача',
    };
    for (let round = 0; round < 5; round++) {
      const batch = { ...req, batchKey: crypto.randomUUID() };
      const [a, b] = await Promise.all([
        issueCoupons(dbA, { userId: admin.id }, batch),
        issueCoupons(dbB, { userId: admin.id }, batch),
      ]);
      expect(a.ok && b.ok).toBe(true);
      if (!a.ok || !b.ok) return;
      expect(a.issued + b.issued).toBe(50);
      expect([a.issued, b.issued].sort()).toEqual([0, 50]);
    }
    const rows = await testDb.db
      .selectFrom('coupon_instance')
      .select(['id', 'member_id', 'tags'])
      .where('template_id', '=', template.id)
      .execute();
    expect(rows).toHaveLength(250);
    const audit = await testDb.db
      .selectFrom('coupon_audit_log')
      .select('coupon_instance_id')
      .where(
        'coupon_instance_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    expect(audit).toHaveLength(250);
  });
});
