import { z } from 'zod';

/**
 * List state (search, filters, sort, pagination) lives in the URL so a list can be bookmarked,
 * shared and reloaded. Every value is parsed leniently: anything malformed falls back to its
 * default, so a hand-edited URL never answers 500. Sort keys come from a whitelist.
 *
 *   const STORE_LIST = defineListParams({
 *     sortKeys: ['code', 'name', 'city'] as const,
 *     defaultSort: 'code',
 *     filters: { active: booleanFilter(), city: textFilter(50) },
 *   });
 *   const params = STORE_LIST.parse(request);   // { q, sort, dir, page, pageSize, filters }
 *   listStores(db, { ...params.filters, q: params.q, ...pageWindow(params) });
 */

export type SortDir = 'asc' | 'desc';

/** A filter: parses the raw query value (absent → undefined); a failed parse means "no filter". */
export type FilterSchema<T> = z.ZodType<T | undefined, string | undefined>;

export interface ListParamsConfig<
  S extends string,
  F extends Record<string, FilterSchema<unknown>>,
> {
  sortKeys: readonly S[];
  defaultSort: S;
  defaultDir?: SortDir;
  filters?: F;
  /** Page size when the URL names none (default 25). */
  defaultPageSize?: number;
  /** Largest page size the URL may ask for (default 100); larger values are clamped. */
  maxPageSize?: number;
  /** Longest search text kept (default 100 characters); longer input is cut. */
  maxQueryLength?: number;
}

export interface ListParams<S extends string, Filters> {
  /** Trimmed search text, '' for none. */
  q: string;
  sort: S;
  dir: SortDir;
  /** 1-based. */
  page: number;
  pageSize: number;
  filters: Filters;
}

type FilterValues<F> = { [K in keyof F]: F[K] extends z.ZodType<infer T> ? T : never };

export const PAGE_PARAM = 'page';
export const PAGE_SIZE_PARAM = 'pageSize';
export const SORT_PARAM = 'sort';
export const DIR_PARAM = 'dir';
export const QUERY_PARAM = 'q';

/** The largest page number accepted (clamped): keeps OFFSET bounded whatever the URL says. */
const MAX_PAGE = 100_000;

/** A plain decimal positive integer ("1e3", "0x10", " 12", "-1" are not). */
function positiveInt(value: string | undefined): number | null {
  if (value === undefined || !/^[0-9]{1,9}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 ? n : null;
}

function searchParamsOf(input: Request | URL | URLSearchParams | string): URLSearchParams {
  if (input instanceof URLSearchParams) return input;
  if (typeof input === 'string') return new URLSearchParams(input);
  if (input instanceof URL) return input.searchParams;
  return new URL(input.url).searchParams;
}

// PostgreSQL text cannot hold NUL (the query would fail with 22021); other controls are noise
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** First value of a param without control characters, or undefined when absent or blank. */
function raw(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name)?.replace(CONTROL_CHARS, '').trim();
  return value ? value : undefined;
}

export function defineListParams<
  const S extends string,
  F extends Record<string, FilterSchema<unknown>> = Record<never, never>,
>(config: ListParamsConfig<S, F>) {
  const defaultDir = config.defaultDir ?? 'asc';
  const defaultPageSize = config.defaultPageSize ?? 25;
  const maxPageSize = config.maxPageSize ?? 100;
  const maxQueryLength = config.maxQueryLength ?? 100;
  const sortKeys = new Set<string>(config.sortKeys);

  function parse(
    input: Request | URL | URLSearchParams | string,
  ): ListParams<S, Partial<FilterValues<F>>> {
    const params = searchParamsOf(input);
    const sortRaw = raw(params, SORT_PARAM);
    const sort =
      sortRaw !== undefined && sortKeys.has(sortRaw) ? (sortRaw as S) : config.defaultSort;
    const dirRaw = raw(params, DIR_PARAM);
    const dir: SortDir = dirRaw === 'asc' || dirRaw === 'desc' ? dirRaw : defaultDir;

    const page = Math.min(positiveInt(raw(params, PAGE_PARAM)) ?? 1, MAX_PAGE);
    const pageSize = Math.min(
      positiveInt(raw(params, PAGE_SIZE_PARAM)) ?? defaultPageSize,
      maxPageSize,
    );

    const q = (raw(params, QUERY_PARAM) ?? '').slice(0, maxQueryLength);

    const filters: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(config.filters ?? {})) {
      const result = (schema as FilterSchema<unknown>).safeParse(raw(params, name));
      if (result.success && result.data !== undefined) filters[name] = result.data;
    }
    return { q, sort, dir, page, pageSize, filters: filters as Partial<FilterValues<F>> };
  }

  return {
    parse,
    sortKeys: config.sortKeys,
    defaultSort: config.defaultSort,
    defaultDir,
    defaultPageSize,
  };
}

