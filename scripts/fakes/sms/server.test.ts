import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeSmsServer, type FakeSmsServer } from './server';

const KEY = 'protocol-test-key';
let fake: FakeSmsServer;
let base: string;

beforeAll(async () => {
  fake = createFakeSmsServer({ apiKey: KEY });
  await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => fake.server.close(resolve));
});

beforeEach(async () => {
  await fetch(`${base}/__control/reset`, { method: 'POST' });
});

function post(path: string, body: unknown, key: string | null = KEY) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(key === null ? {} : { Authorization: `Bearer ${key}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const outbox = async (query = '') =>
  (await (await fetch(`${base}/outbox${query}`)).json()) as {
    messages: { id: string; to: string; text: string; sender: string; created_at: string }[];
  };

describe('fake SMS gateway protocol', () => {
  it('queues a message: 201 {id, status: "queued"}', async () => {
    const res = await post('/v1/messages', { to: '+79001234567', text: 'hi', sender: 'CTEA' });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toEqual({ id: expect.any(String), status: 'queued' });
    expect((await outbox('?phone=%2B79001234567')).messages).toEqual([
      {
        id: body.id,
        to: '+79001234567',
        text: 'hi',
        sender: 'CTEA',
        created_at: expect.any(String),
      },
    ]);
  });

  it('answers 401 without or with a wrong key, and stores nothing', async () => {
    expect((await post('/v1/messages', { to: '+79001234567', text: 'x' }, null)).status).toBe(401);
    expect((await post('/v1/messages', { to: '+79001234567', text: 'x' }, 'nope')).status).toBe(
      401,
    );
    expect((await outbox()).messages).toEqual([]);
  });

  it('answers 400 to a bad body', async () => {
    for (const body of [
      '{not json',
      [],
      { to: '89001234567', text: 'x' },
      { to: '+79001234567', text: '' },
      { to: '+79001234567', text: 'x', sender: 'way-too-long-sender' },
    ]) {
      const res = await post('/v1/messages', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: expect.any(String) } });
    }
  });

  it('lists a phone newest first; an unescaped "+" still matches', async () => {
    await post('/v1/messages', { to: '+79001234567', text: 'first' });
    await post('/v1/messages', { to: '+79007654321', text: 'other' });
    await post('/v1/messages', { to: '+79001234567', text: 'second' });
    const texts = (await outbox('?phone=+79001234567')).messages.map((m) => m.text);
    expect(texts).toEqual(['second', 'first']);
    expect((await outbox()).messages).toHaveLength(3);
  });

  it('keeps only the last 100 messages', async () => {
    for (let i = 0; i < 105; i++) await post('/v1/messages', { to: '+79001234567', text: `m${i}` });
    const { messages } = await outbox('?phone=%2B79001234567');
    expect(messages).toHaveLength(100);
    expect(messages[0]!.text).toBe('m104');
    expect(messages[99]!.text).toBe('m5');
  });

  it('fails the next N sends with the injected status, then works again', async () => {
    expect((await post('/__control/fail', { count: 2, status: 502 })).status).toBe(200);
    expect((await post('/v1/messages', { to: '+79001234567', text: 'a' })).status).toBe(502);
    expect((await post('/v1/messages', { to: '+79001234567', text: 'b' })).status).toBe(502);
    expect((await post('/v1/messages', { to: '+79001234567', text: 'c' })).status).toBe(201);
    expect((await outbox()).messages.map((m) => m.text)).toEqual(['c']);
  });

  it('validates control bodies and resets faults', async () => {
    expect((await post('/__control/fail', { count: 0, status: 500 })).status).toBe(400);
    expect((await post('/__control/fail', { count: 1, status: 200 })).status).toBe(400);
    await post('/__control/fail', { count: 5, status: 500 });
    await post('/__control/reset', {});
    expect((await post('/v1/messages', { to: '+79001234567', text: 'x' })).status).toBe(201);
  });

  it('answers 404 and 405 for unknown routes and methods', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/v1/messages`)).status).toBe(405);
  });
});
