import { useRouteLoaderData } from '@remix-run/react';
import { useMemo } from 'react';
import type { loader as rootLoader } from '~/root';
import { DEFAULT_LANG, isLang, type Lang } from './languages';
import { translate, translator, type MessageKey, type Translate } from './translate';

/** The UI language chosen by the root loader; ru when it has not run (root error boundary). */
export function useLang(): Lang {
  const data = useRouteLoaderData<typeof rootLoader>('root');
  return data?.lang ?? DEFAULT_LANG;
}

/** `t(key, params)` in the current UI language (falls back to ru, then to the key). */
export function useT(): Translate {
  const lang = useLang();
  return useMemo(() => translator(lang), [lang]);
}

/**
 * Localised database text (C-7): the requested language, falling back to the always-present ru.
 * `pickLocalized(lang, store, 'name')` reads name_ru / name_zh / name_en.
 */
export function pickLocalized<P extends string>(
  lang: Lang,
  row: { [K in `${P}_ru`]: string } & { [K in `${P}_zh` | `${P}_en`]?: string | null },
  prefix: P,
): string {
  const texts = row as Record<string, string | null | undefined>;
  const ru = texts[`${prefix}_ru`] ?? '';
  if (lang === 'ru') return ru;
  const value = texts[`${prefix}_${lang}`];
  return value && value.trim() !== '' ? value : ru;
}

/** For `meta` functions: "<page> · CTEA" in the language the root loader chose. */
export function metaTitle(
  matches: ReadonlyArray<{ id: string; data?: unknown }>,
  key: MessageKey,
): { title: string }[] {
  const rootData = matches.find((m) => m.id === 'root')?.data as { lang?: unknown } | undefined;
  const lang = isLang(rootData?.lang) ? rootData.lang : DEFAULT_LANG;
  return [{ title: `${translate(lang, key)} · ${translate(lang, 'app.name')}` }];
}
