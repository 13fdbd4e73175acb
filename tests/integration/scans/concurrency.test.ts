import crypto from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../../db/types.generated';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import {
  activeCode,
  codeCounters,
  postScans,
  results,
  scanEvent,
  scanRow,
  storeWithKey,
  type ApiAnswer,
} from './helpers';

/**
 * Many devices sending the same events at once (C7 and the acceptance case): every
 * client is its own connection, and the database decides who inserts first (OS-5).
 */

let testDb: TestDatabase;
let clients: Kysely<DB>[];

beforeAll(async () => {
  testDb = await createTestDatabase();
  // one single-connection pool per client: their statements really run side by side
  clients = Array.from(
    { length: 5 },
    () => new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(1) }) }),
  );
});

afterAll(async () => {
  await Promise.all((clients ?? []).map((c) => c.destroy()));
  await testDb?.destroy();
});

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = crypto.randomInt(0, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('C7: concurrent duplicate scans', () => {
  it('5 concurrent ingestions of one new id, then 5 more: one row, dup_count 4 then 9, scan_count 1', async () => {
    const { key } = await storeWithKey(testDb.db);
    const { code } = await activeCode(testDb.db);
    for (let round = 0; round < 20; round++) {
      const event = scanEvent(code.code);
      const send = () =>
        Promise.all(clients.map((db) => postScans(db, { key, body: { events: [event] } })));

      const first = await send();
      expect(first.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      const firstResults = first.flatMap(results).map((r) => r.result);
      expect(firstResults.filter((r) => r === 'accepted')).toHaveLength(1);
      expect(firstResults.filter((r) => r === 'duplicate')).toHaveLength(4);
      expect((await scanRow(testDb, event.client_event_id as string))?.dup_count).toBe(4);

      const second = await send();
      expect(second.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(second.flatMap(results).map((r) => r.result)).toEqual(Array(5).fill('duplicate'));
      expect((await scanRow(testDb, event.client_event_id as string))?.dup_count).toBe(9);
      // every answer names the one stored row
      const ids = new Set([...first, ...second].flatMap(results).map((r) => r.scan_id));
      expect(ids.size).toBe(1);
    }
    expect((await codeCounters(testDb, code.id)).scan_count).toBe(20);
  });
});

describe('acceptance: one batch sent 3 times, shuffled, concurrently from 5 clients', () => {
  it('stores one row per distinct event, dup_count = repeats, scan_count = distinct events', async () => {
    const { store, key } = await storeWithKey(testDb.db);
    const codes = await Promise.all([1, 2, 3].map(() => activeCode(testDb.db)));
    const events = Array.from({ length: 240 }, (_, i) =>
      scanEvent(codes[i % 3]!.code.code, {
        scan_type: (['POS', 'CASHIER_APP', 'QR'] as const)[i % 3],
        order_amount: i % 2 === 0 ? `${100 + i}.00` : undefined,
      }),
    );

    const answers: ApiAnswer[] = await Promise.all(
      clients.flatMap((db) =>
        [1, 2, 3].map(() => postScans(db, { key, body: { events: shuffled(events) } })),
      ),
    );

    expect(answers.map((a) => a.status)).toEqual(Array(15).fill(200));
    const all = answers.flatMap(results);
    expect(all).toHaveLength(15 * events.length);
    expect(all.filter((r) => r.result === 'rejected')).toEqual([]);
    expect(all.filter((r) => r.result === 'accepted')).toHaveLength(events.length);

    const rows = await testDb.db
      .selectFrom('offline_scan_log')
      .select(['client_event_id', 'dup_count', 'campaign_code_id'])
      .where('store_id', '=', store.id)
      .execute();
    expect(rows).toHaveLength(events.length);
    expect(new Set(rows.map((r) => r.client_event_id))).toEqual(
      new Set(events.map((e) => e.client_event_id)),
    );
    expect(rows.every((r) => r.dup_count === 14)).toBe(true);
    for (const { code } of codes) {
      expect((await codeCounters(testDb, code.id)).scan_count).toBe(events.length / 3);
    }
  });
});
