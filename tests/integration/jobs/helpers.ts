import { Kysely, PostgresDialect, sql } from 'kysely';
import type { DB } from '../../../db/types.generated';
import type { TestDatabase } from '../../setup/test-database';

/** A Kysely instance on its own pool: a separate set of connections, like another process. */
export function separateDb(testDb: TestDatabase, max = 5): Kysely<DB> {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(max) }) });
}

export function getJob(db: Kysely<DB>, id: number) {
  return db.selectFrom('iiko_sync_job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export function getLogs(db: Kysely<DB>, jobId: number) {
  return db
    .selectFrom('iiko_sync_log')
    .selectAll()
    .where('job_id', '=', jobId)
    .orderBy('attempt_number')
    .execute();
}

/** Jobs and their logs go; every test starts with an empty queue. */
export async function clearQueue(db: Kysely<DB>): Promise<void> {
  await db.deleteFrom('iiko_sync_log').execute();
  await db.deleteFrom('iiko_sync_job').execute();
}

/** Makes a job due now (instead of waiting out its backoff). */
export async function makeDue(db: Kysely<DB>, id: number): Promise<void> {
  await db
    .updateTable('iiko_sync_job')
    .set({ next_run_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Polls until `check` returns a truthy value; fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A promise with its resolver, for handlers that wait until the test lets them finish. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
