export const LANGUAGES = ['ru', 'zh', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'ru';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Native names, shown in the language switch (the same in every UI language). */
export const LANGUAGE_NAMES: Record<Lang, string> = { ru: 'Русский', zh: '中文', en: 'English' };
