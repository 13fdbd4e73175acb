import { describe, expect, it } from 'vitest';
import { fromZonedLocal, toZonedLocal } from './campaign-time';

describe('campaign wall-clock time (Europe/Moscow)', () => {
  it('reads a datetime-local value as Moscow time', () => {
    expect(fromZonedLocal('2026-03-01T10:00')!.toISOString()).toBe('2026-03-01T07:00:00.000Z');
    expect(fromZonedLocal('2026-01-01T00:30')!.toISOString()).toBe('2025-12-31T21:30:00.000Z');
  });

  it('round-trips', () => {
    const instant = new Date('2026-07-15T20:45:00Z');
    expect(toZonedLocal(instant)).toBe('2026-07-15T23:45');
    expect(fromZonedLocal(toZonedLocal(instant))!.getTime()).toBe(instant.getTime());
  });

  it('refuses malformed and impossible dates', () => {
    for (const bad of ['', '2026-02-30T10:00', '2026-13-01T10:00', '2026-01-01T24:00', 'x']) {
      expect(fromZonedLocal(bad), bad).toBeNull();
    }
  });
});
