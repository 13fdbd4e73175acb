import { describe, expect, it } from 'vitest';
import { isStoreOpen, storeClock, todayHours } from './store-hours';

// 2026-03-02 is a Monday; Moscow is UTC+3 all year.
const at = (iso: string) => new Date(iso);
const msk = (local: string) => at(`${local}+03:00`);

describe('storeClock', () => {
  it('reads the weekday and time in the store time zone', () => {
    // 21:30 UTC on Monday is 00:30 on Tuesday in Moscow
    expect(storeClock(at('2026-03-02T21:30:00Z'), 'Europe/Moscow')).toEqual({
      day: 'tue',
      minutes: 30,
    });
    expect(storeClock(at('2026-03-02T21:30:00Z'), 'Asia/Vladivostok')).toEqual({
      day: 'tue',
      minutes: 7 * 60 + 30,
    });
  });

  it('treats an unknown zone as Moscow instead of failing', () => {
    expect(storeClock(at('2026-03-02T09:00:00Z'), 'Mars/Olympus')).toEqual({
      day: 'mon',
      minutes: 12 * 60,
    });
  });
});

describe('isStoreOpen', () => {
  const regular = { mon: { open: '10:00', close: '22:00' } };
  const open = (hours: Parameters<typeof isStoreOpen>[0], local: string) =>
    isStoreOpen(hours, 'Europe/Moscow', msk(local));

  it('is open from opening time up to, not including, closing time', () => {
    expect(open(regular, '2026-03-02T09:59')).toBe(false);
    expect(open(regular, '2026-03-02T10:00')).toBe(true);
    expect(open(regular, '2026-03-02T21:59')).toBe(true);
    expect(open(regular, '2026-03-02T22:00')).toBe(false);
  });

  it('is closed on a day without hours', () => {
    expect(open(regular, '2026-03-03T12:00')).toBe(false);
    expect(open({}, '2026-03-02T12:00')).toBe(false);
  });

  it('runs past midnight when close is before open, into the next day only', () => {
    // 2026-03-06 is a Friday
    const late = { fri: { open: '18:00', close: '02:00' } };
    expect(open(late, '2026-03-06T17:00')).toBe(false);
    expect(open(late, '2026-03-06T23:00')).toBe(true);
    expect(open(late, '2026-03-07T01:00')).toBe(true);
    expect(open(late, '2026-03-07T02:00')).toBe(false);
    expect(open(late, '2026-03-07T19:00')).toBe(false);
  });

  it('wraps Sunday night into Monday morning', () => {
    expect(open({ sun: { open: '20:00', close: '03:00' } }, '2026-03-02T01:30')).toBe(true);
  });

  it('is open all day when open equals close', () => {
    // 2026-03-04 is a Wednesday
    const allDay = { wed: { open: '00:00', close: '00:00' } };
    expect(open(allDay, '2026-03-04T00:00')).toBe(true);
    expect(open(allDay, '2026-03-04T23:59')).toBe(true);
    expect(open(allDay, '2026-03-05T01:00')).toBe(false);
  });

  it('decides in the store time zone, not in UTC', () => {
    // 08:00 UTC Monday = 11:00 in Moscow (open)
    expect(isStoreOpen(regular, 'Europe/Moscow', at('2026-03-02T08:00:00Z'))).toBe(true);
    // 20:00 UTC Monday = 23:00 in Moscow (closed)
    expect(isStoreOpen(regular, 'Europe/Moscow', at('2026-03-02T20:00:00Z'))).toBe(false);
    // 06:30 UTC Monday = 09:30 in Moscow (closed), but 16:30 in Vladivostok (open)
    expect(isStoreOpen(regular, 'Europe/Moscow', at('2026-03-02T06:30:00Z'))).toBe(false);
    expect(isStoreOpen(regular, 'Asia/Vladivostok', at('2026-03-02T06:30:00Z'))).toBe(true);
  });

  it('falls back to Moscow for a zone Intl does not know', () => {
    expect(isStoreOpen(regular, 'Mars/Olympus', msk('2026-03-02T11:00'))).toBe(true);
    expect(isStoreOpen(regular, 'Mars/Olympus', msk('2026-03-02T23:00'))).toBe(false);
  });
});

describe('todayHours', () => {
  const now = msk('2026-03-02T12:00');
  it('describes the local day', () => {
    expect(todayHours({ mon: { open: '10:00', close: '22:00' } }, 'Europe/Moscow', now)).toEqual({
      kind: 'range',
      open: '10:00',
      close: '22:00',
    });
    expect(todayHours({ mon: { open: '09:00', close: '09:00' } }, 'Europe/Moscow', now)).toEqual({
      kind: 'allDay',
    });
    expect(todayHours({ tue: { open: '10:00', close: '22:00' } }, 'Europe/Moscow', now)).toEqual({
      kind: 'closed',
    });
  });

  it('uses the store-local date near midnight', () => {
    // 22:30 UTC Monday is already Tuesday in Moscow
    expect(
      todayHours(
        { tue: { open: '08:00', close: '20:00' } },
        'Europe/Moscow',
        at('2026-03-02T22:30:00Z'),
      ),
    ).toEqual({ kind: 'range', open: '08:00', close: '20:00' });
  });
});
