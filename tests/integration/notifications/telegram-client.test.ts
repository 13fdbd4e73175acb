import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createTelegramClient,
  getTelegramClient,
} from '~/integrations/telegram/telegram-client.server';
import { logger } from '~/utils/logger.server';
import { BOT_TOKEN, startFakeTelegram, type FakeTelegram } from './helpers';

/**
 * The fake Bot API speaks Telegram's sendMessage protocol (integrations.md §3) and the app's
 * client maps every answer to what the dispatcher must do (NT-5), checked over real HTTP.
 */

let tg: FakeTelegram;

beforeAll(async () => {
  tg = await startFakeTelegram({ timeoutMs: 2_000 });
});
afterAll(async () => {
  await tg?.stop();
});
beforeEach(async () => {
  await tg.control.reset();
});

const send = (path: string, init: RequestInit) =>
  fetch(`${tg.url}${path}`, { method: 'POST', ...init });
const json = (body: unknown): RequestInit => ({
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

describe('fake Bot API: sendMessage', () => {
  it('accepts JSON and form bodies and answers the real envelope with the parsed text', async () => {
    const a = await send(
      `/bot${BOT_TOKEN}/sendMessage`,
      json({
        chat_id: -1001234567890,
        text: '<b>Новый</b> &lt;заказ&gt; &amp; чай',
        parse_mode: 'HTML',
      }),
    );
    expect(a.status).toBe(200);
    const first = (await a.json()) as { ok: boolean; result: Record<string, unknown> };
    expect(first.ok).toBe(true);
    expect(first.result).toMatchObject({
      message_id: 1,
      chat: { id: -1001234567890, type: 'supergroup' },
      text: 'Новый <заказ> & чай',
      entities: [{ type: 'bold', offset: 0, length: 5 }],
    });
    expect(typeof first.result.date).toBe('number');

    const b = await send(`/bot${BOT_TOKEN}/sendMessage`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: '-1001234567890', text: 'второе' }).toString(),
    });
    expect(((await b.json()) as { result: { message_id: number } }).result.message_id).toBe(2);

    const messages = await tg.control.messages(-1001234567890);
    expect(messages.map((m) => [m.message_id, m.raw_text])).toEqual([
      [1, '<b>Новый</b> &lt;заказ&gt; &amp; чай'],
      [2, 'второе'],
    ]);
    expect(await tg.control.messages(42)).toEqual([]);
  });

  it('answers 401 for an unknown token and 404 for an unknown method', async () => {
    const unauthorized = await send('/bot999:wrong/sendMessage', json({ chat_id: 1, text: 'x' }));
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({
      ok: false,
      error_code: 401,
      description: 'Unauthorized',
    });
    const unknown = await send(`/bot${BOT_TOKEN}/sendPigeon`, json({ chat_id: 1, text: 'x' }));
    expect(unknown.status).toBe(404);
    expect(await tg.control.messages()).toEqual([]);
  });

  it.each([
    ['an empty text', { chat_id: 1, text: '' }, 'Bad Request: message text is empty'],
    ['a missing chat', { text: 'x' }, 'Bad Request: chat_id is empty'],
    [
      'an unknown parse_mode',
      { chat_id: 1, text: 'x', parse_mode: 'BBCode' },
      'unsupported parse_mode',
    ],
    ['a text over 4096 characters', { chat_id: 1, text: 'я'.repeat(4097) }, 'message is too long'],
    ['only tags', { chat_id: 1, text: '<b></b>', parse_mode: 'HTML' }, 'message text is empty'],
  ])('answers 400 for %s', async (_name, body, description) => {
    const res = await send(`/bot${BOT_TOKEN}/sendMessage`, json(body));
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { ok: boolean; error_code: number; description: string };
    expect(answer.ok).toBe(false);
    expect(answer.error_code).toBe(400);
    expect(answer.description).toContain(description);
  });

  it('counts the 4096 limit after entity parsing', async () => {
    const text = `<b>${'я'.repeat(4000)}</b>${'&amp;'.repeat(96)}`;
    const res = await send(
      `/bot${BOT_TOKEN}/sendMessage`,
      json({ chat_id: 1, text, parse_mode: 'HTML' }),
    );
    expect(res.status).toBe(200);
  });

  it.each([
    ['an unescaped "<"', 'Цена < 100 ₽', 'Unsupported start tag "" at byte offset 9'],
    ['an unsupported tag', 'Чай <script>x</script>', 'Unsupported start tag "script"'],
    ['an unclosed tag', '<b>Чай <b>& молоко', `Can't find end tag corresponding to start tag "b"`],
    ['a crossed end tag', '<b><i>x</b></i>', 'Unmatched end tag'],
    ['a stray end tag', 'x</i>', 'Unexpected end tag'],
    ['an unterminated tag', 'x <a href="https://t.me', 'Unclosed start tag'],
  ])('rejects HTML with %s as "can\'t parse entities"', async (_name, text, reason) => {
    const result = await tg.client.sendMessage(7, text, { parseMode: 'HTML' });
    expect(result).toMatchObject({ ok: false, kind: 'rejected', httpStatus: 400 });
    if (result.ok || result.kind !== 'rejected') return;
    expect(result.description).toContain("Bad Request: can't parse entities: ");
    expect(result.description).toContain(reason);
    expect(await tg.control.messages()).toEqual([]);
  });

  it('accepts the tags Telegram supports, nested, with links and entities', async () => {
    const text =
      '<b>жирный <i>курсив</i></b> <u>u</u> <s>s</s> <code>a&lt;b</code> <pre>x</pre> ' +
      '<a href="https://ctea.example/o/abc?x=1&amp;y=2">ссылка</a> &#8381; &#x1F9CB; &quot;q&quot; AT&T';
    const result = await tg.client.sendMessage(7, text, { parseMode: 'HTML' });
    expect(result.ok).toBe(true);
    const [message] = await tg.control.messages(7);
    expect(message!.text).toBe('жирный курсив u s a<b x ссылка ₽ 🧋 "q" AT&T');
    expect(message!.entities.map((e) => e.type)).toEqual([
      'bold',
      'italic',
      'underline',
      'strikethrough',
      'code',
      'pre',
      'text_link',
    ]);
    expect(message!.entities.find((e) => e.type === 'text_link')?.url).toBe(
      'https://ctea.example/o/abc?x=1&y=2',
    );
  });

  it('sends plain text untouched without parse_mode', async () => {
    const result = await tg.client.sendMessage('12', 'a < b & <b>');
    expect(result.ok).toBe(true);
    expect((await tg.control.messages(12))[0]!.text).toBe('a < b & <b>');
  });
});

