import crypto from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { expect } from 'vitest';
import {
  isCheckoutError,
  type CheckoutErrorCode,
} from '../../../app/features/checkout/checkout-errors';
import { createSmsClient, type SmsClient } from '../../../app/integrations/sms/sms-client.server';
import type { DB } from '../../../db/types.generated';
import { spawnFake, type RunningFake } from '../../../scripts/fakes/spawn';
import { uniquePhone } from '../../factories/support';
import type { TestDatabase } from '../../setup/test-database';

export const SMS_API_KEY = 'phone-auth-test-key';

/** The fake SMS gateway as its own process; tests read codes from its outbox, never from the DB. */
export function startSmsGateway(): Promise<RunningFake> {
  return spawnFake('sms', { 'api-key': SMS_API_KEY });
}

export function smsClientFor(fake: RunningFake): SmsClient {
  return createSmsClient({
    baseUrl: fake.url,
    apiKey: SMS_API_KEY,
    sender: 'CTEA',
    timeoutMs: 5_000,
  });
}

/** Points the app's env-configured client (routes call getSmsClient()) at the fake. */
export function useSmsGatewayEnv(fake: RunningFake): void {
  process.env.SMS_API_BASE_URL = fake.url;
  process.env.SMS_API_KEY = SMS_API_KEY;
  process.env.SMS_SENDER = 'CTEA';
}

export interface OutboxMessage {
  id: string;
  to: string;
  text: string;
  sender: string;
  created_at: string;
}

export async function outbox(fake: RunningFake, phone: string): Promise<OutboxMessage[]> {
  const response = await fetch(`${fake.url}/outbox?${new URLSearchParams({ phone })}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { messages: OutboxMessage[] }).messages;
}

/** The code of the newest SMS to `phone`, as a customer would read it. */
export async function codeFromOutbox(fake: RunningFake, phone: string): Promise<string> {
  const [latest] = await outbox(fake, phone);
  const match = latest ? /\b(\d{6})\b/.exec(latest.text) : null;
  if (!match) throw new Error(`no code in the outbox for ${phone}`);
  return match[1]!;
}

export async function injectSmsFailure(fake: RunningFake, count: number, status: number) {
  const response = await fetch(`${fake.url}/__control/fail`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ count, status }),
  });
  expect(response.status).toBe(200);
}

/** Any six digits except `code`. */
export function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/** A fresh private address, so per-IP counts of different tests never meet. */
export function uniqueIp(): string {
  const [a, b] = crypto.randomBytes(2);
  return `10.${a}.${b}.${crypto.randomInt(1, 255)}`;
}

export { uniquePhone };

/** The CheckoutError a promise rejected with (fails the test otherwise). */
export async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: CheckoutErrorCode; status: number; details: Record<string, unknown> }> {
  try {
    await promise;
  } catch (err) {
    if (isCheckoutError(err)) return { code: err.code, status: err.status, details: err.details };
    throw err;
  }
  throw new Error('expected a CheckoutError, but the call resolved');
}

export function codesOf(db: Kysely<DB>, phone: string) {
  return db
    .selectFrom('verification_code')
    .select(['id', 'status', 'attempts', 'code_hash', 'consumed_at', 'ip_address'])
    .where('phone', '=', phone)
    .orderBy('id')
    .execute();
}

/** Moves the phone's codes `seconds` into the past, as if that much time had passed. */
export async function ageCodes(db: Kysely<DB>, phone: string, seconds: number) {
  await db
    .updateTable('verification_code')
    .set({
      created_at: sql`created_at - make_interval(secs => ${seconds})`,
      expires_at: sql`expires_at - make_interval(secs => ${seconds})`,
    })
    .where('phone', '=', phone)
    .execute();
}

/** Past codes (already superseded) for cap tests: `ages` in seconds before now. */
export async function insertPastCodes(
  db: Kysely<DB>,
  rows: { phone: string; ip: string; ageSeconds: number }[],
) {
  if (rows.length === 0) return;
  await db
    .insertInto('verification_code')
    .values(
      rows.map((r) => ({
        phone: r.phone,
        code_hash: crypto.randomBytes(32).toString('hex'),
        status: 'SUPERSEDED',
        ip_address: r.ip,
        created_at: sql<Date>`now() - make_interval(secs => ${r.ageSeconds})`,
        expires_at: sql<Date>`now() - make_interval(secs => ${r.ageSeconds - 300})`,
      })),
    )
    .execute();
}

/** A Kysely on its own pool: concurrent actors each get their own connection. */
export function separateDb(testDb: TestDatabase, connections: number): Kysely<DB> {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(connections) }) });
}