/** `active=true|false` (also 1/0, yes/no). Anything else: no filter. */
export function booleanFilter(): FilterSchema<boolean> {
  return z
    .string()
    .optional()
    .transform((v) => {
      if (v === undefined) return undefined;
      const s = v.toLowerCase();
      if (s === 'true' || s === '1' || s === 'yes') return true;
      if (s === 'false' || s === '0' || s === 'no') return false;
      return undefined;
    });
}

/** One of a fixed list of values (e.g. a status); anything else: no filter. */
export function enumFilter<const T extends string>(values: readonly T[]): FilterSchema<T> {
  const allowed = new Set<string>(values);
  return z
    .string()
    .optional()
    .transform((v) => (v !== undefined && allowed.has(v) ? (v as T) : undefined));
}

/** Free text up to maxLength characters (longer: cut). */
export function textFilter(maxLength = 100): FilterSchema<string> {
  return z
    .string()
    .optional()
    .transform((v) => (v === undefined ? undefined : v.slice(0, maxLength)));
}

/** A positive 32-bit integer id (e.g. storeId); anything else: no filter. */
export function idFilter(): FilterSchema<number> {
  return z
    .string()
    .optional()
    .transform((v) => {
      if (v === undefined || !/^[1-9][0-9]{0,9}$/.test(v)) return undefined;
      const n = Number(v);
      return n <= 2_147_483_647 ? n : undefined;
    });
}

/** A calendar date `YYYY-MM-DD` that exists; anything else: no filter. */
export function dateFilter(): FilterSchema<string> {
  return z
    .string()
    .optional()
    .transform((v) => {
      if (v === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
      const d = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v ? v : undefined;
    });
}

/** limit/offset for a query. */
export function pageWindow(params: { page: number; pageSize: number }): {
  limit: number;
  offset: number;
} {
  return { limit: params.pageSize, offset: (params.page - 1) * params.pageSize };
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** The page to show once the total is known: a page past the end shows the last one. */
export function clampPage(page: number, total: number, pageSize: number): number {
  return Math.min(Math.max(1, page), pageCount(total, pageSize));
}

export type ParamChanges = Record<string, string | number | boolean | null | undefined>;

/** Where a list is shown: Remix's `useLocation()` and a `URL` both fit. */
export interface ListLocation {
  pathname: string;
  search: string;
}

/**
 * The href of the same list with some params changed: null / undefined / '' removes a param. Any
 * change other than the page itself goes back to page 1 (after a new filter or sort the old page
 * number means nothing).
 */
export function hrefWith(current: ListLocation, changes: ParamChanges): string {
  const next = new URLSearchParams(current.search);
  if (Object.keys(changes).some((k) => k !== PAGE_PARAM)) next.delete(PAGE_PARAM);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') next.delete(name);
    else next.set(name, String(value));
  }
  // Remix's own params; never part of the list state
  next.delete('_data');
  next.delete('index');
  const search = next.toString();
  return search ? `${current.pathname}?${search}` : current.pathname;
}

/** Link for a page number (page 1 drops the param, keeping URLs canonical). */
export function pageHref(current: ListLocation, page: number): string {
  return hrefWith(current, { [PAGE_PARAM]: page <= 1 ? null : page });
}

/**
 * Link for a sortable column header: the current column flips direction, another column starts
 * ascending. Back on page 1.
 */
export function sortHref(
  current: ListLocation,
  key: string,
  state: { sort: string; dir: SortDir },
): string {
  const dir: SortDir = state.sort === key && state.dir === 'asc' ? 'desc' : 'asc';
  return hrefWith(current, { [SORT_PARAM]: key, [DIR_PARAM]: dir });
}
