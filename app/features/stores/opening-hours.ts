import { WEEKDAYS, type OpeningHours, type Weekday } from './stores.schema';

/**
 * Whether a store is open at an instant (CK-2), from `store.opening_hours` in the store's time
 * zone: a missing day is closed; close < open runs past midnight into the next day; open = close
 * is open 24 hours. Isomorphic and pure.
 */

// Building an Intl.DateTimeFormat costs far more than using one; a chain has a handful of zones.
const partsFormats = new Map<string, Intl.DateTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached(
  cache: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  make: () => Intl.DateTimeFormat,
): Intl.DateTimeFormat {
  let format = cache.get(timeZone);
  if (!format) {
    format = make();
    cache.set(timeZone, format);
  }
  return format;
}

function localParts(at: Date, timeZone: string): { day: Weekday; minutes: number } {
  const parts = cached(
    partsFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone,
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
  ).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = get('weekday').toLowerCase().slice(0, 3) as Weekday;
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function isOpenAt(hours: OpeningHours, timeZone: string, at: Date): boolean {
  const { day, minutes } = localParts(at, timeZone);
  const today = hours[day];
  if (today) {
    const open = toMinutes(today.open);
    const close = toMinutes(today.close);
    if (open === close) return true;
    if (open < close ? minutes >= open && minutes < close : minutes >= open) return true;
  }
  // yesterday's hours running past midnight
  const yesterday = hours[WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7]!];
  if (yesterday) {
    const open = toMinutes(yesterday.open);
    const close = toMinutes(yesterday.close);
    if (close < open && minutes < close) return true;
  }
  return false;
}

/** The store-local calendar date (YYYY-MM-DD) of an instant: the date part of order numbers (ON-1). */
export function localDate(at: Date, timeZone: string): string {
  return cached(
    dateFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }),
  ).format(at);
}
