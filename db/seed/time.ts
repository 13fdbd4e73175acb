/**
 * Moscow calendar helpers. Europe/Moscow has been UTC+3 all year since 2014, so a fixed offset is
 * exact for the demo period and keeps the generator free of Intl lookups in hot loops.
 */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const MSK_OFFSET = 3 * HOUR;

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** 'YYYY-MM-DD' of an instant in Moscow. */
export function mskDate(ms: number): string {
  return new Date(ms + MSK_OFFSET).toISOString().slice(0, 10);
}

/** Instant of Moscow midnight starting the given local date. */
export function mskMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - MSK_OFFSET;
}

/** Moscow local date `days` after the given one. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] as Weekday;
}

/** Hour of day (0–23) in Moscow. */
export function mskHour(ms: number): number {
  return new Date(ms + MSK_OFFSET).getUTCHours();
}

/** The next 03:00 Moscow strictly after `ms` (the coupon expiry job's slot, CP-13). */
export function next0300(ms: number): number {
  const today = mskMidnight(mskDate(ms)) + 3 * HOUR;
  return today > ms ? today : today + DAY;
}

export function yyyymmdd(date: string): string {
  return date.replaceAll('-', '');
}
