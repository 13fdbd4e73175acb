import { describe, expect, it } from 'vitest';
import {
  booleanFilter,
  clampPage,
  dateFilter,
  defineListParams,
  enumFilter,
  hrefWith,
  idFilter,
  pageCount,
  pageHref,
  pageWindow,
  sortHref,
  textFilter,
} from './search-params';

const LIST = defineListParams({
  sortKeys: ['code', 'name', 'city'],
  defaultSort: 'code',
  filters: {
    active: booleanFilter(),
    city: textFilter(10),
    status: enumFilter(['OPEN', 'CLOSED']),
    storeId: idFilter(),
    from: dateFilter(),
  },
  defaultPageSize: 20,
  maxPageSize: 50,
});

const parse = (search: string) => LIST.parse(`http://x/admin/stores?${search}`.split('?')[1]!);

describe('defineListParams().parse', () => {
  it('gives the defaults for an empty query', () => {
    expect(parse('')).toEqual({
      q: '',
      sort: 'code',
      dir: 'asc',
      page: 1,
      pageSize: 20,
      filters: {},
    });
  });

  it('reads every value from a Request, a URL or a search string alike', () => {
    const search = 'q=+Moscow+&sort=name&dir=desc&page=3&pageSize=10&active=false&city=Kazan';
    const expected = {
      q: 'Moscow',
      sort: 'name',
      dir: 'desc',
      page: 3,
      pageSize: 10,
      filters: { active: false, city: 'Kazan' },
    };
    expect(LIST.parse(new Request(`http://x/list?${search}`))).toEqual(expected);
    expect(LIST.parse(new URL(`http://x/list?${search}`))).toEqual(expected);
    expect(LIST.parse(new URLSearchParams(search))).toEqual(expected);
    expect(LIST.parse(search)).toEqual(expected);
  });

  it('only sorts by whitelisted keys', () => {
    expect(parse('sort=password_hash').sort).toBe('code');
    expect(parse('sort=name;delete from store').sort).toBe('code');
    expect(parse('sort=city&dir=sideways')).toMatchObject({ sort: 'city', dir: 'asc' });
  });

  it('falls back on malformed pages and clamps large ones', () => {
    for (const bad of ['0', '-2', 'abc', '1.5', '1e3', '0x10', '', '99999999999']) {
      expect(parse(`page=${encodeURIComponent(bad)}`).page, bad).toBe(1);
    }
    expect(parse('page=2000000').page).toBe(100_000);
    expect(parse('pageSize=0').pageSize).toBe(20);
    expect(parse('pageSize=many').pageSize).toBe(20);
    expect(parse('pageSize=1000').pageSize).toBe(50);
    expect(parse('pageSize=5').pageSize).toBe(5);
  });

  it('drops filters it cannot read instead of failing', () => {
    expect(
      parse('active=maybe&status=open&storeId=-1&from=2026-02-30&city=' + 'x'.repeat(30)).filters,
    ).toEqual({ city: 'x'.repeat(10) });
    expect(parse('active=1&status=OPEN&storeId=7&from=2026-02-28').filters).toEqual({
      active: true,
      status: 'OPEN',
      storeId: 7,
      from: '2026-02-28',
    });
    expect(parse('storeId=99999999999').filters).toEqual({});
  });

  it('cuts long search text', () => {
    expect(parse(`q=${'a'.repeat(500)}`).q).toHaveLength(100);
  });

  it('drops control characters PostgreSQL text cannot hold', () => {
    expect(parse('q=%00te%01a%00&city=Ka%00zan').q).toBe('tea');
    expect(parse('city=Ka%00zan').filters).toEqual({ city: 'Kazan' });
    expect(parse('q=%00').q).toBe('');
  });

  it('uses the first value of a repeated param', () => {
    expect(parse('sort=name&sort=city').sort).toBe('name');
  });
});

describe('hrefs', () => {
  const here = { pathname: '/admin/stores', search: '?q=tea&page=3&sort=name&dir=asc' };

  it('changes one param and goes back to page 1', () => {
    expect(hrefWith(here, { q: 'coffee' })).toBe('/admin/stores?q=coffee&sort=name&dir=asc');
    expect(hrefWith(here, { q: null })).toBe('/admin/stores?sort=name&dir=asc');
    expect(hrefWith({ pathname: '/a', search: '' }, { q: '' })).toBe('/a');
  });

  it('pages keep the rest of the state; page 1 drops the param', () => {
    expect(pageHref(here, 4)).toBe('/admin/stores?q=tea&page=4&sort=name&dir=asc');
    expect(pageHref(here, 1)).toBe('/admin/stores?q=tea&sort=name&dir=asc');
  });

  it('sorting flips the current column and starts another ascending', () => {
    expect(sortHref(here, 'name', { sort: 'name', dir: 'asc' })).toBe(
      '/admin/stores?q=tea&sort=name&dir=desc',
    );
    expect(sortHref(here, 'city', { sort: 'name', dir: 'asc' })).toBe(
      '/admin/stores?q=tea&sort=city&dir=asc',
    );
  });

  it("never carries Remix's _data / index params", () => {
    expect(hrefWith({ pathname: '/a', search: '?_data=routes%2Fa&index&q=x' }, { page: 2 })).toBe(
      '/a?q=x&page=2',
    );
  });
});

describe('paging arithmetic', () => {
  it('computes windows, counts and clamps', () => {
    expect(pageWindow({ page: 3, pageSize: 20 })).toEqual({ limit: 20, offset: 40 });
    expect(pageCount(0, 20)).toBe(1);
    expect(pageCount(41, 20)).toBe(3);
    expect(clampPage(9, 41, 20)).toBe(3);
    expect(clampPage(2, 0, 20)).toBe(1);
  });
});
