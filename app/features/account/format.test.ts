import { describe, expect, it } from 'vitest';
import { formatDate, formatPoints, formatPointsDelta } from './format';

describe('account formatting', () => {
  it('prints signed, grouped point deltas', () => {
    expect(formatPointsDelta(100, 'en')).toBe('+100');
    expect(formatPointsDelta(-15000, 'en')).toBe('−15,000');
    expect(formatPoints(20000, 'en')).toBe('20,000');
  });

  it('shows dates in Moscow time', () => {
    // 21:30 UTC is already the next day in Moscow (UTC+3)
    expect(formatDate('2026-01-05T21:30:00Z', 'en')).toBe('6 Jan 2026');
  });
});
