import { catalog, type MessageKey } from './catalog';
import type { Lang } from './languages';

export type { MessageKey };
export type MessageParams = Record<string, string | number>;

/** Falls back requested language → ru → the key itself (C-7). */
export function translate(
  lang: Lang,
  key: MessageKey | (string & {}),
  params?: MessageParams,
): string {
  const template = catalog[lang][key] ?? catalog.ru[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in params ? String(params[name]) : match,
  );
}

export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function translator(lang: Lang): Translate {
  return (key, params) => translate(lang, key, params);
}
