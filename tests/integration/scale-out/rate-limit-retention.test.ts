import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodicTasks } from '~/features/jobs/periodic.server';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';

/**
 * The shared rate-limit counters (schema `ratelimit`, ADR 0020) are pruned by the workers'
 * periodic task, under its advisory lock like every periodic task, so with any number of workers
 * the table holds only windows that can still refuse a request.
 */

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.destroy();
});

describe('retention.rate_limit_windows', () => {
  it('runs every 5 minutes and deletes ended windows only', async () => {
    const ended = 'e'.repeat(64);
    const current = 'c'.repeat(64);
    const task = periodicTasks.find((t) => t.name === 'retention.rate_limit_windows');
    expect(task?.everyMs).toBe(5 * 60_000);
    await sql`
      insert into ratelimit.hit_window (scope, key_hash, window_start, window_end, hits)
      values ('checkout_member', ${ended}, now() - interval '2 hours', now() - interval '1 hour', 7),
             ('checkout_member', ${current}, now() - interval '10 seconds', now() + interval '50 seconds', 2)
    `.execute(testDb.db);
    expect(await task!.run(testDb.db, { signal: new AbortController().signal })).toBe(1);
    const { rows } = await sql<{ key_hash: string }>`
      select key_hash from ratelimit.hit_window
    `.execute(testDb.db);
    expect(rows.map((r) => r.key_hash)).toEqual([current]);
  });
});
