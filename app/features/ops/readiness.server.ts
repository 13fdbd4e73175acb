import { sql } from 'kysely';
import type { Db } from '~db/database.server';

/** `SELECT 1` with a deadline, so a hung database answers "not ready" instead of hanging. */
export async function checkReadiness(
  db: Db,
  timeoutMs = 2_000,
): Promise<{ ok: boolean; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1`.execute(db),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch {
    return { ok: false, ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}
