import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { periodicTasks } from '~/features/jobs/periodic.server';
import {
  claimNotifications,
  deliverNotification,
  dispatchNotifications,
  RETRY_DELAYS_S,
} from '~/features/notifications/dispatcher.service.server';
import { recoverStaleNotifications } from '~/features/notifications/notifications.server';
import {
  enqueueMemberOrderNotification,
  enqueueNewOrderNotification,
} from '~/features/notifications/order-notifications.server';
import type { TelegramClient } from '~/integrations/telegram/telegram-client.server';
import {
  createMember,
  createOrder,
  createOrderItem,
  createProduct,
  createStore,
} from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import {
  BOT_TOKEN,
  MINUTE,
  notificationState,
  plus,
  queueMessage,
  SECOND,
  startFakeTelegram,
  type FakeTelegram,
} from './helpers';

/**
 * The outbox dispatcher against the fake Bot API (NT-1, NT-5): one message per row, the retry
 * schedule, 403/400 handling, attempts, per-chat rate limits, stale claims, and NEW_ORDER texts
 * that Telegram's HTML parser accepts. Clocks are passed explicitly (`now`), never waited for.
 */

let testDb: TestDatabase;
let tg: FakeTelegram;

beforeAll(async () => {
  testDb = await createTestDatabase();
  tg = await startFakeTelegram();
});
afterAll(async () => {
  await tg?.stop();
  await testDb?.destroy();
});
beforeEach(async () => {
  await tg.control.reset();
  await testDb.db.deleteFrom('notification').execute();
});

const db = () => testDb.db;
const dispatch = (now?: Date, options: { batchSize?: number } = {}) =>
  dispatchNotifications(db(), tg.client, { now, ...options });
/** A fixed clock a little ahead of the rows' creation, so they are due. */
const start = () => new Date(Date.now() + 5 * SECOND);

describe('NT-1 delivery', () => {
  it('sends a due row once, unmodified, and records the message id', async () => {
    const text = '<b>Тревога</b>: очередь заказов &gt; 10 &amp; растёт';
    const row = await queueMessage(db(), -1001000000001, { text });

    const first = await dispatch();
    expect(first).toMatchObject({ claimed: 1, sent: 1, retried: 0, failed: 0 });
    const again = await dispatch();
    expect(again).toMatchObject({ claimed: 0, sent: 0 });

    const messages = await tg.control.messages(-1001000000001);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.raw_text).toBe(text);
    expect(messages[0]!.text).toBe('Тревога: очередь заказов > 10 & растёт');
    const state = await notificationState(db(), row.id);
    expect(state).toMatchObject({
      status: 'SENT',
      attempts: 1,
      provider_message_id: String(messages[0]!.message_id),
      last_error: null,
    });
    expect(state.sent_at).toBeInstanceOf(Date);
  });

  it('leaves rows that are not due yet alone', async () => {
    const row = await queueMessage(db(), 501, { next_attempt_at: plus(new Date(), 10 * MINUTE) });
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    expect(await notificationState(db(), row.id)).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(await tg.control.requests()).toEqual([]);
  });
});

