import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, dayKind, readOpeningHours, storeFormSchema } from './stores.schema';

const base = {
  code: 'msk-09',
  name_ru: 'Москва 9',
  address_ru: 'Москва',
  city: 'Москва',
};

describe('store form schema', () => {
  it('normalises code, phone and time zone and builds opening_hours', () => {
    const value = storeFormSchema.parse({
      ...base,
      phone: '+7 (900) 123-45-67',
      timezone: 'europe/moscow',
      hours: {
        mon: { open: '10:00', close: '22:00' },
        tue: { open: '22:00', close: '04:00' },
        wed: { open: '00:00', close: '00:00' },
        thu: { closed: true, open: '10:00', close: '22:00' },
      },
    });
    expect(value).toMatchObject({
      code: 'MSK-09',
      phone: '+79001234567',
      timezone: 'Europe/Moscow',
      name_zh: null,
      latitude: null,
      opening_hours: {
        mon: { open: '10:00', close: '22:00' },
        tue: { open: '22:00', close: '04:00' },
        wed: { open: '00:00', close: '00:00' },
      },
    });
  });

  it('defaults the time zone to Europe/Moscow and flags to off (unchecked boxes)', () => {
    expect(storeFormSchema.parse(base)).toMatchObject({
      timezone: 'Europe/Moscow',
      is_active: false,
      pickup_enabled: false,
      opening_hours: {},
    });
  });

  it('rejects times that are not HH:MM on open days only', () => {
    const result = storeFormSchema.safeParse({
      ...base,
      hours: { mon: { open: '24:00', close: '22:00' }, tue: { closed: true, open: 'nonsense' } },
    });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['hours.mon.open', 'stores.error.time'],
    ]);
  });
});

describe('opening hours helpers', () => {
  it('reads only well-formed days from the jsonb column', () => {
    expect(
      readOpeningHours({ mon: { open: '10:00', close: '22:00' }, tue: { open: 10 }, xyz: {} }),
    ).toEqual({ mon: { open: '10:00', close: '22:00' } });
    expect(readOpeningHours(null)).toEqual({});
    expect(readOpeningHours('[]')).toEqual({});
  });

  it('explains each day (domain §1.3)', () => {
    expect(dayKind(undefined)).toBe('closed');
    expect(dayKind({ open: '10:00', close: '22:00' })).toBe('sameDay');
    expect(dayKind({ open: '18:00', close: '02:00' })).toBe('pastMidnight');
    expect(dayKind({ open: '09:00', close: '09:00' })).toBe('allDay');
  });

  it('accepts IANA names only', () => {
    expect(canonicalTimeZone('Asia/Shanghai')).toBe('Asia/Shanghai');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('+03:00')).toBeNull();
    expect(canonicalTimeZone('Mars/Olympus')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
  });
});
