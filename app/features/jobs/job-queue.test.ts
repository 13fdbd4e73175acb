import { describe, expect, it } from 'vitest';
import { retryDelayMs, sanitizeSummary } from './job-queue.server';

describe('retryDelayMs (IK-5)', () => {
  it('waits 1, 5, then 25 minutes, each within a ±20 % jitter', () => {
    const at = (n: number, r: number) => retryDelayMs(n, () => r);
    expect([at(1, 0), at(1, 0.5), at(1, 1)]).toEqual([48_000, 60_000, 72_000]);
    expect([at(2, 0), at(2, 0.5), at(2, 1)]).toEqual([240_000, 300_000, 360_000]);
    expect([at(3, 0), at(3, 0.5), at(3, 1)]).toEqual([1_200_000, 1_500_000, 1_800_000]);
    expect(at(7, 0.5)).toBe(1_500_000);
  });
});

describe('sanitizeSummary (IK-4)', () => {
  it('masks credentials and phones in a JSON body after a request line', () => {
    const text = sanitizeSummary(
      'POST /api/1/access_token {"apiLogin":"abc","items":[{"phone":"+79001234567","amount":2}]}',
    );
    expect(text).toBe(
      'POST /api/1/access_token {"apiLogin":"[REDACTED]","items":[{"phone":"+7900***4567","amount":2}]}',
    );
  });

  it('masks bearer tokens and phones in free text', () => {
    expect(sanitizeSummary('Authorization: Bearer eyJ.abc.def for +7 900 123-45-67')).toBe(
      'Authorization: Bearer [REDACTED] for +7900***4567',
    );
  });

  it('cuts to 5000 characters and stores nothing for an empty summary', () => {
    expect(sanitizeSummary(JSON.stringify(Array.from({ length: 3000 }, (_, i) => i)))).toHaveLength(
      5000,
    );
    expect(sanitizeSummary('')).toBeNull();
    expect(sanitizeSummary(undefined)).toBeNull();
  });
});