describe('NT-5 outcomes', () => {
  it('429: retries at now + retry_after and holds the chat’s other messages as long', async () => {
    const t0 = start();
    const a = await queueMessage(db(), 502, { text: 'первое' });
    const b = await queueMessage(db(), 502, { text: 'второе' });
    await tg.control.fail({ count: 1, status: 429, retry_after: 7, chat_id: 502 });

    expect(await dispatch(t0)).toMatchObject({ claimed: 1, retried: 1 });
    const limited = await notificationState(db(), a.id);
    expect(limited).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(limited.next_attempt_at).toEqual(plus(t0, 7 * SECOND));
    expect(limited.last_error).toBe('HTTP 429: Too Many Requests: retry after 7');
    expect((await notificationState(db(), b.id)).next_attempt_at).toEqual(plus(t0, 7 * SECOND));

    expect(await dispatch(plus(t0, 6_999))).toMatchObject({ claimed: 0 });
    expect(await dispatch(plus(t0, 7 * SECOND))).toMatchObject({ claimed: 1, sent: 1 });
    expect(await notificationState(db(), a.id)).toMatchObject({ status: 'SENT', attempts: 2 });
    expect(await dispatch(plus(t0, 8 * SECOND))).toMatchObject({ claimed: 1, sent: 1 });
    expect((await tg.control.messages(502)).map((m) => m.text)).toEqual(['первое', 'второе']);
    expect((await tg.control.requests(502)).map((r) => r.status)).toEqual([429, 200, 200]);
  });

  it('5xx and network errors: retries after 30 s, 2 min, 10 min and 30 min', async () => {
    const t0 = start();
    const row = await queueMessage(db(), 503);
    await tg.control.fail({ count: 4, status: 500, chat_id: 503 });

    let at = t0;
    for (const [i, delay] of RETRY_DELAYS_S.entries()) {
      expect(await dispatch(at)).toMatchObject({ claimed: 1, retried: 1 });
      const state = await notificationState(db(), row.id);
      expect(state).toMatchObject({ status: 'PENDING', attempts: i + 1 });
      expect(state.last_error).toBe('unavailable: http_500: Internal Server Error');
      const due = plus(at, delay * SECOND);
      expect(state.next_attempt_at).toEqual(due);
      expect(await dispatch(plus(due, -1))).toMatchObject({ claimed: 0 });
      at = due;
    }
    expect(RETRY_DELAYS_S).toEqual([30, 120, 600, 1800]);
    expect(await dispatch(at)).toMatchObject({ claimed: 1, sent: 1 });
    expect(await notificationState(db(), row.id)).toMatchObject({ status: 'SENT', attempts: 5 });
    expect(await tg.control.messages(503)).toHaveLength(1);
  });

  it('fails after max_attempts and never tries again', async () => {
    const t0 = start();
    const row = await queueMessage(db(), 504, { max_attempts: 3 });
    await tg.control.fail({ count: 10, status: 502, chat_id: 504 });

    expect(await dispatch(t0)).toMatchObject({ retried: 1 });
    expect(await dispatch(plus(t0, 30 * SECOND))).toMatchObject({ retried: 1 });
    expect(await dispatch(plus(t0, 150 * SECOND))).toMatchObject({ failed: 1 });
    const state = await notificationState(db(), row.id);
    expect(state).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      last_error: 'unavailable: http_502 (after 3 attempts)',
    });
    expect(await dispatch(plus(t0, 24 * 60 * MINUTE))).toMatchObject({ claimed: 0 });
    expect(await tg.control.requests(504)).toHaveLength(3);
  });

  it('403: FAILED at once and the member’s Telegram account is marked blocked', async () => {
    const member = await createMember(db());
    const other = await createMember(db());
    const link = (memberId: number, chatId: number) =>
      db()
        .insertInto('telegram_user')
        .values({
          telegram_id: chatId,
          chat_id: chatId,
          member_id: memberId,
          linked_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    await link(member.id, 70_001);
    await link(other.id, 70_002);
    const row = await queueMessage(db(), 70_001, {
      recipient_type: 'MEMBER',
      member_id: member.id,
      type: 'ORDER_STATUS',
    });
    const storeChat = await queueMessage(db(), -70_003, { recipient_type: 'STORE_CHAT' });
    await tg.control.block(70_001);
    await tg.control.fail({ count: 1, status: 403, chat_id: -70_003 });

    expect(await dispatch()).toMatchObject({ claimed: 2, failed: 2 });
    expect(await notificationState(db(), row.id)).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      last_error: 'HTTP 403: Forbidden: bot was blocked by the user',
    });
    expect(await notificationState(db(), storeChat.id)).toMatchObject({ status: 'FAILED' });
    const accounts = await db()
      .selectFrom('telegram_user')
      .select(['member_id', 'is_blocked'])
      .where('member_id', 'in', [member.id, other.id])
      .orderBy('member_id')
      .execute();
    expect(accounts).toEqual([
      { member_id: member.id, is_blocked: true },
      { member_id: other.id, is_blocked: false },
    ]);
  });

  it('other 400: FAILED at once with Telegram’s description', async () => {
    const row = await queueMessage(db(), 505, { text: 'Итого <b>350 ₽' });
    expect(await dispatch()).toMatchObject({ claimed: 1, failed: 1 });
    const state = await notificationState(db(), row.id);
    expect(state).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(state.last_error).toBe(
      `HTTP 400: Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`,
    );
    expect(await tg.control.messages()).toEqual([]);
  });

  it('keeps rows queued while Telegram refuses the bot token', async () => {
    const t0 = start();
    const row = await queueMessage(db(), 506);
    const { createTelegramClient } = await import('~/integrations/telegram/telegram-client.server');
    const wrong = createTelegramClient({ baseUrl: tg.url, token: '1:revoked' });
    expect(await dispatchNotifications(db(), wrong, { now: t0 })).toMatchObject({ retried: 1 });
    expect(await notificationState(db(), row.id)).toMatchObject({
      status: 'PENDING',
      last_error: 'unavailable: http_401: Unauthorized',
    });
  });
});

