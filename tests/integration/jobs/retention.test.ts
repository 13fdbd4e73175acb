import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../../db/types.generated';
import {
  periodicTasks,
  purgeOldSessions,
  purgeOldVerificationCodes,
} from '../../../app/features/jobs/periodic.server';
import { createMember, createSession, createUser, randomHex64, seq } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';

/** The periodic tasks every runner schedules: lease recovery (IK-6) and the C-10 purges. */

let testDb: TestDatabase;
let db: Kysely<DB>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
});

afterAll(async () => {
  await testDb?.destroy();
});

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
const daysAgo = (d: number) => hoursAgo(d * 24);

/** `count` idempotency records expiring at `expiresAt`; returns their ids. */
async function idempotencyRecords(count: number, expiresAt: Date): Promise<number[]> {
  const rows = await db
    .insertInto('idempotency_record')
    .values(
      Array.from({ length: count }, () => ({
        scope: 'checkout',
        principal: `member:${seq()}`,
        idempotency_key: `key-${seq()}`,
        request_hash: randomHex64(),
        locked_until: expiresAt,
        expires_at: expiresAt,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** `count` verification codes issued at `createdAt`; returns their ids. */
async function verificationCodes(count: number, createdAt: Date): Promise<number[]> {
  const rows = await db
    .insertInto('verification_code')
    .values(
      Array.from({ length: count }, () => ({
        phone: `+79${String(seq()).padStart(9, '0')}`,
        code_hash: randomHex64(),
        status: 'EXPIRED',
        expires_at: new Date(createdAt.getTime() + 300_000),
        ip_address: '127.0.0.1',
        created_at: createdAt,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

async function remaining(table: 'idempotency_record' | 'session' | 'verification_code') {
  const rows = await db.selectFrom(table).select('id').execute();
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

describe('periodic task list', () => {
  it('recovers leases every 30 s and purges hourly', () => {
    const byName = Object.fromEntries(periodicTasks.map((t) => [t.name, t.everyMs]));
    expect(byName['jobs.recover_expired_leases']).toBe(30_000);
    expect(byName['retention.idempotency_records']).toBe(3_600_000);
    expect(new Set(periodicTasks.map((t) => t.name)).size).toBe(periodicTasks.length);
  });
});

describe('C-10 purges', () => {
  it('remove idempotency records after expires_at and keep live ones', async () => {
    const task = periodicTasks.find((t) => t.name === 'retention.idempotency_records')!;
    const live = await idempotencyRecords(1, new Date(Date.now() + 3_600_000));
    await idempotencyRecords(25, hoursAgo(1));
    expect(await task.run(db, { signal: new AbortController().signal })).toBe(25);
    expect(await remaining('idempotency_record')).toEqual(live);
  });

  it('remove sessions 7 days after expiry or revocation', async () => {
    const user = await createUser(db);
    const member = await createMember(db);
    const live = await createSession(db, { userId: user.id });
    const recentlyExpired = await createSession(
      db,
      { memberId: member.id },
      {
        expires_at: daysAgo(6),
      },
    );
    const recentlyRevoked = await createSession(
      db,
      { userId: user.id },
      {
        revoked_at: daysAgo(1),
      },
    );
    await createSession(db, { memberId: member.id }, { expires_at: daysAgo(8) });
    await createSession(db, { userId: user.id }, { revoked_at: daysAgo(8) });

    expect(await purgeOldSessions(db)).toBe(2);
    expect(await remaining('session')).toEqual(
      [live.id, recentlyExpired.id, recentlyRevoked.id].sort((a, b) => a - b),
    );
  });

  it('remove verification codes 30 days after they were issued, in batches', async () => {
    const recent = await verificationCodes(1, daysAgo(29));
    await verificationCodes(2503, daysAgo(31));
    expect(await purgeOldVerificationCodes(db)).toBe(2503);
    expect(await remaining('verification_code')).toEqual(recent);
    expect(await purgeOldVerificationCodes(db)).toBe(0);
  });
});
