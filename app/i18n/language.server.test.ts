import { describe, expect, it } from 'vitest';
import {
  LANG_COOKIE_NAME,
  languageFormSchema,
  parseAcceptLanguage,
  readLangCookie,
  resolveLanguage,
  resolveRequestLanguage,
  safeRedirectPath,
  serializeLangCookie,
} from './language.server';

describe('parseAcceptLanguage', () => {
  it('takes the first supported language by q, matching on the primary subtag', () => {
    expect(parseAcceptLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(parseAcceptLanguage('ru-RU,ru;q=0.9')).toBe('ru');
    expect(parseAcceptLanguage('de-DE,de;q=0.9,en-US;q=0.8,ru;q=0.7')).toBe('en');
  });

  it('orders by q, not by position', () => {
    expect(parseAcceptLanguage('en;q=0.5, zh;q=0.9')).toBe('zh');
    expect(parseAcceptLanguage('en;q=0.5,ru')).toBe('ru');
  });

  it('keeps header order for equal q', () => {
    expect(parseAcceptLanguage('en, ru')).toBe('en');
  });

  it('skips q=0 (not acceptable) and unsupported languages', () => {
    expect(parseAcceptLanguage('zh;q=0, en;q=0.1')).toBe('en');
    expect(parseAcceptLanguage('de, fr;q=0.8')).toBeNull();
    expect(parseAcceptLanguage('*')).toBeNull();
  });

  it('answers null for a missing or empty header', () => {
    expect(parseAcceptLanguage(null)).toBeNull();
    expect(parseAcceptLanguage('')).toBeNull();
  });
});

describe('readLangCookie', () => {
  it('reads a supported value among other cookies', () => {
    expect(readLangCookie(`ctea_session=abc; ${LANG_COOKIE_NAME}=zh; other=1`)).toBe('zh');
  });

  it('ignores unsupported values and similarly named cookies', () => {
    expect(readLangCookie(`${LANG_COOKIE_NAME}=de`)).toBeNull();
    expect(readLangCookie(`x${LANG_COOKIE_NAME}=zh`)).toBeNull();
    expect(readLangCookie(null)).toBeNull();
  });
});

describe('resolveLanguage', () => {
  it('prefers the staff preference over cookie and browser', () => {
    expect(
      resolveLanguage({ userLanguage: 'en', cookieLanguage: 'zh', acceptLanguage: 'ru' }),
    ).toBe('en');
  });

  it('then the cookie, then Accept-Language', () => {
    expect(
      resolveLanguage({ userLanguage: null, cookieLanguage: 'zh', acceptLanguage: 'en' }),
    ).toBe('zh');
    expect(
      resolveLanguage({ userLanguage: null, cookieLanguage: null, acceptLanguage: 'en-GB' }),
    ).toBe('en');
  });

  it('falls back to ru', () => {
    expect(resolveLanguage({})).toBe('ru');
    expect(resolveLanguage({ acceptLanguage: 'fr-FR' })).toBe('ru');
  });
});

describe('resolveRequestLanguage', () => {
  const request = (headers: Record<string, string>) =>
    new Request('http://localhost/', { headers });

  it('re-sets the cookie when a signed-in preference differs from it', () => {
    const { lang, setCookie } = resolveRequestLanguage(
      request({ Cookie: `${LANG_COOKIE_NAME}=ru` }),
      'zh',
    );
    expect(lang).toBe('zh');
    expect(setCookie).toMatch(new RegExp(`^${LANG_COOKIE_NAME}=zh;`));
  });

  it('leaves the cookie alone when it already matches or there is no preference', () => {
    expect(
      resolveRequestLanguage(request({ Cookie: `${LANG_COOKIE_NAME}=zh` }), 'zh').setCookie,
    ).toBeNull();
    const anonymous = resolveRequestLanguage(request({ 'Accept-Language': 'zh-CN' }), null);
    expect(anonymous).toEqual({ lang: 'zh', setCookie: null });
  });
});

describe('serializeLangCookie', () => {
  it('lasts a year, SameSite=Lax, site-wide; Secure only when asked', () => {
    const cookie = serializeLangCookie('zh', { secure: false });
    expect(cookie).toContain('ctea_lang=zh');
    expect(cookie).toContain('Max-Age=31536000');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    expect(serializeLangCookie('ru', { secure: true })).toContain('Secure');
  });
});

describe('safeRedirectPath', () => {
  it('keeps same-site paths with query and hash', () => {
    expect(safeRedirectPath('/admin/stores?page=2#top')).toBe('/admin/stores?page=2#top');
    expect(safeRedirectPath('/')).toBe('/');
  });

  it('refuses anything that could leave the site', () => {
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      'admin',
      '/%0d%0aSet-Cookie:x=1'.replace('%0d%0a', '\r\n'),
      '',
      undefined,
      42,
    ]) {
      expect(safeRedirectPath(bad)).toBe('/');
    }
  });

  it('uses the given fallback', () => {
    expect(safeRedirectPath('//evil.example', '')).toBe('');
  });
});

describe('languageFormSchema', () => {
  it('accepts a supported language and sanitises redirectTo', () => {
    expect(languageFormSchema.parse({ lang: 'zh', redirectTo: '//evil.example' })).toEqual({
      lang: 'zh',
      redirectTo: '/',
    });
    expect(languageFormSchema.parse({ lang: 'en', redirectTo: '/manage/3/orders' })).toEqual({
      lang: 'en',
      redirectTo: '/manage/3/orders',
    });
  });

  it('rejects an unsupported language', () => {
    expect(languageFormSchema.safeParse({ lang: 'de', redirectTo: '/' }).success).toBe(false);
    expect(languageFormSchema.safeParse({ lang: null, redirectTo: '/' }).success).toBe(false);
  });
});
