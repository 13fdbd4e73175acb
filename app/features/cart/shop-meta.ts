import { DEFAULT_LANG, isLang } from '~/i18n/languages';
import { translate, type MessageKey } from '~/i18n/translate';

/** "<page> · <store> · CTEA" for storefront `meta` functions, in the root loader's language. */
export function storeMeta(
  matches: ReadonlyArray<{ id: string; data?: unknown }>,
  storeName: string | null,
  page: MessageKey,
): { title: string }[] {
  const rootData = matches.find((m) => m.id === 'root')?.data as { lang?: unknown } | undefined;
  const lang = isLang(rootData?.lang) ? rootData.lang : DEFAULT_LANG;
  const parts = [translate(lang, page), storeName, translate(lang, 'app.name')].filter(
    (p): p is string => typeof p === 'string' && p !== '',
  );
  return [{ title: parts.join(' · ') }];
}
