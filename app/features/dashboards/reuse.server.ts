import { getEnv } from '~/utils/env.server';

/**
 * The dashboards' loader data, reused for a few seconds per page and filter (ADR 0016, amended):
 * what they show comes from rollups that are refreshed at most every 15 s anyway and says "data as
 * of", and every admin asking for the same page meanwhile gets the same answer. Requests arriving
 * while the data is being read share that read. `DASHBOARD_REUSE_MS` (default 5 000 in
 * production, 0 — off — elsewhere, so tests always read the database).
 */

const MAX_KEYS = 200;
const kept = new Map<string, { until: number; value: Promise<unknown> }>();

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
  const value = read();
  kept.delete(key);
  kept.set(key, { until: now + ms, value });
  // a failed read is not kept: the next request tries again
  value.catch(() => {
    if (kept.get(key)?.value === value) kept.delete(key);
  });
  while (kept.size > MAX_KEYS) kept.delete(kept.keys().next().value!);
  return value;
}
