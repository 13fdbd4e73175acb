import { ALERT_RULE_DEFINITIONS } from './rules';

/**
 * In-memory sliding windows of one app process (DA-3's in-process rules). Every finished HTTP
 * request and every pool sample is recorded here; `evaluate` turns them into the rule values the
 * evaluator records. Pure and clock-free (every call takes `at` in ms) so it is unit-tested
 * without timers.
 */

export interface ProcessRuleValue {
  /** Null when the window has too few observations to judge. */
  value: number | null;
  firing: boolean;
}

export interface ProcessRuleValues {
  api_latency: ProcessRuleValue;
  api_error_rate: ProcessRuleValue;
  db_pool_saturation: ProcessRuleValue;
}

export interface PoolSample {
  /** pg.Pool totalCount */
  total: number;
  /** pg.Pool idleCount */
  idle: number;
  /** The pool's max (CF-2: 20). */
  max: number;
}

/** Bounds memory under load: beyond this many requests in 5 min the oldest tenth is dropped. */
export const MAX_REQUEST_SAMPLES = 100_000;

const LATENCY = ALERT_RULE_DEFINITIONS.api_latency;
const ERRORS = ALERT_RULE_DEFINITIONS.api_error_rate;
const POOL = ALERT_RULE_DEFINITIONS.db_pool_saturation;

/** Nearest-rank percentile of an unsorted list (p in 0..1); null for an empty list. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}

export class ProcessWindows {
  // parallel ring of request observations, oldest first
  private at: number[] = [];
  private seconds: number[] = [];
  private serverError: boolean[] = [];
  /** Since when every pool sample has been above the threshold; null when the last one was not. */
  private saturatedSince: number | null = null;
  private lastPoolRatio: number | null = null;

  constructor(private readonly maxSamples = MAX_REQUEST_SAMPLES) {}

  /** One finished HTTP request: its duration and status code. */
  recordRequest(durationSeconds: number, status: number, at: number): void {
    this.at.push(at);
    this.seconds.push(durationSeconds);
    this.serverError.push(status >= 500);
    // drop a tenth at once: one splice per many requests, not one per request under load
    if (this.at.length > this.maxSamples) this.drop(Math.ceil(this.maxSamples / 10));
  }

  /** One observation of the pool; "for 5 min" means every sample over 5 min was above 80 %. */
  samplePool(sample: PoolSample, at: number): void {
    const ratio = sample.max > 0 ? (sample.total - sample.idle) / sample.max : 0;
    this.lastPoolRatio = ratio;
    if (ratio > POOL.threshold) this.saturatedSince ??= at;
    else this.saturatedSince = null;
  }

  private drop(count: number): void {
    this.at.splice(0, count);
    this.seconds.splice(0, count);
    this.serverError.splice(0, count);
  }

  private prune(now: number): void {
    const cutoff = now - Math.max(LATENCY.windowMs, ERRORS.windowMs);
    let stale = 0;
    while (stale < this.at.length && this.at[stale]! <= cutoff) stale++;
    if (stale > 0) this.drop(stale);
  }

  /** Requests kept in the window (after pruning at `now`). */
  size(now: number): number {
    this.prune(now);
    return this.at.length;
  }

  evaluate(now: number): ProcessRuleValues {
    this.prune(now);
    const p95 = this.at.length >= LATENCY.minSamples ? percentile(this.seconds, 0.95) : null;
    const total = this.at.length;
    const errors = this.serverError.reduce((n, e) => (e ? n + 1 : n), 0);
    const errorRate = total >= ERRORS.minSamples ? errors / total : null;
    const saturatedFor = this.saturatedSince === null ? 0 : now - this.saturatedSince;
    return {
      api_latency: { value: p95, firing: p95 !== null && p95 > LATENCY.threshold },
      api_error_rate: {
        value: errorRate,
        firing: errorRate !== null && errorRate > ERRORS.threshold,
      },
      db_pool_saturation: {
        value: this.lastPoolRatio,
        firing: this.saturatedSince !== null && saturatedFor >= POOL.windowMs,
      },
    };
  }
}
