import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '../../../db/types.generated';
import { dispatchNotifications } from '~/features/notifications/dispatcher.service.server';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { plus, queueMessage, SECOND, startFakeTelegram, type FakeTelegram } from './helpers';

/**
 * NT-1 under concurrency: two dispatchers, each with its own connection pool, drain one outbox.
 * The fake's record of received messages proves each row went out exactly once, and the claim
 * lock keeps the per-chat limit (NT-5) when both claim at the same instant.
 */

let testDb: TestDatabase;
let tg: FakeTelegram;
let dispatchers: Kysely<DB>[];

beforeAll(async () => {
  testDb = await createTestDatabase();
  tg = await startFakeTelegram();
  dispatchers = [0, 1].map(
    () => new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(3) }) }),
  );
});
afterAll(async () => {
  await Promise.all((dispatchers ?? []).map((d) => d.destroy()));
  await tg?.stop();
  await testDb?.destroy();
});
beforeEach(async () => {
  await tg.control.reset();
  await testDb.db.deleteFrom('notification').execute();
});

async function pendingCount(): Promise<number> {
  const row = await testDb.db
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', 'in', ['PENDING', 'SENDING'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('two dispatchers on separate connections', () => {
  it('send each of 50 rows exactly once', async () => {
    const chats = Array.from({ length: 50 }, (_, i) => 1_000 + i);
    const rows = [];
    for (const chat of chats) rows.push(await queueMessage(testDb.db, chat, { text: `№${chat}` }));

    const claimedBy = [0, 0];
    const drain = async (index: number) => {
      // bounded: 50 rows in batches of 3 need at most 17 claims per dispatcher
      for (let run = 0; run < 200; run++) {
        const summary = await dispatchNotifications(dispatchers[index]!, tg.client, {
          batchSize: 3,
        });
        claimedBy[index]! += summary.claimed;
        if (summary.claimed === 0 && (await pendingCount()) === 0) return;
      }
      throw new Error('the outbox did not drain');
    };
    await Promise.all([drain(0), drain(1)]);

    const messages = await tg.control.messages();
    expect(messages).toHaveLength(50);
    expect(messages.map((m) => Number(m.chat_id)).sort((a, b) => a - b)).toEqual(chats);
    expect(claimedBy[0]! + claimedBy[1]!).toBe(50);

    const states = await testDb.db
      .selectFrom('notification')
      .select(['chat_id', 'status', 'attempts', 'provider_message_id'])
      .execute();
    expect(states.every((s) => s.status === 'SENT' && s.attempts === 1)).toBe(true);
    expect(states.every((s) => s.provider_message_id === '1')).toBe(true);
    expect((await tg.control.requests()).length).toBe(50);
  });

  it('claiming at the same instant still sends one message per chat per second', async () => {
    const t0 = new Date(Date.now() + 5 * SECOND);
    const chats = [2_001, 2_002, 2_003, 2_004, -1_002_005];
    for (let i = 0; i < 10; i++) {
      for (const chat of chats) await queueMessage(testDb.db, chat, { text: `${chat}:${i}` });
    }

    for (let step = 0; step < 10; step++) {
      const now = plus(t0, step * SECOND);
      const [a, b] = await Promise.all(
        dispatchers.map((d) => dispatchNotifications(d, tg.client, { now, batchSize: 10 })),
      );
      expect(a!.sent + b!.sent).toBe(chats.length);
    }
    expect(await pendingCount()).toBe(0);

    for (const chat of chats) {
      const messages = await tg.control.messages(chat);
      expect(messages.map((m) => m.text)).toEqual(
        Array.from({ length: 10 }, (_, i) => `${chat}:${i}`),
      );
      const sentAt = await testDb.db
        .selectFrom('notification')
        .select('sent_at')
        .where('chat_id', '=', String(chat))
        .orderBy('sent_at')
        .execute();
      const gaps = sentAt
        .slice(1)
        .map((r, i) => r.sent_at!.getTime() - sentAt[i]!.sent_at!.getTime());
      expect(gaps.every((gap) => gap >= SECOND)).toBe(true);
    }
  });
});
