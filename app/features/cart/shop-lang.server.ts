import { resolveRequestLanguage } from '~/i18n/language.server';
import type { Lang } from '~/i18n/languages';

/**
 * The language of a storefront request: the `ctea_lang` cookie (set by the language switch), then
 * Accept-Language, then ru — the order the root loader applies to visitors.
 */
export function shopLang(request: Request): Lang {
  return resolveRequestLanguage(request, null).lang;
}
