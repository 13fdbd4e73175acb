import { isOpenAt } from '~/features/stores/opening-hours';
import { DEFAULT_TIMEZONE, type OpeningHours, type Weekday } from '~/features/stores/stores.schema';

/**
 * Opening hours as the storefront shows them (C-3, domain §1.3 opening_hours): open now, and today's
 * hours, in the store's time zone. A missing day is closed; close < open runs past midnight into the
 * next day; open = close is open the whole day. Isomorphic (Intl only).
 */

export interface StoreClock {
  day: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

const clockFormatters = new Map<string, Intl.DateTimeFormat>();

function clockFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = clockFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clockFormatters.set(timeZone, f);
  }
  return f;
}

const SHORT_DAYS: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

/** The local weekday and time of `now` in `timeZone` (an unknown zone counts as Moscow). */
export function storeClock(now: Date, timeZone: string): StoreClock {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = clockFormatter(timeZone).formatToParts(now);
  } catch {
    parts = clockFormatter(DEFAULT_TIMEZONE).formatToParts(now);
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    day: SHORT_DAYS[get('weekday')] ?? 'mon',
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

/**
 * Open now, by the same rule checkout applies (CK-2 STORE_CLOSED), so the badge on the store picker
 * never disagrees with what placing an order answers. A zone Intl does not know counts as Moscow.
 */
export function isStoreOpen(
  hours: OpeningHours,
  timeZone: string,
  now: Date = new Date(),
): boolean {
  try {
    return isOpenAt(hours, timeZone, now);
  } catch {
    return isOpenAt(hours, DEFAULT_TIMEZONE, now);
  }
}

export type TodayHours =
  { kind: 'closed' } | { kind: 'allDay' } | { kind: 'range'; open: string; close: string };

/** Today's hours in the store's zone, for display ("10:00–22:00", "24 hours", "closed today"). */
export function todayHours(
  hours: OpeningHours,
  timeZone: string,
  now: Date = new Date(),
): TodayHours {
  const today = hours[storeClock(now, timeZone).day];
  if (!today) return { kind: 'closed' };
  if (today.open === today.close) return { kind: 'allDay' };
  return { kind: 'range', open: today.open, close: today.close };
}
