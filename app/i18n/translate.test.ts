import { describe, expect, it } from 'vitest';
import { catalog } from './catalog';
import { LANGUAGES } from './languages';
import { translate, translator } from './translate';

describe('translate', () => {
  it('uses the requested language', () => {
    expect(translate('zh', 'nav.admin.stores')).toBe('门店');
    expect(translate('ru', 'nav.admin.stores')).toBe('Магазины');
    expect(translate('en', 'nav.admin.stores')).toBe('Stores');
  });

  it('falls back to ru when the requested language lacks the key', () => {
    const key = 'test.only.ruKey';
    catalog.ru[key] = 'только по-русски';
    try {
      expect(translate('zh', key)).toBe('только по-русски');
      expect(translate('en', key)).toBe('только по-русски');
    } finally {
      delete catalog.ru[key];
    }
  });

  it('falls back to the key itself when no language has it', () => {
    expect(translate('zh', 'no.such.key')).toBe('no.such.key');
  });

  it('fills {placeholders} and leaves unknown ones visible', () => {
    expect(translate('en', 'error.requestId', { id: 'abc-123' })).toBe('Request id: abc-123');
    expect(translate('zh', 'shell.admin.welcome', { name: 'Анна' })).toBe('Анна，您好');
    expect(translate('en', 'error.requestId')).toBe('Request id: {id}');
    expect(translate('en', 'error.requestId', { other: 1 })).toBe('Request id: {id}');
  });

  it('translator binds a language', () => {
    const t = translator('zh');
    expect(t('nav.admin.settings')).toBe('设置');
  });
});

describe('catalogue', () => {
  it('has every key in every language, with non-empty text', () => {
    const ruKeys = Object.keys(catalog.ru).sort();
    for (const lang of LANGUAGES) {
      expect(Object.keys(catalog[lang]).sort()).toEqual(ruKeys);
      for (const key of ruKeys) expect(catalog[lang][key]?.trim(), `${lang}:${key}`).not.toBe('');
    }
  });

  it('keeps the same placeholders across languages', () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(catalog.ru)) {
      for (const lang of LANGUAGES) {
        expect(names(catalog[lang][key] ?? ''), `${lang}:${key}`).toEqual(
          names(catalog.ru[key] ?? ''),
        );
      }
    }
  });
});
