import { getEnv } from '~/utils/env.server';

/**
 * The dashboards' loader data, reused for a few seconds per page and filter (ADR 0016, amended):
 * what they show comes from rollups that are refreshed at most every 15 s anyway and says "data as
 * of", and every admin asking for the same page meanwhile gets the same answer. Requests arriving
 * while the data is being read share that read. `DASHBOARD_REUSE_MS` (default 5 000 in
 * production, 0 — off — elsewhere, so tests always read the database).
 *
 * When the kept data has aged past `ms`, the next request starts a new read and, like every
 * request until that read is done, is answered with the kept data (stale while refreshing) — for
 * up to another `ms`. Without that, every admin waiting for the page waited for the one read, which
 * under load queues behind the other pages' work (bench:http: a p99 of 2.5 s at a p50 of 0.65 s).
 * Data older than twice `ms` is never served: such a request waits for the read.
 */

const MAX_KEYS = 200;

interface Kept {
  until: number;
  value: Promise<unknown>;
  /** The read has succeeded, so its value may be served while the next read runs. */
  settled: boolean;
  refreshing: Promise<unknown> | null;
}

const kept = new Map<string, Kept>();

function keep(key: string, read: Promise<unknown>, until: number): Kept {
  const entry: Kept = { until, value: read, settled: false, refreshing: null };
  kept.delete(key);
  kept.set(key, entry);
  read.then(
    () => {
      entry.settled = true;
    },
    // a failed read is not kept: the next request tries again
    () => {
      if (kept.get(key) === entry) kept.delete(key);
    },
  );
  while (kept.size > MAX_KEYS) kept.delete(kept.keys().next().value!);
  return entry;
}

/** `read()`'s result for `key`, or a result read for the same key less than `ms` ago. */
export function reuseRecent<T>(
  key: string,
  read: () => Promise<T>,
  ms: number = getEnv().DASHBOARD_REUSE_MS,
  now: number = Date.now(),
): Promise<T> {
  if (ms <= 0) return read();
  const found = kept.get(key);
  if (found && found.until > now) return found.value as Promise<T>;
  if (found && found.settled) {
    if (!found.refreshing) {
      const next = read();
      found.refreshing = next;
      next.then(
        () => {
          if (kept.get(key) === found) keep(key, next, Date.now() + ms).settled = true;
        },
        () => {
          found.refreshing = null;
        },
      );
    }
    return (found.until + ms > now ? found.value : found.refreshing) as Promise<T>;
  }
  return keep(key, read(), now + ms).value as Promise<T>;
}
