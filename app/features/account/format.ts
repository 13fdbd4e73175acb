import type { Lang } from '~/i18n/languages';

/**
 * Dates on the account page, in Europe/Moscow (C-3: the chain's business time zone) and the UI
 * language. The zone is explicit so the server render and the browser agree.
 */
const LOCALES: Record<Lang, string> = { ru: 'ru-RU', zh: 'zh-CN', en: 'en-GB' };
const TIME_ZONE = 'Europe/Moscow';

export function formatDateTime(value: string | Date, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: TIME_ZONE,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(value));
}

export function formatDate(value: string | Date, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: TIME_ZONE,
    dateStyle: 'medium',
  }).format(new Date(value));
}

/** Points with a sign and grouped digits: +100, −15 000. */
export function formatPointsDelta(delta: number, lang: Lang): string {
  const digits = new Intl.NumberFormat(LOCALES[lang]).format(Math.abs(delta));
  return `${delta < 0 ? '−' : '+'}${digits}`;
}

export function formatPoints(value: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang]).format(value);
}
