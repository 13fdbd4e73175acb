import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnFake, type RunningFake } from '../../../scripts/fakes/spawn';
import { resetEnvCache } from '~/utils/env.server';
import { logger } from '~/utils/logger.server';
import {
  createSmsClient,
  getSmsClient,
  readFakeOutbox,
  SmsSendError,
  type SmsFailureKind,
} from './sms-client.server';

const API_KEY = 'unit-test-sms-key';
let fake: RunningFake;

const savedLevel = logger.level;

beforeAll(async () => {
  // failures are logged by design; the log test below spies on the calls themselves
  logger.level = 'silent';
  fake = await spawnFake('sms', { 'api-key': API_KEY });
});

afterAll(async () => {
  logger.level = savedLevel;
  await fake?.stop();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await fetch(`${fake.url}/__control/reset`, { method: 'POST' });
});

const client = (overrides: Partial<Parameters<typeof createSmsClient>[0]> = {}) =>
  createSmsClient({ baseUrl: fake.url, apiKey: API_KEY, timeoutMs: 2_000, ...overrides });

async function failureOf(promise: Promise<unknown>): Promise<SmsSendError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof SmsSendError) return err;
    throw err;
  }
  throw new Error('expected an SmsSendError');
}

async function injectFailure(body: { count: number; status: number; delay_ms?: number }) {
  const res = await fetch(`${fake.url}/__control/fail`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

describe('createSmsClient against the fake gateway', () => {
  it('sends a message that appears in the outbox with its sender', async () => {
    const sent = await client({ sender: 'CTEA' }).send('+79001234567', 'Код 123456');
    expect(sent.id).toMatch(/\S+/);
    const outbox = await readFakeOutbox(fake.url, '+79001234567');
    expect(outbox).toEqual([
      {
        id: sent.id,
        to: '+79001234567',
        text: 'Код 123456',
        sender: 'CTEA',
        createdAt: expect.any(String),
      },
    ]);
  });

  it('reports a refused API key as UNAUTHORIZED', async () => {
    const err = await failureOf(client({ apiKey: 'wrong' }).send('+79001234567', 'x'));
    expect(err.kind).toBe<SmsFailureKind>('UNAUTHORIZED');
    expect(err.httpStatus).toBe(401);
  });

  it('reports a rejected message as REJECTED', async () => {
    const err = await failureOf(client().send('12345', 'x'));
    expect(err.kind).toBe<SmsFailureKind>('REJECTED');
    expect(err.httpStatus).toBe(400);
  });

  it('reports gateway failures as UNAVAILABLE, then recovers', async () => {
    await injectFailure({ count: 2, status: 503 });
    for (let i = 0; i < 2; i++) {
      const err = await failureOf(client().send('+79001234567', 'x'));
      expect(err).toMatchObject({ kind: 'UNAVAILABLE', httpStatus: 503 });
    }
    await expect(client().send('+79001234567', 'x')).resolves.toHaveProperty('id');
    expect(await readFakeOutbox(fake.url, '+79001234567')).toHaveLength(1);
  });

  it('treats 429 as UNAVAILABLE (worth retrying later), not as a rejection', async () => {
    await injectFailure({ count: 1, status: 429 });
    const err = await failureOf(client().send('+79001234567', 'x'));
    expect(err.kind).toBe<SmsFailureKind>('UNAVAILABLE');
  });

  it('gives up after timeoutMs with TIMEOUT', async () => {
    await injectFailure({ count: 1, status: 500, delay_ms: 3_000 });
    const err = await failureOf(client({ timeoutMs: 200 }).send('+79001234567', 'x'));
    expect(err.kind).toBe<SmsFailureKind>('TIMEOUT');
  });

  it('reports an unreachable gateway as NETWORK', async () => {
    // a port nobody listens on: the fake's own port after it is known to be closed is racy, so
    // use port 1 on loopback, which is never served in a test environment
    const err = await failureOf(
      client({ baseUrl: 'http://127.0.0.1:1' }).send('+79001234567', 'x'),
    );
    expect(err.kind).toBe<SmsFailureKind>('NETWORK');
  });

  it('never logs the text or the full number', async () => {
    const calls: unknown[] = [];
    for (const level of ['info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(logger, level).mockImplementation(((...args: unknown[]) => {
        calls.push(args);
      }) as never);
    }
    await injectFailure({ count: 1, status: 500 });
    await failureOf(client().send('+79001234567', 'Код 654321'));
    await failureOf(client({ apiKey: 'wrong' }).send('+79001234567', 'Код 654321'));
    const logged = JSON.stringify(calls);
    expect(calls.length).toBeGreaterThan(0);
    expect(logged).not.toContain('654321');
    expect(logged).not.toContain('79001234567');
  });
});

describe('getSmsClient', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
  });

  it('reads the gateway from the environment', async () => {
    process.env.SMS_API_BASE_URL = fake.url;
    process.env.SMS_API_KEY = API_KEY;
    process.env.SMS_SENDER = 'CTEA-TEST';
    resetEnvCache();
    await getSmsClient().send('+79001112233', 'hello');
    const [message] = (await readFakeOutbox(fake.url, '+79001112233')) ?? [];
    expect(message).toMatchObject({ text: 'hello', sender: 'CTEA-TEST' });
  });

  it('without SMS_API_BASE_URL sends nothing, warns and fails with NOT_CONFIGURED', async () => {
    delete process.env.SMS_API_BASE_URL;
    resetEnvCache();
    const warn = vi.spyOn(logger, 'warn').mockImplementation((() => undefined) as never);
    const err = await failureOf(getSmsClient().send('+79001234567', 'x'));
    expect(err.kind).toBe<SmsFailureKind>('NOT_CONFIGURED');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(await readFakeOutbox(fake.url, '+79001234567')).toEqual([]);
  });
});

describe('readFakeOutbox', () => {
  it('is null without a gateway or when the gateway has no outbox', async () => {
    expect(await readFakeOutbox(null, '+79001234567')).toBeNull();
    expect(await readFakeOutbox('http://127.0.0.1:1', '+79001234567')).toBeNull();
  });
});
