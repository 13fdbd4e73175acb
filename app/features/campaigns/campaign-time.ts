/**
 * Campaign start/end are instants (timestamptz) entered and shown as wall-clock time in the chain's
 * business time zone (C-3: chain-wide features use Europe/Moscow). The form's `datetime-local`
 * value "2026-03-01T10:00" means 10:00 in Moscow. Isomorphic: Intl exists in the browser too.
 */
export const CAMPAIGN_TIME_ZONE = 'Europe/Moscow';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** "YYYY-MM-DDTHH:mm" of an instant in the zone. */
export function toZonedLocal(instant: Date | string, timeZone = CAMPAIGN_TIME_ZONE): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const p = Object.fromEntries(
    partsFormatter(timeZone)
      .formatToParts(date)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

function offsetMs(utcMs: number, timeZone: string): number {
  const local = toZonedLocal(new Date(utcMs), timeZone);
  const m = LOCAL.exec(local)!;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  return asUtc - Math.floor(utcMs / 60_000) * 60_000;
}

/**
 * "YYYY-MM-DDTHH:mm" wall-clock time in the zone → the instant, or null when malformed or not a
 * real date. (Moscow has no DST today; the two-pass offset also handles zones that do.)
 */
export function fromZonedLocal(local: string, timeZone = CAMPAIGN_TIME_ZONE): Date | null {
  const m = LOCAL.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = [+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!];
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(guess);
  if (
    check.getUTCFullYear() !== y ||
    check.getUTCMonth() !== mo - 1 ||
    check.getUTCDate() !== d ||
    h > 23 ||
    mi > 59
  ) {
    return null;
  }
  let utc = guess - offsetMs(guess, timeZone);
  utc = guess - offsetMs(utc, timeZone);
  return new Date(utc);
}

/** "01.03.2026 10:00" style display in the zone, per UI language. */
export function formatCampaignTime(instant: Date | string, lang: 'ru' | 'zh' | 'en'): string {
  const locale = lang === 'ru' ? 'ru-RU' : lang === 'zh' ? 'zh-CN' : 'en-GB';
  return new Intl.DateTimeFormat(locale, {
    timeZone: CAMPAIGN_TIME_ZONE,
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(typeof instant === 'string' ? new Date(instant) : instant);
}
