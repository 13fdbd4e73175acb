import { describe, expect, it } from 'vitest';
import { percentile, ProcessWindows } from './process-windows';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);

describe('percentile', () => {
  it('is the nearest-rank value', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile([3, 1, 2], 0.95)).toBe(3);
    expect(percentile([], 0.95)).toBeNull();
  });
});

describe('api_latency', () => {
  it('fires when p95 over 5 min is above 2 s and clears at exactly 2 s', () => {
    const w = new ProcessWindows();
    for (let i = 0; i < 94; i++) w.recordRequest(0.1, 200, T0 + i);
    for (let i = 0; i < 6; i++) w.recordRequest(2.5, 200, T0 + 100 + i);
    expect(w.evaluate(T0 + MIN).api_latency).toEqual({ value: 2.5, firing: true });

    const edge = new ProcessWindows();
    for (let i = 0; i < 94; i++) edge.recordRequest(0.1, 200, T0 + i);
    for (let i = 0; i < 6; i++) edge.recordRequest(2, 200, T0 + 100 + i);
    expect(edge.evaluate(T0 + MIN).api_latency).toEqual({ value: 2, firing: false });
  });

  it('forgets requests older than 5 minutes', () => {
    const w = new ProcessWindows();
    for (let i = 0; i < 10; i++) w.recordRequest(5, 200, T0);
    expect(w.evaluate(T0 + 4 * MIN).api_latency.firing).toBe(true);
    expect(w.evaluate(T0 + 5 * MIN).api_latency).toEqual({ value: null, firing: false });
    expect(w.size(T0 + 5 * MIN)).toBe(0);
  });
});

describe('api_error_rate', () => {
  it('needs 100 requests and more than 1 % of 5xx', () => {
    const w = new ProcessWindows();
    for (let i = 0; i < 97; i++) w.recordRequest(0.01, 200, T0);
    w.recordRequest(0.01, 500, T0);
    w.recordRequest(0.01, 503, T0);
    // 99 requests: no value yet, however many fail
    expect(w.evaluate(T0 + 1).api_error_rate).toEqual({ value: null, firing: false });
    w.recordRequest(0.01, 404, T0 + 1);
    // 2 of 100 = 2 % > 1 %
    expect(w.evaluate(T0 + 2).api_error_rate).toEqual({ value: 0.02, firing: true });
  });

  it('does not fire at exactly 1 %', () => {
    const w = new ProcessWindows();
    for (let i = 0; i < 199; i++) w.recordRequest(0.01, i < 2 ? 500 : 200, T0);
    w.recordRequest(0.01, 200, T0);
    expect(w.evaluate(T0 + 1).api_error_rate).toEqual({ value: 0.01, firing: false });
  });

  it('keeps at most the configured number of requests', () => {
    const w = new ProcessWindows(150);
    for (let i = 0; i < 200; i++) w.recordRequest(0.01, i < 50 ? 500 : 200, T0 + i);
    // the 50 failures were the oldest and are gone
    expect(w.size(T0 + 300)).toBeLessThanOrEqual(150);
    expect(w.size(T0 + 300)).toBeGreaterThanOrEqual(100);
    expect(w.evaluate(T0 + 300).api_error_rate).toEqual({ value: 0, firing: false });
  });
});

describe('db_pool_saturation', () => {
  const busy = (inUse: number) => ({ total: 20, idle: 20 - inUse, max: 20 });

  it('fires only after 5 minutes above 16 of 20 connections', () => {
    const w = new ProcessWindows();
    for (let s = 0; s <= 5 * 60; s += 5) {
      w.samplePool(busy(17), T0 + s * 1000);
      const r = w.evaluate(T0 + s * 1000).db_pool_saturation;
      expect(r.firing).toBe(s >= 5 * 60);
    }
    expect(w.evaluate(T0 + 5 * MIN).db_pool_saturation).toEqual({ value: 0.85, firing: true });
  });

  it('16 of 20 is not above 80 %, and one dip restarts the 5 minutes', () => {
    const w = new ProcessWindows();
    w.samplePool(busy(16), T0);
    expect(w.evaluate(T0 + 10 * MIN).db_pool_saturation).toEqual({ value: 0.8, firing: false });
    w.samplePool(busy(18), T0);
    w.samplePool(busy(10), T0 + 4 * MIN);
    w.samplePool(busy(18), T0 + 4 * MIN + 1);
    expect(w.evaluate(T0 + 8 * MIN).db_pool_saturation.firing).toBe(false);
    expect(w.evaluate(T0 + 9 * MIN + 1).db_pool_saturation.firing).toBe(true);
  });
});
