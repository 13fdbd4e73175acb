import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { action as sendAction } from '../../../app/routes/api.auth.code.send';
import type { DB } from '../../../db/types.generated';
import type { RunningFake } from '../../../scripts/fakes/spawn';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { startSmsGateway, uniqueIp, uniquePhone, useSmsGatewayEnv } from '../phone-auth/helpers';
import { BASE } from './helpers';

/**
 * SMS flooding (issue 8 acceptance, AU-2): 1,000 code-send requests for one phone, and 1,000 from
 * one IP for different phones, through the real route module with 20 in flight at a time on their
 * own connections. Everything beyond the caps is 429 RATE_LIMITED with retry_after_s; the stored
 * codes stay within the caps (1 per 60 s and 10 a day per phone, 20 a day per IP) and the SMS
 * gateway received no more messages than there are codes.
 */

const FLOOD = 1_000;
const IN_FLIGHT = 20;
const PER_IP_DAILY_CAP = 20;

let testDb: TestDatabase;
let fake: RunningFake;
let floodDb: Kysely<DB>;

beforeAll(async () => {
  [testDb, fake] = await Promise.all([createTestDatabase(), startSmsGateway()]);
  useSmsGatewayEnv(fake);
  await useAppDatabase(testDb);
  floodDb = new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(IN_FLIGHT) }) });
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await floodDb?.destroy();
  await fake?.stop();
  await testDb?.destroy();
});

interface Answer {
  status: number;
  code: string | null;
  retryAfter: unknown;
  retryHeader: string | null;
}

async function send(phone: string, ip: string): Promise<Answer> {
  const request = new Request(`${BASE}/api/auth/code/send`, {
    method: 'POST',
    body: JSON.stringify({ phone }),
    headers: { 'Content-Type': 'application/json', Origin: BASE },
  });
  const response = await sendAction({
    request,
    params: {},
    context: { requestId: 'flood', db: floodDb, clientIp: ip },
  });
  const body = (await response.json()) as {
    error?: { code: string; details: { retry_after_s?: unknown } };
  };
  return {
    status: response.status,
    code: body.error?.code ?? null,
    retryAfter: body.error?.details.retry_after_s,
    retryHeader: response.headers.get('Retry-After'),
  };
}

/** Runs `count` calls with `IN_FLIGHT` of them in flight at any moment. */
async function flood(count: number, call: (i: number) => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) {
        const i = next++;
        answers[i] = await call(i);
      }
    }),
  );
  return answers;
}

async function outboxCount(phones: Set<string>): Promise<number> {
  const response = await fetch(`${fake.url}/outbox`);
  const { messages } = (await response.json()) as { messages: { to: string }[] };
  return messages.filter((m) => phones.has(m.to)).length;
}

function expectRefusals(answers: Answer[], accepted: number) {
  const ok = answers.filter((a) => a.status === 200);
  const refused = answers.filter((a) => a.status !== 200);
  expect(ok.length).toBe(accepted);
  expect(refused.length).toBe(answers.length - accepted);
  for (const a of refused) {
    expect(a).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(typeof a.retryAfter === 'number' && a.retryAfter > 0, JSON.stringify(a)).toBe(true);
    expect(a.retryHeader).toBe(String(a.retryAfter));
  }
}

// a thousand transactions per test: generous limits, not timed assertions
describe('1,000 code-send requests', { timeout: 240_000 }, () => {
  it('for one phone (from 1,000 addresses): one code, one SMS, 999 × 429 RATE_LIMITED', async () => {
    const phone = uniquePhone();
    const answers = await flood(FLOOD, () => send(phone, uniqueIp()));
    // AU-2: one code per 60 s per phone; the daily cap of 10 is never reached within a minute
    expectRefusals(answers, 1);
    const rows = await testDb.db
      .selectFrom('verification_code')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('phone', '=', phone)
      .executeTakeFirstOrThrow();
    expect(rows.n).toBe(1);
    expect(await outboxCount(new Set([phone]))).toBeLessThanOrEqual(rows.n);
  });

  it('from one IP (1,000 different phones): the daily IP cap of codes and SMS, the rest 429', async () => {
    const ip = uniqueIp();
    const phones = Array.from({ length: FLOOD }, () => uniquePhone());
    const answers = await flood(FLOOD, (i) => send(phones[i]!, ip));
    expectRefusals(answers, PER_IP_DAILY_CAP);
    const rows = await testDb.db
      .selectFrom('verification_code')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('ip_address', '=', ip)
      .executeTakeFirstOrThrow();
    expect(rows.n).toBe(PER_IP_DAILY_CAP);
    expect(await outboxCount(new Set(phones))).toBeLessThanOrEqual(rows.n);
  });

  it('a phone that waited out the resend interval still stops at 10 codes a day', async () => {
    const phone = uniquePhone();
    let accepted = 0;
    const statuses: number[] = [];
    for (let round = 0; round < 15; round++) {
      // every round is a minute later for this phone: its codes move 61 s into the past
      await testDb.db
        .updateTable('verification_code')
        .set({
          created_at: sql`created_at - interval '61 seconds'`,
          expires_at: sql`expires_at - interval '61 seconds'`,
        })
        .where('phone', '=', phone)
        .execute();
      const answers = await flood(IN_FLIGHT, () => send(phone, uniqueIp()));
      accepted += answers.filter((a) => a.status === 200).length;
      statuses.push(...answers.map((a) => a.status));
    }
    expect(accepted).toBe(10);
    expect(new Set(statuses)).toEqual(new Set([200, 429]));
    const rows = await testDb.db
      .selectFrom('verification_code')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('phone', '=', phone)
      .executeTakeFirstOrThrow();
    expect(rows.n).toBe(10);
    expect(await outboxCount(new Set([phone]))).toBeLessThanOrEqual(10);
  });
});
