import { z } from 'zod';

/**
 * URL state of the dashboards (isomorphic): `from` / `to` as Moscow wall-clock times
 * (`YYYY-MM-DD` or `YYYY-MM-DDTHH:mm`), `bucket` (hour | day), `store` (id) and `provider`.
 * A missing or malformed value falls back to its default; parsing never throws (a bad link shows
 * the default view, never a 500). The range is widened to whole hours (`from` down, `to` up): the
 * dashboards read hourly rollups.
 */

export const DASHBOARD_TIME_ZONE = 'Europe/Moscow';
/** Moscow has kept UTC+3 all year since 2014; dashboard wall-clock input is read in it. */
const MOSCOW_OFFSET = '+03:00';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The longest range a dashboard accepts; a longer one is cut to end at `to`. */
export const MAX_RANGE_DAYS = 92;

export const BUCKETS = ['hour', 'day'] as const;
export type Bucket = (typeof BUCKETS)[number];
export const PAYMENT_PROVIDERS = ['YOOKASSA'] as const;

export interface DashboardRange {
  from: Date;
  to: Date;
}

export interface DashboardParams extends DashboardRange {
  bucket: Bucket;
  storeId: number | undefined;
  provider: string | undefined;
}

const wallClock = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/)
  .transform((v, ctx) => {
    const iso = v.length === 10 ? `${v}T00:00:00${MOSCOW_OFFSET}` : `${v}:00${MOSCOW_OFFSET}`;
    const d = new Date(iso);
    // reject 2026-02-31 and friends: the instant must print back to the same Moscow wall clock
    if (Number.isNaN(d.getTime()) || toMoscowInput(d).slice(0, v.length) !== v) {
      ctx.addIssue({ code: 'custom', message: 'invalid date' });
      return z.NEVER;
    }
    return d;
  });

const rawSchema = z.object({
  from: wallClock.optional().catch(undefined),
  to: wallClock.optional().catch(undefined),
  bucket: z.enum(BUCKETS).optional().catch(undefined),
  store: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined),
  provider: z.enum(PAYMENT_PROVIDERS).optional().catch(undefined),
});

/** `2026-11-26T12:34` (Moscow) for an instant: the value of a datetime-local input. */
export function toMoscowInput(d: Date): string {
  return new Date(d.getTime() + 3 * HOUR_MS).toISOString().slice(0, 16);
}

/**
 * Reads the dashboard filters from a URL. `defaultDays` is the default range ending now (1 for
 * payments and iiko, 7 for the overview). `to` must be after `from`; otherwise the defaults apply.
 */
export function parseDashboardParams(
  url: URL | string,
  opts: { defaultDays: number; now?: Date },
): DashboardParams {
  const params = new URL(url, 'http://localhost').searchParams;
  const raw = rawSchema.parse({
    from: params.get('from') || undefined,
    to: params.get('to') || undefined,
    bucket: params.get('bucket') || undefined,
    store: params.get('store') || undefined,
    provider: params.get('provider') || undefined,
  });
  const now = opts.now ?? new Date();
  // whole hours: the rollups are hourly (a Moscow hour is a UTC hour)
  const ceilHour = (d: Date) => new Date(Math.ceil(d.getTime() / HOUR_MS) * HOUR_MS);
  const currentHourEnd = ceilHour(now);
  let to = raw.to ? ceilHour(raw.to) : currentHourEnd;
  let from = raw.from ?? new Date(to.getTime() - opts.defaultDays * DAY_MS);
  if (from.getTime() >= to.getTime()) {
    to = currentHourEnd;
    from = new Date(to.getTime() - opts.defaultDays * DAY_MS);
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    from = new Date(to.getTime() - MAX_RANGE_DAYS * DAY_MS);
  }
  from = new Date(Math.floor(from.getTime() / HOUR_MS) * HOUR_MS);
  return {
    from,
    to,
    bucket: raw.bucket ?? 'hour',
    storeId: raw.store,
    provider: raw.provider,
  };
}
