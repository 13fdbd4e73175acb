import type { Lang } from '~/i18n/languages';

const LOCALES: Record<Lang, string> = { ru: 'ru-RU', zh: 'zh-CN', en: 'en-GB' };
// Building an Intl formatter costs far more than using one (toLocaleString with options builds
// one per call): each is made once and kept.
const bucketFormats = new Map<string, Intl.DateTimeFormat>();
const percentFormats = new Map<Lang, Intl.NumberFormat>();
const momentFormats = new Map<Lang, Intl.DateTimeFormat>();

function kept<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

/** A bucket start as Moscow wall-clock time: "26.11 14:00" (hour) or "26.11" (day). */
export function formatBucket(iso: string, bucket: 'hour' | 'day', lang: Lang): string {
  const format = kept(
    bucketFormats,
    `${lang}:${bucket}`,
    () =>
      new Intl.DateTimeFormat(LOCALES[lang], {
        timeZone: 'Europe/Moscow',
        day: '2-digit',
        month: '2-digit',
        ...(bucket === 'hour' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
      }),
  );
  return format.format(new Date(iso));
}

/** 0.0523 → "5.2 %" */
export function formatPercent(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const format = kept(
    percentFormats,
    lang,
    () => new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 1 }),
  );
  return `${format.format(value * 100)} %`;
}

/**
 * A moment as Moscow date and time in the visitor's language, as `toLocaleString(lang)` writes it
 * ("26.11.2026, 14:05:07").
 */
export function formatMoscowMoment(iso: string, lang: Lang): string {
  const format = kept(
    momentFormats,
    lang,
    () =>
      new Intl.DateTimeFormat(lang, {
        timeZone: 'Europe/Moscow',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      }),
  );
  return format.format(new Date(iso));
}
