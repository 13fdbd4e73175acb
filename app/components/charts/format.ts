import type { Lang } from '~/i18n/languages';

const LOCALES: Record<Lang, string> = { ru: 'ru-RU', zh: 'zh-CN', en: 'en-GB' };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A bucket start as Moscow wall-clock time: "26.11 14:00" (hour) or "26.11" (day). */
export function formatBucket(iso: string, bucket: 'hour' | 'day', lang: Lang): string {
  const key = `${lang}:${bucket}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[lang], {
      timeZone: 'Europe/Moscow',
      day: '2-digit',
      month: '2-digit',
      ...(bucket === 'hour' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    });
    formatters.set(key, f);
  }
  return f.format(new Date(iso));
}

/** 0.0523 → "5.2 %" */
export function formatPercent(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${(value * 100).toLocaleString(LOCALES[lang], { maximumFractionDigits: 1 })} %`;
}
