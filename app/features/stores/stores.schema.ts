import { z } from 'zod';
import { booleanFilter, defineListParams, textFilter } from '~/utils/search-params';

/**
 * Store forms and list params. Issues carry message keys (stores.error.*), translated by the form.
 * Isomorphic: the browser runs the same schema for instant feedback.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Stored in store.opening_hours: a missing day is closed; close < open runs past midnight;
 *  open = close is open 24 hours (domain §1.3). */
export type OpeningHours = Partial<Record<Weekday, { open: string; close: string }>>;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const DEFAULT_TIMEZONE = 'Europe/Moscow';

/** The canonical IANA name (`europe/moscow` → `Europe/Moscow`), or null when unknown. */
export function canonicalTimeZone(value: string): string | null {
  // Intl also accepts offsets like "+03:00"; the column holds IANA names only (C-3)
  if (!/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)*$/.test(value)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const optionalText = (max: number, tooLong: string) =>
  z.string().trim().max(max, { error: tooLong }).optional();

const coordinate = (limit: number) =>
  z
    .string()
    .trim()
    .regex(/^[-+]?\d{1,3}(\.\d{1,7})?$/, { error: 'stores.error.coordinate' })
    .refine((v) => Math.abs(Number(v)) <= limit, { error: 'stores.error.coordinate' })
    .optional();

// Checked per day (not on the whole form) so time errors show together with the other fields'.
const daySchema = z
  .object({
    closed: z.boolean().default(false),
    open: z.string().trim().optional(),
    close: z.string().trim().optional(),
  })
  .superRefine((hours, ctx) => {
    if (hours.closed) return;
    for (const field of ['open', 'close'] as const) {
      const time = hours[field];
      if (!time || !HHMM.test(time)) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: time ? 'stores.error.time' : 'stores.error.timeRequired',
        });
      }
    }
  });

export const storeFormSchema = z
  .object({
    code: z
      .string({ error: 'stores.error.codeRequired' })
      .trim()
      .toUpperCase()
      .min(1, { error: 'stores.error.codeRequired' })
      .max(20, { error: 'stores.error.codeFormat' })
      .regex(/^[A-Z0-9][A-Z0-9_-]*$/, { error: 'stores.error.codeFormat' }),
    name_ru: z
      .string({ error: 'stores.error.nameRequired' })
      .trim()
      .min(1, { error: 'stores.error.nameRequired' })
      .max(100, { error: 'stores.error.tooLong' }),
    name_zh: optionalText(100, 'stores.error.tooLong'),
    name_en: optionalText(100, 'stores.error.tooLong'),
    address_ru: z
      .string({ error: 'stores.error.addressRequired' })
      .trim()
      .min(1, { error: 'stores.error.addressRequired' })
      .max(500, { error: 'stores.error.tooLong' }),
    city: z
      .string({ error: 'stores.error.cityRequired' })
      .trim()
      .min(1, { error: 'stores.error.cityRequired' })
      .max(50, { error: 'stores.error.tooLong' }),
    latitude: coordinate(90),
    longitude: coordinate(180),
    phone: z
      .string()
      .transform((v) => v.replace(/[\s()-]/g, ''))
      .pipe(z.string().regex(/^\+[1-9]\d{7,14}$/, { error: 'stores.error.phone' }))
      .optional(),
    timezone: z
      .string()
      .trim()
      .default(DEFAULT_TIMEZONE)
      .transform((v, ctx) => {
        const tz = canonicalTimeZone(v);
        if (!tz) {
          ctx.addIssue({ code: 'custom', message: 'stores.error.timezone' });
          return z.NEVER;
        }
        return tz;
      }),
    iiko_terminal_group_id: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.uuid({ error: 'stores.error.uuid' }))
      .optional(),
    pickup_enabled: z.boolean().default(false),
    delivery_enabled: z.boolean().default(false),
    is_active: z.boolean().default(false),
    hours: z
      .object(
        Object.fromEntries(WEEKDAYS.map((d) => [d, daySchema.optional()])) as {
          [K in Weekday]: z.ZodOptional<typeof daySchema>;
        },
      )
      .default({} as never),
  })
  .superRefine((value, ctx) => {
    if ((value.latitude === undefined) !== (value.longitude === undefined)) {
      const missing = value.latitude === undefined ? 'latitude' : 'longitude';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'stores.error.coordinatePair' });
    }
  })
  .transform(({ hours, ...rest }) => ({
    ...rest,
    name_zh: rest.name_zh || null,
    name_en: rest.name_en || null,
    latitude: rest.latitude ?? null,
    longitude: rest.longitude ?? null,
    phone: rest.phone || null,
    iiko_terminal_group_id: rest.iiko_terminal_group_id ?? null,
    opening_hours: toOpeningHours(hours),
  }));

export type StoreFormInput = z.input<typeof storeFormSchema>;
export type StoreValues = z.output<typeof storeFormSchema>;

function toOpeningHours(
  hours: Partial<Record<Weekday, z.output<typeof daySchema> | undefined>>,
): OpeningHours {
  const result: OpeningHours = {};
  for (const day of WEEKDAYS) {
    const h = hours[day];
    // a day without a row in the form is closed, like a missing key in the column
    if (!h || h.closed || !h.open || !h.close) continue;
    result[day] = { open: h.open, close: h.close };
  }
  return result;
}

/** opening_hours as read from the DB (jsonb, untrusted shape) → only well-formed days. */
export function readOpeningHours(value: unknown): OpeningHours {
  const result: OpeningHours = {};
  if (typeof value !== 'object' || value === null) return result;
  const obj = value as Record<string, unknown>;
  for (const day of WEEKDAYS) {
    const h = obj[day] as { open?: unknown; close?: unknown } | undefined;
    if (
      h &&
      typeof h.open === 'string' &&
      typeof h.close === 'string' &&
      HHMM.test(h.open) &&
      HHMM.test(h.close)
    )
      result[day] = { open: h.open, close: h.close };
  }
  return result;
}

/** The editable columns of a store, as the edit form shows them. */
export interface StoreDetail {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  address_ru: string;
  city: string;
  latitude: string | null;
  longitude: string | null;
  phone: string | null;
  timezone: string;
  opening_hours: OpeningHours;
  is_active: boolean;
  pickup_enabled: boolean;
  delivery_enabled: boolean;
  iiko_terminal_group_id: string | null;
}

export type DayKind = 'closed' | 'sameDay' | 'pastMidnight' | 'allDay';

/** How a day's hours read (the form explains close < open and open = close). */
export function dayKind(hours: { open: string; close: string } | undefined): DayKind {
  if (!hours) return 'closed';
  if (hours.open === hours.close) return 'allDay';
  return hours.close < hours.open ? 'pastMidnight' : 'sameDay';
}

export const STORE_SORT_KEYS = ['code', 'name', 'city', 'created'] as const;

export const storeListParams = defineListParams({
  sortKeys: STORE_SORT_KEYS,
  defaultSort: 'code',
  filters: { active: booleanFilter(), city: textFilter(50) },
});
