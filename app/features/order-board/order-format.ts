import type { Lang } from '~/i18n/languages';

/**
 * Times on the order board are the store's wall clock (C-3: business time uses store.timezone),
 * so a manager in Novosibirsk and an admin in Moscow read the same "12:05" for an order of that
 * store. The zone is explicit so the server render and the browser agree. Isomorphic.
 */
const LOCALES: Record<Lang, string> = { ru: 'ru-RU', zh: 'zh-CN', en: 'en-GB' };

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: Lang, timeZone: string, options: Intl.DateTimeFormatOptions) {
  const id = `${lang}|${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[lang], { timeZone, ...options });
    cache.set(id, f);
  }
  return f;
}

/** "14:05" in the store's zone. */
export function formatClock(value: string | Date, timeZone: string, lang: Lang): string {
  return formatter(lang, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(value),
  );
}

/** Date and time in the store's zone. */
export function formatStoreDateTime(value: string | Date, timeZone: string, lang: Lang): string {
  return formatter(lang, timeZone, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(value),
  );
}

/** A business date 'YYYY-MM-DD' (no zone: it already is a local date). */
export function formatLocalDate(value: string, lang: Lang): string {
  return formatter(lang, 'UTC', { dateStyle: 'medium' }).format(new Date(`${value}T00:00:00Z`));
}

/** Whole minutes since an instant (for "waiting 12 min"); never negative. */
export function minutesSince(value: string | Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(value).getTime()) / 60_000));
}
