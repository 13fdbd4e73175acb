import crypto from 'node:crypto';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB } from '../../db/types.generated';
import { fromDecimal, toDecimal } from '../../app/utils/money';

/**
 * Shared helpers of the test factories. Factories insert minimal valid rows at the raw level:
 * money is a numeric string ('350.00'), every column can be overridden, and the inserted row is
 * returned. A Kysely transaction is also a `Kysely<DB>`, so factories run inside one too.
 */
export type FactoryDb = Kysely<DB>;
export type Row<T extends keyof DB> = Selectable<DB[T]>;
export type Overrides<T extends keyof DB> = Partial<Insertable<DB[T]>>;

// Random start: several factories may share one database (a file's tests, concurrent actors).
let counter = crypto.randomInt(1, 1_000_000);

/** A fresh positive integer for unique codes and names. */
export function seq(): number {
  counter += 1;
  return counter;
}

/** A fresh Russian mobile number in E.164 (`+79XXXXXXXXX`). */
export function uniquePhone(): string {
  return `+79${String(crypto.randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
}

/** A 64-char lowercase hex string (SHA-256 shape) for token and key hashes. */
export function randomHex64(): string {
  return crypto.randomBytes(32).toString('hex');
}

/** '350.00' → 35000 and back: the app's own money conversion (never floats). */
export const toKopecks = (value: string | number): number => fromDecimal(String(value));
export const toMoney = (kopecks: number): string => toDecimal(kopecks);

/** Today's date in Europe/Moscow as 'YYYY-MM-DD' (order numbers, C-3). */
export function moscowDate(at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(at);
}

export function hoursFromNow(hours: number): Date {
  return new Date(Date.now() + hours * 3_600_000);
}
