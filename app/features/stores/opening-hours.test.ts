import { describe, expect, it } from 'vitest';
import { isOpenAt, localDate } from './opening-hours';

const MSK = 'Europe/Moscow';
// 2026-11-25 is a Wednesday; Moscow is UTC+3
const at = (utc: string) => new Date(utc);

describe('isOpenAt', () => {
  it('is open inside the day and closed at the closing minute', () => {
    const hours = { wed: { open: '10:00', close: '22:00' } };
    expect(isOpenAt(hours, MSK, at('2026-11-25T07:00:00Z'))).toBe(true); // 10:00
    expect(isOpenAt(hours, MSK, at('2026-11-25T06:59:00Z'))).toBe(false); // 09:59
    expect(isOpenAt(hours, MSK, at('2026-11-25T19:00:00Z'))).toBe(false); // 22:00
  });

  it('treats a missing day as closed and open = close as 24 hours', () => {
    expect(isOpenAt({}, MSK, at('2026-11-25T12:00:00Z'))).toBe(false);
    expect(
      isOpenAt({ wed: { open: '00:00', close: '00:00' } }, MSK, at('2026-11-25T20:30:00Z')),
    ).toBe(true);
  });

  it('carries hours past midnight into the next day', () => {
    const hours = { tue: { open: '18:00', close: '02:00' } };
    expect(isOpenAt(hours, MSK, at('2026-11-24T22:30:00Z'))).toBe(true); // Wed 01:30
    expect(isOpenAt(hours, MSK, at('2026-11-24T23:00:00Z'))).toBe(false); // Wed 02:00
    expect(isOpenAt(hours, MSK, at('2026-11-24T16:00:00Z'))).toBe(true); // Tue 19:00
  });
});

describe('localDate', () => {
  it('uses the store time zone', () => {
    expect(localDate(at('2026-11-25T21:30:00Z'), MSK)).toBe('2026-11-26');
    expect(localDate(at('2026-11-25T20:59:00Z'), MSK)).toBe('2026-11-25');
  });
});
