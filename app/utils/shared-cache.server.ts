import { LANG_COOKIE_NAME } from '~/i18n/language.server';

/**
 * Which answers a shared cache (a CDN, or the server's own page cache, ADR 0022) may keep. A page
 * that every anonymous visitor sees the same — a store's menu — says so with `publicPageHeaders`;
 * the cache keys it by path and language and never keeps it for a request that carries anything
 * personal (any cookie but the language one).
 */

/** Kept 5 s by a shared cache and served stale for 30 s more while one visitor renders it again. */
export const PUBLIC_PAGE_CACHE_CONTROL = 'public, max-age=0, s-maxage=5, stale-while-revalidate=30';

/** True when the request carries no cookie, or only the language cookie. */
export function isAnonymousRequest(cookieHeader: string | null | undefined): boolean {
  if (!cookieHeader) return true;
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=');
    const name = (eq === -1 ? pair : pair.slice(0, eq)).trim();
    if (name && name !== LANG_COOKIE_NAME) return false;
  }
  return true;
}

/**
 * The loader headers of a public page: shared-cacheable for anonymous requests, nothing for
 * personal ones (the page then stays as uncached as before).
 */
export function publicPageHeaders(request: Request): Record<string, string> | undefined {
  return isAnonymousRequest(request.headers.get('Cookie'))
    ? { 'Cache-Control': PUBLIC_PAGE_CACHE_CONTROL, Vary: 'Accept-Language, Cookie' }
    : undefined;
}
