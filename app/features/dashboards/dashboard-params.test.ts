import { describe, expect, it } from 'vitest';
import { parseDashboardParams, toMoscowInput } from './dashboard-params';
import { bucketStart, fillBuckets } from './buckets';

const NOW = new Date('2026-11-26T01:20:00Z');

describe('parseDashboardParams', () => {
  it('defaults to the last days ending with the current hour, by hour', () => {
    const p = parseDashboardParams('/x', { defaultDays: 1, now: NOW });
    expect(p).toEqual({
      from: new Date('2026-11-25T02:00:00Z'),
      to: new Date('2026-11-26T02:00:00Z'),
      bucket: 'hour',
      storeId: undefined,
      provider: undefined,
    });
  });

  it('reads Moscow wall-clock times and the filters', () => {
    const p = parseDashboardParams(
      '/x?from=2026-11-01&to=2026-11-02T12:30&bucket=day&store=7&provider=YOOKASSA',
      { defaultDays: 7, now: NOW },
    );
    expect(p.from.toISOString()).toBe('2026-10-31T21:00:00.000Z');
    // widened to the whole hour
    expect(p.to.toISOString()).toBe('2026-11-02T10:00:00.000Z');
    expect(p).toMatchObject({ bucket: 'day', storeId: 7, provider: 'YOOKASSA' });
  });

  it('falls back to defaults on bad values instead of failing', () => {
    const p = parseDashboardParams(
      '/x?from=2026-02-31&to=soon&bucket=week&store=-3&provider=PAYPAL',
      { defaultDays: 7, now: NOW },
    );
    expect(p).toEqual(parseDashboardParams('/x', { defaultDays: 7, now: NOW }));
    // from after to → the default range
    const reversed = parseDashboardParams('/x?from=2026-11-10&to=2026-11-01', {
      defaultDays: 1,
      now: NOW,
    });
    expect(reversed.to.toISOString()).toBe('2026-11-26T02:00:00.000Z');
  });

  it('prints instants as Moscow datetime-local values', () => {
    expect(toMoscowInput(new Date('2026-10-31T21:00:00Z'))).toBe('2026-11-01T00:00');
  });
});

describe('fillBuckets', () => {
  it('cuts days at Moscow midnight and fills the gaps', () => {
    expect(bucketStart(new Date('2026-11-01T20:59:00Z'), 'day').toISOString()).toBe(
      '2026-10-31T21:00:00.000Z',
    );
    const rows = [{ start: '2026-11-01T21:00:00.000Z', n: 5 }];
    const filled = fillBuckets(
      rows,
      { from: new Date('2026-10-31T21:00:00Z'), to: new Date('2026-11-02T21:00:00Z') },
      'day',
      (start) => ({ start, n: 0 }),
    );
    expect(filled).toEqual([
      { start: '2026-10-31T21:00:00.000Z', n: 0 },
      { start: '2026-11-01T21:00:00.000Z', n: 5 },
    ]);
  });
});