describe('NT-5 rate limits', () => {
  it('sends at most one message per second to a chat, by deferring, not waiting', async () => {
    const t0 = start();
    const rows = [
      await queueMessage(db(), 601, { text: 'один' }),
      await queueMessage(db(), 601, { text: 'два' }),
      await queueMessage(db(), 601, { text: 'три' }),
    ];
    const other = await queueMessage(db(), 602, { text: 'другой чат' });

    expect(await dispatch(t0)).toMatchObject({ claimed: 2, sent: 2, deferred: 2 });
    const next = async () =>
      Promise.all(rows.map(async (r) => (await notificationState(db(), r.id)).next_attempt_at));
    expect((await next()).slice(1)).toEqual([plus(t0, SECOND), plus(t0, 2 * SECOND)]);
    expect(await notificationState(db(), other.id)).toMatchObject({ status: 'SENT' });

    // made due early by hand, the second message is still held back by the first one's send time
    await db()
      .updateTable('notification')
      .set({ next_attempt_at: t0 })
      .where('id', '=', rows[1]!.id)
      .execute();
    expect(await dispatch(plus(t0, 500))).toMatchObject({ claimed: 0, deferred: 1 });
    expect((await next())[1]).toEqual(plus(t0, SECOND));

    expect(await dispatch(plus(t0, SECOND))).toMatchObject({ claimed: 1, sent: 1 });
    expect(await dispatch(plus(t0, 1_999))).toMatchObject({ claimed: 0 });
    expect(await dispatch(plus(t0, 2 * SECOND))).toMatchObject({ claimed: 1, sent: 1 });
    expect((await tg.control.messages(601)).map((m) => m.text)).toEqual(['один', 'два', 'три']);
  });

  it('sends at most 20 messages a minute to a group chat', async () => {
    const t0 = start();
    const chat = -1001000000602;
    for (let i = 1; i <= 22; i++) await queueMessage(db(), chat, { text: `алерт ${i}` });

    for (let s = 0; s < 60; s++) await dispatch(plus(t0, s * SECOND));
    expect(await tg.control.messages(chat)).toHaveLength(20);
    const sentAt = (
      await db()
        .selectFrom('notification')
        .select('sent_at')
        .where('chat_id', '=', String(chat))
        .where('status', '=', 'SENT')
        .orderBy('sent_at')
        .execute()
    ).map((r) => r.sent_at!.getTime() - t0.getTime());
    expect(sentAt).toEqual(Array.from({ length: 20 }, (_, i) => i * SECOND));

    expect(await dispatch(plus(t0, 60 * SECOND))).toMatchObject({ sent: 1 });
    expect(await dispatch(plus(t0, 61 * SECOND))).toMatchObject({ sent: 1 });
    const texts = (await tg.control.messages(chat)).map((m) => m.text);
    expect(texts).toEqual(Array.from({ length: 22 }, (_, i) => `алерт ${i + 1}`));
  });
});

