import type { Bucket } from './dashboard-params';

/**
 * Chart series helpers (isomorphic). Moscow keeps UTC+3 all year, so Moscow hours and days are
 * fixed-length steps from a Moscow-aligned start.
 */

const HOUR_MS = 3_600_000;
const MOSCOW_OFFSET_MS = 3 * HOUR_MS;
const STEP_MS: Record<Bucket, number> = { hour: HOUR_MS, day: 24 * HOUR_MS };
/** More points than this and the chart is unreadable anyway; the series is cut at the end. */
const MAX_POINTS = 2_500;

/** Start of the Moscow hour or day containing `at`. */
export function bucketStart(at: Date, bucket: Bucket): Date {
  const step = STEP_MS[bucket];
  const local = at.getTime() + MOSCOW_OFFSET_MS;
  return new Date(Math.floor(local / step) * step - MOSCOW_OFFSET_MS);
}

/**
 * Every bucket of [from, to) in order, each with the row whose `start` is that bucket's ISO start
 * or `empty(start)` when the query returned none (buckets without rows are not in the result).
 */
export function fillBuckets<R extends { start: string }>(
  rows: readonly R[],
  range: { from: Date; to: Date },
  bucket: Bucket,
  empty: (start: string) => R,
): R[] {
  const byStart = new Map(rows.map((r) => [r.start, r]));
  const out: R[] = [];
  const step = STEP_MS[bucket];
  for (
    let t = bucketStart(range.from, bucket).getTime();
    t < range.to.getTime() && out.length < MAX_POINTS;
    t += step
  ) {
    const start = new Date(t).toISOString();
    out.push(byStart.get(start) ?? empty(start));
  }
  return out;
}
