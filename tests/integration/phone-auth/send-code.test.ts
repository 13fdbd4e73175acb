import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashCode } from '../../../app/features/phone-auth/phone-auth.server';
import { sendCode } from '../../../app/features/phone-auth/phone-auth.service.server';
import type { SmsClient } from '../../../app/integrations/sms/sms-client.server';
import { logger } from '../../../app/utils/logger.server';
import type { RunningFake } from '../../../scripts/fakes/spawn';
import { createMember } from '../../factories/access';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import {
  ageCodes,
  codeFromOutbox,
  codesOf,
  injectSmsFailure,
  insertPastCodes,
  outbox,
  refusal,
  smsClientFor,
  startSmsGateway,
  uniqueIp,
  uniquePhone,
} from './helpers';

let testDb: TestDatabase;
let fake: RunningFake;
let sms: SmsClient;

beforeAll(async () => {
  [testDb, fake] = await Promise.all([createTestDatabase(), startSmsGateway()]);
  sms = smsClientFor(fake);
});

afterAll(async () => {
  await fake?.stop();
  await testDb?.destroy();
});

beforeEach(() => {
  vi.restoreAllMocks();
});

const send = (phone: string, ip = uniqueIp()) =>
  sendCode(testDb.db, { phone, ip, userAgent: 'vitest' }, { sms });

describe('sendCode — AU-1 phone input', () => {
  it('normalises a formatted number and texts the code to it', async () => {
    const phone = uniquePhone();
    const formatted = `8 (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8, 10)}-${phone.slice(10)}`;
    expect(await send(formatted)).toEqual({ expires_in: 300, resend_in: 60 });
    const [message] = await outbox(fake, phone);
    expect(message).toMatchObject({ to: phone, sender: 'CTEA' });
    expect(message!.text).toMatch(/\b\d{6}\b/);
  });

  it('refuses `123` with INVALID_PHONE and stores and sends nothing', async () => {
    const counts = async () => ({
      codes: (
        await testDb.db
          .selectFrom('verification_code')
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
      messages: ((await (await fetch(`${fake.url}/outbox`)).json()) as { messages: unknown[] })
        .messages.length,
    });
    const before = await counts();
    expect(await refusal(send('123'))).toMatchObject({ code: 'INVALID_PHONE', status: 400 });
    expect(await counts()).toEqual(before);
  });
});

describe('sendCode — AU-2 storage', () => {
  it('stores only HMAC(CODE_PEPPER, phone:code), ACTIVE, expiring in 5 minutes', async () => {
    const phone = uniquePhone();
    const ip = uniqueIp();
    await send(phone, ip);
    const code = await codeFromOutbox(fake, phone);
    const row = await testDb.db
      .selectFrom('verification_code')
      .select([
        'code_hash',
        'status',
        'attempts',
        'ip_address',
        'user_agent',
        sql<number>`extract(epoch from expires_at - created_at)::int`.as('ttl'),
      ])
      .where('phone', '=', phone)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      code_hash: hashCode(phone, code),
      status: 'ACTIVE',
      attempts: 0,
      ip_address: ip,
      user_agent: 'vitest',
      ttl: 300,
    });
    expect(row.code_hash).not.toContain(code);
  });

  it('answers 429 RATE_LIMITED with retry_after_s when the phone got a code < 60 s ago', async () => {
    const phone = uniquePhone();
    await send(phone);
    await ageCodes(testDb.db, phone, 20);
    const refused = await refusal(send(phone));
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(refused.details.retry_after_s).toBeGreaterThanOrEqual(39);
    expect(refused.details.retry_after_s).toBeLessThanOrEqual(40);
    expect(await outbox(fake, phone)).toHaveLength(1);
    expect(await codesOf(testDb.db, phone)).toHaveLength(1);
  });

  it('after 60 s a new code supersedes the ACTIVE one', async () => {
    const phone = uniquePhone();
    await send(phone);
    const first = await codeFromOutbox(fake, phone);
    await ageCodes(testDb.db, phone, 61);
    await send(phone);
    const second = await codeFromOutbox(fake, phone);
    const rows = await codesOf(testDb.db, phone);
    expect(rows.map((r) => r.status)).toEqual(['SUPERSEDED', 'ACTIVE']);
    expect(rows[0]!.code_hash).toBe(hashCode(phone, first));
    expect(rows[1]!.code_hash).toBe(hashCode(phone, second));
  });

  it('caps codes per phone per 24 h (sms.per_phone_daily_cap, default 10)', async () => {
    const phone = uniquePhone();
    // ten codes in the last 24 h, the oldest 23 h ago: a slot frees in about an hour
    await insertPastCodes(
      testDb.db,
      Array.from({ length: 10 }, (_, i) => ({
        phone,
        ip: uniqueIp(),
        ageSeconds: 23 * 3600 - i * 600,
      })),
    );
    const refused = await refusal(send(phone));
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.details.retry_after_s).toBeGreaterThan(3590);
    expect(refused.details.retry_after_s).toBeLessThanOrEqual(3600);
    expect(await outbox(fake, phone)).toEqual([]);

    // codes older than 24 h do not count
    const other = uniquePhone();
    await insertPastCodes(
      testDb.db,
      Array.from({ length: 10 }, () => ({ phone: other, ip: uniqueIp(), ageSeconds: 25 * 3600 })),
    );
    await expect(send(other)).resolves.toEqual({ expires_in: 300, resend_in: 60 });
  });

  it('reads the caps from app_setting', async () => {
    await testDb.db
      .updateTable('app_setting')
      .set({ value: JSON.stringify(2) })
      .where('key', '=', 'sms.per_phone_daily_cap')
      .execute();
    try {
      const phone = uniquePhone();
      await insertPastCodes(testDb.db, [
        { phone, ip: uniqueIp(), ageSeconds: 3600 },
        { phone, ip: uniqueIp(), ageSeconds: 7200 },
      ]);
      expect((await refusal(send(phone))).code).toBe('RATE_LIMITED');
    } finally {
      await testDb.db
        .updateTable('app_setting')
        .set({ value: JSON.stringify(10) })
        .where('key', '=', 'sms.per_phone_daily_cap')
        .execute();
    }
  });

  it('caps codes per client address per 24 h (sms.per_ip_daily_cap, default 20)', async () => {
    const ip = uniqueIp();
    await insertPastCodes(
      testDb.db,
      Array.from({ length: 20 }, (_, i) => ({ phone: uniquePhone(), ip, ageSeconds: 3600 + i })),
    );
    const phone = uniquePhone();
    const refused = await refusal(send(phone, ip));
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.details.retry_after_s).toBeGreaterThan(20 * 3600);
    expect(await outbox(fake, phone)).toEqual([]);
    // the same phone from another address is fine
    await expect(send(phone, uniqueIp())).resolves.toEqual({ expires_in: 300, resend_in: 60 });
  });
});

