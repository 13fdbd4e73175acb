import { z } from 'zod';
import { getEnv } from '~/utils/env.server';
import { DEFAULT_LANG, LANGUAGES, isLang, type Lang } from './languages';

export const LANG_COOKIE_NAME = 'ctea_lang';
const LANG_COOKIE_MAX_AGE_S = 60 * 60 * 24 * 365;

/**
 * The first of ru/zh/en the browser accepts, by descending q (ties keep header order); `zh-CN`,
 * `ru-RU` etc. count by their primary subtag. `q=0` means "not acceptable" and is skipped.
 */
export function parseAcceptLanguage(header: string | null | undefined): Lang | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...paramParts] = part.trim().split(';');
      let q = 1;
      for (const param of paramParts) {
        const [name, value] = param.trim().split('=');
        if (name?.trim().toLowerCase() === 'q') {
          const parsed = Number(value);
          q = Number.isFinite(parsed) ? parsed : 0;
        }
      }
      return { primary: tag.trim().toLowerCase().split('-')[0] ?? '', q, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked.find((entry) => isLang(entry.primary))?.primary as Lang | undefined) ?? null;
}

/** The `ctea_lang` cookie's value, when it names a supported language. */
export function readLangCookie(cookieHeader: string | null | undefined): Lang | null {
  if (!cookieHeader) return null;
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== LANG_COOKIE_NAME) continue;
    const value = pair.slice(eq + 1).trim();
    return isLang(value) ? value : null;
  }
  return null;
}

export interface LanguageSources {
  userLanguage?: Lang | null;
  cookieLanguage?: Lang | null;
  acceptLanguage?: string | null;
}

/** Staff preference → `ctea_lang` cookie → Accept-Language → ru. */
export function resolveLanguage({
  userLanguage,
  cookieLanguage,
  acceptLanguage,
}: LanguageSources): Lang {
  return userLanguage ?? cookieLanguage ?? parseAcceptLanguage(acceptLanguage) ?? DEFAULT_LANG;
}

export function serializeLangCookie(lang: Lang, { secure }: { secure: boolean }): string {
  const parts = [
    `${LANG_COOKIE_NAME}=${lang}`,
    'Path=/',
    `Max-Age=${LANG_COOKIE_MAX_AGE_S}`,
    'SameSite=Lax',
    // No script reads it: the server renders every string.
    'HttpOnly',
  ];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export function langCookieHeader(lang: Lang): string {
  return serializeLangCookie(lang, { secure: getEnv().isProduction });
}

/**
 * The language of this request. `userLanguage` is the signed-in staff member's saved preference
 * (null for visitors and for staff who never chose one). `setCookie` is set when that preference
 * differs from the cookie, so the browser keeps their language after signing out.
 */
export function resolveRequestLanguage(
  request: Request,
  userLanguage: Lang | null,
): { lang: Lang; setCookie: string | null } {
  const cookieLanguage = readLangCookie(request.headers.get('Cookie'));
  const lang = resolveLanguage({
    userLanguage,
    cookieLanguage,
    acceptLanguage: request.headers.get('Accept-Language'),
  });
  const setCookie =
    userLanguage && userLanguage !== cookieLanguage ? langCookieHeader(userLanguage) : null;
  return { lang, setCookie };
}

/**
 * Where to go back after switching: a same-site path only ("/admin?x=1"). Protocol-relative
 * ("//evil.example") and backslash tricks ("/\evil.example") would leave the site, so they fall back
 * to "/".
 */
export function safeRedirectPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string') return fallback;
  const path = value.trim();
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return fallback;
  try {
    const url = new URL(path, 'http://same.site');
    if (url.origin !== 'http://same.site') return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

export const languageFormSchema = z.object({
  lang: z.enum(LANGUAGES),
  redirectTo: z.unknown().transform((value) => safeRedirectPath(value)),
});