describe('fake Bot API: injected faults', () => {
  it('answers 429 with retry_after to the chosen chat only, then recovers', async () => {
    await tg.control.fail({ count: 2, status: 429, retry_after: 7, chat_id: 5 });
    expect(await tg.client.sendMessage(6, 'other chat')).toMatchObject({ ok: true });
    const limited = await tg.client.sendMessage(5, 'x');
    expect(limited).toEqual({
      ok: false,
      kind: 'rate_limited',
      retryAfterS: 7,
      description: 'Too Many Requests: retry after 7',
    });
    expect(await tg.client.sendMessage(5, 'x')).toMatchObject({ kind: 'rate_limited' });
    expect(await tg.client.sendMessage(5, 'x')).toMatchObject({ ok: true, messageId: 1 });
    expect((await tg.control.requests(5)).map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('blocks a chat with 403 "bot was blocked by the user" until unblocked', async () => {
    await tg.control.block(77);
    expect(await tg.client.sendMessage(77, 'x')).toEqual({
      ok: false,
      kind: 'blocked',
      description: 'Forbidden: bot was blocked by the user',
    });
    expect(await tg.client.sendMessage(78, 'x')).toMatchObject({ ok: true });
    await tg.control.block(77, false);
    expect(await tg.client.sendMessage(77, 'x')).toMatchObject({ ok: true });
  });

  it('maps 5xx (JSON or the front end’s HTML page) to unavailable', async () => {
    await tg.control.fail({ count: 1, status: 500 });
    await tg.control.fail({ count: 1, status: 502 });
    expect(await tg.client.sendMessage(1, 'x')).toEqual({
      ok: false,
      kind: 'unavailable',
      reason: 'http_500: Internal Server Error',
    });
    expect(await tg.client.sendMessage(1, 'x')).toEqual({
      ok: false,
      kind: 'unavailable',
      reason: 'http_502',
    });
    expect(await tg.control.messages()).toEqual([]);
  });

  it('maps other 4xx answers to rejected with Telegram’s description', async () => {
    await tg.control.fail({ count: 1, status: 400 });
    expect(await tg.client.sendMessage(1, 'x')).toEqual({
      ok: false,
      kind: 'rejected',
      httpStatus: 400,
      description: 'Bad Request: chat not found',
    });
  });

  it('gives up after the timeout as unavailable', async () => {
    await tg.control.fail({ count: 1, status: 500, delay_ms: 3_000 });
    const slow = createTelegramClient({ baseUrl: tg.url, token: BOT_TOKEN, timeoutMs: 200 });
    expect(await slow.sendMessage(1, 'x')).toEqual({
      ok: false,
      kind: 'unavailable',
      reason: 'timeout',
    });
  });
});

describe('Telegram client', () => {
  const spies: ReturnType<typeof vi.spyOn>[] = [];
  afterEach(() => {
    for (const spy of spies.splice(0)) spy.mockRestore();
  });

  it('keeps a refused token queued (unavailable) and never logs the token', async () => {
    for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)
      spies.push(vi.spyOn(logger, level));
    const secretToken = '987654:very-secret-token';
    const wrong = createTelegramClient({ baseUrl: `${tg.url}/`, token: secretToken });
    const refused = await wrong.sendMessage(1, 'x');
    expect(refused).toEqual({ ok: false, kind: 'unavailable', reason: 'http_401: Unauthorized' });

    // a description that echoes the token is redacted too
    const echoing = createTelegramClient({ baseUrl: tg.url, token: BOT_TOKEN });
    await tg.control.fail({
      count: 1,
      status: 400,
      description: `Bad Request: token ${BOT_TOKEN}`,
    });
    const rejected = await echoing.sendMessage(1, 'x');
    expect(rejected).toMatchObject({
      kind: 'rejected',
      description: 'Bad Request: token [REDACTED]',
    });

    // connection refused: a port nothing listens on
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const offline = createTelegramClient({
      baseUrl: `http://127.0.0.1:${port}`,
      token: secretToken,
    });
    expect(await offline.sendMessage(1, 'x')).toEqual({
      ok: false,
      kind: 'unavailable',
      reason: 'network: ECONNREFUSED',
    });

    const logged = JSON.stringify(spies.flatMap((spy) => spy.mock.calls));
    expect(spies.some((spy) => spy.mock.calls.length > 0)).toBe(true);
    expect(logged).not.toContain(secretToken);
    expect(logged).not.toContain(BOT_TOKEN);
    expect(logged).not.toContain('very-secret');
  });

  it('is not configured without TELEGRAM_API_BASE_URL and TELEGRAM_BOT_TOKEN', async () => {
    const { resetEnvCache } = await import('~/utils/env.server');
    const saved = { url: process.env.TELEGRAM_API_BASE_URL, token: process.env.TELEGRAM_BOT_TOKEN };
    try {
      delete process.env.TELEGRAM_API_BASE_URL;
      process.env.TELEGRAM_BOT_TOKEN = BOT_TOKEN;
      resetEnvCache();
      expect(getTelegramClient()).toBeNull();

      process.env.TELEGRAM_API_BASE_URL = tg.url;
      resetEnvCache();
      const client = getTelegramClient();
      expect(client).not.toBeNull();
      expect(await client!.sendMessage(3, 'from env')).toMatchObject({ ok: true });
    } finally {
      for (const [key, value] of [
        ['TELEGRAM_API_BASE_URL', saved.url],
        ['TELEGRAM_BOT_TOKEN', saved.token],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      resetEnvCache();
    }
  });
});
