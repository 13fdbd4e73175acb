import type { Lang } from '~/i18n/languages';
import { formatRub, fromDecimal } from '~/utils/money';

/** Display helpers of the storefront (isomorphic). */

const LOCALES: Record<Lang, string> = { ru: 'ru-RU', zh: 'zh-CN', en: 'en-US' };
const pointFormatters = new Map<Lang, Intl.NumberFormat>();

/** 45000 → "45 000" (ru) / "45,000" (en, zh). */
export function formatPoints(points: number, lang: Lang): string {
  let f = pointFormatters.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 0 });
    pointFormatters.set(lang, f);
  }
  return f.format(points);
}

/** A "350.00" amount of an API body → "350,00 ₽"; anything unreadable is shown as it came. */
export function formatDecimalRub(value: string, lang: Lang): string {
  try {
    return formatRub(fromDecimal(value), lang);
  } catch {
    return value;
  }
}

/**
 * Message parameters from an error's details: money fields ("*_amount", "350.00") become rubles,
 * point counts get digit grouping, other strings and numbers pass through.
 */
export function detailParams(
  details: Record<string, unknown>,
  lang: Lang,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(details)) {
    if (typeof value === 'string') {
      out[key] = /_amount$/.test(key) ? formatDecimalRub(value, lang) : value;
    } else if (typeof value === 'number') {
      out[key] = /_points$/.test(key) ? formatPoints(value, lang) : value;
    }
  }
  return out;
}

export function formatDateTime(iso: string, lang: Lang, timeZone?: string): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));
}