describe('stale claims (at-least-once)', () => {
  it('a SENDING row left by a lost dispatcher is sent again after five minutes', async () => {
    const t0 = start();
    const row = await queueMessage(db(), 701, { text: 'после сбоя' });
    // the dispatcher claims and dies before calling Telegram
    const { claimed } = await claimNotifications(db(), { now: t0 });
    expect(claimed.map((c) => c.id)).toEqual([row.id]);

    expect(await dispatch(plus(t0, 4 * MINUTE))).toMatchObject({ recovered: 0, claimed: 0 });
    expect(await notificationState(db(), row.id)).toMatchObject({ status: 'SENDING', attempts: 1 });

    const later = plus(t0, 5 * MINUTE + SECOND);
    expect(await dispatch(later)).toMatchObject({ recovered: 1, claimed: 1, sent: 1 });
    expect(await notificationState(db(), row.id)).toMatchObject({ status: 'SENT', attempts: 2 });
    expect(await tg.control.messages(701)).toHaveLength(1);
  });

  it('a late answer of the recovered attempt is recorded instead of sending twice', async () => {
    const t0 = start();
    const row = await queueMessage(db(), 702);
    const { claimed } = await claimNotifications(db(), { now: t0 });
    const recovered = await recoverStaleNotifications(db(), { now: plus(t0, 6 * MINUTE) });
    expect(recovered).toEqual([{ id: row.id, status: 'PENDING' }]);

    // the "lost" dispatcher was only slow: its answer arrives now
    expect(await deliverNotification(db(), tg.client, claimed[0]!)).toBe('sent');
    expect(await dispatch(plus(t0, 6 * MINUTE))).toMatchObject({ claimed: 0 });
    expect(await notificationState(db(), row.id)).toMatchObject({ status: 'SENT', attempts: 1 });
    expect(await tg.control.messages(702)).toHaveLength(1);
  });

  it('a stale last attempt becomes FAILED', async () => {
    const t0 = start();
    const row = await queueMessage(db(), 703, { max_attempts: 1 });
    await claimNotifications(db(), { now: t0 });
    expect(await recoverStaleNotifications(db(), { now: plus(t0, 6 * MINUTE) })).toEqual([
      { id: row.id, status: 'FAILED' },
    ]);
    expect((await notificationState(db(), row.id)).last_error).toContain('dispatcher lost');
  });

  it('a stopping dispatcher releases the rows it claimed but did not send', async () => {
    const first = await queueMessage(db(), 704);
    const second = await queueMessage(db(), 705);
    const stop = new AbortController();
    const stopping: TelegramClient = {
      sendMessage: (chatId, text, options) => {
        stop.abort();
        return tg.client.sendMessage(chatId, text, options);
      },
    };
    const summary = await dispatchNotifications(db(), stopping, {
      concurrency: 1,
      signal: stop.signal,
    });
    expect(summary).toMatchObject({ claimed: 2, sent: 1, released: 1 });
    expect(await notificationState(db(), first.id)).toMatchObject({ status: 'SENT', attempts: 1 });
    expect(await notificationState(db(), second.id)).toMatchObject({
      status: 'PENDING',
      attempts: 0,
    });
  });
});

