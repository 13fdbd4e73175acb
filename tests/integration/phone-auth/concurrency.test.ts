import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCheckoutError } from '../../../app/features/checkout/checkout-errors';
import { sendCode, verifyCode } from '../../../app/features/phone-auth/phone-auth.service.server';
import type { SmsClient } from '../../../app/integrations/sms/sms-client.server';
import type { DB } from '../../../db/types.generated';
import type { RunningFake } from '../../../scripts/fakes/spawn';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import {
  codeFromOutbox,
  codesOf,
  outbox,
  separateDb,
  smsClientFor,
  startSmsGateway,
  uniqueIp,
  uniquePhone,
} from './helpers';

/**
 * Concurrent sign-in requests, each actor on its own pooled connection (§3.1 style): the database
 * (advisory lock, conditional updates, unique indexes) must keep exactly-once outcomes.
 */
const ACTORS = 10;
const ROUNDS = 5;

let testDb: TestDatabase;
let fake: RunningFake;
let sms: SmsClient;
let concurrent: Kysely<DB>;

beforeAll(async () => {
  [testDb, fake] = await Promise.all([createTestDatabase(), startSmsGateway()]);
  sms = smsClientFor(fake);
  concurrent = separateDb(testDb, ACTORS + 2);
});

afterAll(async () => {
  await fake?.stop();
  await testDb?.destroy();
});

/** Outcome codes of settled calls: 'OK' or the CheckoutError code; anything else fails the test. */
function outcomes(results: PromiseSettledResult<unknown>[]): string[] {
  return results.map((r) => {
    if (r.status === 'fulfilled') return 'OK';
    if (isCheckoutError(r.reason)) return r.reason.code;
    throw r.reason;
  });
}

describe('10 concurrent sendCode for one phone', () => {
  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    'round %i: one ACTIVE code, one SMS, the others RATE_LIMITED',
    async () => {
      const phone = uniquePhone();
      const results = await Promise.allSettled(
        Array.from({ length: ACTORS }, () =>
          sendCode(concurrent, { phone, ip: uniqueIp(), userAgent: 'vitest' }, { sms }),
        ),
      );
      const codes = outcomes(results);
      expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
      expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(ACTORS - 1);
      expect(await codesOf(testDb.db, phone)).toMatchObject([{ status: 'ACTIVE' }]);
      expect(await outbox(fake, phone)).toHaveLength(1);
    },
  );

  it('one client address sending to many phones never exceeds the per-IP cap', async () => {
    const ip = uniqueIp();
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, () =>
        sendCode(concurrent, { phone: uniquePhone(), ip, userAgent: 'vitest' }, { sms }),
      ),
    );
    const codes = outcomes(results);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(20);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(5);
    const stored = await testDb.db
      .selectFrom('verification_code')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('ip_address', '=', ip)
      .executeTakeFirstOrThrow();
    expect(stored.n).toBe(20);
  });
});

describe('10 concurrent verifyCode with the right code', () => {
  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    'round %i: one success, one member, one ledger row, one session',
    async () => {
      const phone = uniquePhone();
      await sendCode(testDb.db, { phone, ip: uniqueIp(), userAgent: 'vitest' }, { sms });
      const code = await codeFromOutbox(fake, phone);

      const results = await Promise.allSettled(
        Array.from({ length: ACTORS }, () =>
          verifyCode(concurrent, { phone, code, ip: '127.0.0.1', userAgent: 'vitest' }),
        ),
      );
      const codes = outcomes(results);
      expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
      for (const c of codes.filter((c) => c !== 'OK')) {
        expect(['CODE_EXPIRED', 'TOO_MANY_ATTEMPTS']).toContain(c);
      }

      const members = await testDb.db
        .selectFrom('member')
        .select(['id', 'available_points_balance'])
        .where('phone', '=', phone)
        .execute();
      expect(members).toHaveLength(1);
      expect(members[0]!.available_points_balance).toBe(100);
      const ledger = await testDb.db
        .selectFrom('member_points_history')
        .select('id')
        .where('member_id', '=', members[0]!.id)
        .execute();
      expect(ledger).toHaveLength(1);
      const sessions = await testDb.db
        .selectFrom('session')
        .select('id')
        .where('member_id', '=', members[0]!.id)
        .execute();
      expect(sessions).toHaveLength(1);
      expect(await codesOf(testDb.db, phone)).toMatchObject([{ status: 'CONSUMED' }]);
    },
  );
});