describe('sendCode — AU-3 same answer for every phone', () => {
  it('answers a member and a stranger identically', async () => {
    const member = await createMember(testDb.db);
    const stranger = uniquePhone();
    const forMember = await send(member.phone);
    const forStranger = await send(stranger);
    expect(forMember).toEqual(forStranger);
    expect(await outbox(fake, member.phone)).toHaveLength(1);
    expect(await outbox(fake, stranger)).toHaveLength(1);
  });
});

describe('sendCode — gateway failures', () => {
  it('answers 503 SMS_UNAVAILABLE when the gateway fails; the next minute works again', async () => {
    const phone = uniquePhone();
    await injectSmsFailure(fake, 1, 500);
    const refused = await refusal(send(phone));
    expect(refused).toMatchObject({ code: 'SMS_UNAVAILABLE', status: 503 });
    expect(refused.details).toEqual({ retry_after_s: 60 });
    await ageCodes(testDb.db, phone, 61);
    await send(phone);
    expect(await outbox(fake, phone)).toHaveLength(1);
  });
});

describe('AU-6 logs', () => {
  it('never contain the code or the full phone number', async () => {
    const calls: unknown[] = [];
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const) {
      vi.spyOn(logger, level).mockImplementation(((...args: unknown[]) => {
        calls.push(args);
      }) as never);
    }
    const phone = uniquePhone();
    await send(phone);
    await refusal(send(phone)); // rate limited
    await injectSmsFailure(fake, 1, 502);
    const other = uniquePhone();
    await refusal(send(other)); // gateway failure
    const code = await codeFromOutbox(fake, phone);

    const logged = JSON.stringify(calls);
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(logged).not.toContain(code);
    expect(logged).not.toContain(phone.slice(1));
    expect(logged).not.toContain(other.slice(1));
    expect(logged).toContain(`${phone.slice(0, 5)}***${phone.slice(-4)}`);
  });
});