describe('NT-3/NT-4 texts built by the outbox', () => {
  it('a NEW_ORDER with "<b>&" in a product name passes Telegram’s HTML check and reads right', async () => {
    const store = await createStore(db(), { telegram_chat_id: '-1001000000801' });
    const order = await createOrder(db(), { store_id: store.id, customer_name: 'Аня <Ли> & Ко' });
    const product = await createProduct(db(), { name_ru: 'Чай <b>& "Молоко"' });
    await createOrderItem(db(), order.id, {
      product_id: product.id,
      product_name_ru: 'Чай <b>& "Молоко"',
      product_name_zh: '奶茶 <i>&',
      quantity: 2,
    });
    await enqueueNewOrderNotification(db(), order.id);
    const row = await db()
      .selectFrom('notification')
      .select(['id', 'text'])
      .where('dedupe_key', '=', `new_order:${order.id}`)
      .executeTakeFirstOrThrow();
    expect(row.text).toContain('Чай &lt;b&gt;&amp; "Молоко"');

    expect(await dispatch()).toMatchObject({ sent: 1, failed: 0 });
    const [message] = await tg.control.messages(-1001000000801);
    expect(message!.raw_text).toBe(row.text);
    expect(message!.text).toContain(`2 × Чай <b>& "Молоко"`);
    expect(message!.text).toContain('2 × 奶茶 <i>&');
    expect(message!.text).toContain('Аня <Ли> & Ко');
    expect(message!.text).toContain(order.order_number);
    expect(message!.entities.filter((e) => e.type === 'bold')).toHaveLength(2);

    // the same name unescaped is exactly what the fake refuses
    const raw = await tg.client.sendMessage(-1001000000801, `<b>Заказ</b>\nЧай <b>& "Молоко"`, {
      parseMode: 'HTML',
    });
    expect(raw).toMatchObject({ ok: false, kind: 'rejected', httpStatus: 400 });
  });

  it('an ORDER_STATUS to a linked member is delivered to their chat', async () => {
    const member = await createMember(db());
    await db()
      .insertInto('telegram_user')
      .values({ telegram_id: 80_002, chat_id: 80_002, member_id: member.id, linked_at: new Date() })
      .execute();
    const order = await createOrder(db(), { member_id: member.id });
    await enqueueMemberOrderNotification(db(), order.id, 'READY');
    expect(await dispatch()).toMatchObject({ sent: 1 });
    const [message] = await tg.control.messages(80_002);
    expect(message!.text).toContain(order.order_number);
  });
});

describe('periodic task notifications.dispatch', () => {
  it('runs every 2 s with the env-configured client, and does nothing without one', async () => {
    const task = periodicTasks.find((t) => t.name === 'notifications.dispatch')!;
    expect(task.everyMs).toBe(2_000);
    const row = await queueMessage(db(), 901);
    const signal = new AbortController().signal;
    const { resetEnvCache } = await import('~/utils/env.server');
    const saved = { url: process.env.TELEGRAM_API_BASE_URL, token: process.env.TELEGRAM_BOT_TOKEN };
    try {
      delete process.env.TELEGRAM_API_BASE_URL;
      delete process.env.TELEGRAM_BOT_TOKEN;
      resetEnvCache();
      expect(await task.run(db(), { signal })).toBeNull();
      expect(await notificationState(db(), row.id)).toMatchObject({ status: 'PENDING' });

      process.env.TELEGRAM_API_BASE_URL = tg.url;
      process.env.TELEGRAM_BOT_TOKEN = BOT_TOKEN;
      resetEnvCache();
      expect(await task.run(db(), { signal })).toMatchObject({ sent: 1 });
      expect(await notificationState(db(), row.id)).toMatchObject({ status: 'SENT' });
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

  it('claims with FOR UPDATE SKIP LOCKED: a row locked elsewhere is skipped, not waited for', async () => {
    const locked = await queueMessage(db(), 902);
    const free = await queueMessage(db(), 903);
    const pool = testDb.newPool(1);
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('select id from notification where id = $1 for update', [locked.id]);
      expect(await dispatch()).toMatchObject({ claimed: 1, sent: 1 });
      await client.query('rollback');
    } finally {
      client.release();
    }
    expect(await notificationState(db(), free.id)).toMatchObject({ status: 'SENT' });
    expect(await notificationState(db(), locked.id)).toMatchObject({ status: 'PENDING' });
    expect(await dispatch()).toMatchObject({ claimed: 1, sent: 1 });
  });
});
