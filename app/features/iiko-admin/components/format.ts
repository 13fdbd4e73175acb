import type { Lang } from '~/i18n/languages';
import type { IikoJobStatus } from '~/utils/vocabularies';

const LOCALES: Record<Lang, string> = { ru: 'ru-RU', zh: 'zh-CN', en: 'en-GB' };
const formats = new Map<Lang, Intl.DateTimeFormat>();

/** Server and browser format the same instant in the same zone (C-3), so hydration matches. */
export function formatTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  let format = formats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], {
      timeZone: 'Europe/Moscow',
      dateStyle: 'short',
      timeStyle: 'medium',
    });
    formats.set(lang, format);
  }
  return format.format(new Date(iso));
}

/** Statuses a job leaves on its own (a worker claims or finishes it). */
export function isUnfinished(status: IikoJobStatus): boolean {
  return status === 'PENDING' || status === 'RUNNING';
}

/** A jsonb value for a <pre> block. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value ?? null, null, 2);
}

/** A conflict value (number, string, null …) as text. */
export function plainValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
