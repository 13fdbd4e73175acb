import crypto from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type express from 'express';
import { readLangCookie, resolveLanguage } from '../../app/i18n/language.server';
import type { Lang } from '../../app/i18n/languages';
import { isAnonymousRequest } from '../../app/utils/shared-cache.server';

/**
 * The shared page cache (ADR 0022): a small in-process cache in front of Remix for public pages
 * that anonymous visitors all see the same, like a store's menu. It is an HTTP shared cache in
 * miniature and obeys the same contract a CDN would:
 *
 * - a page opts in by answering `Cache-Control: public, …, s-maxage=N` (and optionally
 *   `stale-while-revalidate=M`); only a 200 HTML answer without Set-Cookie is stored, for N s;
 * - only requests that cannot be personal are looked up: GET or HEAD, no query string, and no
 *   cookie but the language one. The key is the path and the visitor's language;
 * - during the M s after N one visitor renders the page again while the others get the stale
 *   copy; a cold key is rendered once, concurrent visitors wait for that render.
 *
 * A stored page is served as fixed bytes (identity, gzip and brotli made once when it is stored),
 * so its Content-Security-Policy cannot carry a fresh nonce. Instead the nonce source is replaced
 * by the SHA-256 hashes of the inline scripts the page rendered with that nonce: exactly those
 * scripts run, as under the nonce, and a script that did not carry the render's nonce (one that
 * found its way into data) is not among them.
 */

export interface PageCacheOptions {
  /** Most pages kept (least recently used go first). 0 disables the cache. */
  maxEntries: number;
  now?: () => number;
}

interface Entry {
  key: string;
  headers: [string, string][];
  csp: string | null;
  etag: string;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
  storedAt: number;
  freshUntil: number;
  staleUntil: number;
  /** A visitor is rendering this key again (stale-while-revalidate). */
  refreshing: boolean;
}

export type PageCacheState = 'HIT' | 'STALE' | 'MISS';

/** Headers of the rendered answer that are not kept: per response, or recomputed per encoding. */
const NOT_KEPT = new Set([
  'content-length',
  'content-encoding',
  'content-security-policy',
  'set-cookie',
  'x-request-id',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'etag',
]);

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** `s-maxage` and `stale-while-revalidate` of a public Cache-Control, in seconds; null otherwise. */
export function sharedCacheLifetime(
  cacheControl: string | null,
): { maxAge: number; stale: number } | null {
  if (!cacheControl) return null;
  const directives = new Map<string, string | true>();
  for (const part of cacheControl.toLowerCase().split(',')) {
    const [name, value] = part.trim().split('=', 2) as [string, string | undefined];
    if (name) directives.set(name, value?.replace(/"/g, '') ?? true);
  }
  if (!directives.has('public')) return null;
  for (const refusal of ['private', 'no-store', 'no-cache'])
    if (directives.has(refusal)) return null;
  const seconds = (name: string) => {
    const raw = directives.get(name);
    return typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : 0;
  };
  const maxAge = seconds('s-maxage');
  return maxAge > 0 ? { maxAge, stale: seconds('stale-while-revalidate') } : null;
}

/** The nonce of a nonce-based CSP, if it has one. */
function cspNonce(csp: string | null): string | null {
  return csp ? (/'nonce-([A-Za-z0-9+/=_-]+)'/.exec(csp)?.[1] ?? null) : null;
}

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;

/**
 * The CSP of a stored page: the render's nonce source replaced by the hashes of the inline scripts
 * that carried that nonce. Null when the page cannot be stored safely (no nonce to replace).
 */
export function hashedPolicy(csp: string | null, html: string): string | null {
  const nonce = cspNonce(csp);
  if (!csp || !nonce) return null;
  const hashes = new Set<string>();
  for (const [, attributes, body] of html.matchAll(INLINE_SCRIPT)) {
    if (/\bsrc\s*=/i.test(attributes!)) continue;
    if (!attributes!.includes(`nonce="${nonce}"`)) continue;
    hashes.add(`'sha256-${crypto.createHash('sha256').update(body!).digest('base64')}'`);
  }
  const sources = hashes.size > 0 ? [...hashes].join(' ') : "'none'";
  return csp.replace(`'nonce-${nonce}'`, sources);
}

/** A last path segment with an extension: `/favicon.svg`, not `/menu/MSK-01`. */
export const FILE_PATH = /\/[^/]+\.[A-Za-z0-9]+$/;

/** Accept-Language headers repeat: their resolved language is remembered (a bounded map). */
const languages = new Map<string, Lang>();
function languageOf(acceptLanguage: string | undefined): Lang {
  const header = acceptLanguage ?? '';
  let lang = languages.get(header);
  if (lang === undefined) {
    lang = resolveLanguage({ acceptLanguage: header });
    if (languages.size >= 256) languages.clear();
    languages.set(header, lang);
  }
  return lang;
}

export function createPageCache(options: PageCacheOptions) {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const filling = new Map<string, Promise<Entry | null>>();

  /** The key of a request that may be served from or stored in the cache, or null. */
  function keyFor(req: express.Request): string | null {
    if (options.maxEntries <= 0) return null;
    if (req.method !== 'GET' && req.method !== 'HEAD') return null;
    const url = req.originalUrl;
    if (url.includes('?') || !url.startsWith('/') || url.startsWith('/api/')) return null;
    // files (/build/…, /favicon.svg) are served from disk, never rendered
    if (url.startsWith('/build/') || FILE_PATH.test(url)) return null;
    const cookie = req.get('cookie');
    // anything but the language cookie (a session, a cart) makes the page personal
    if (!isAnonymousRequest(cookie)) return null;
    const cookieLanguage = readLangCookie(cookie);
    return `${cookieLanguage ?? languageOf(req.get('accept-language'))} ${url}`;
  }

  function touch(entry: Entry): void {
    entries.delete(entry.key);
    entries.set(entry.key, entry);
  }

  /**
   * A stored page for the key: fresh, or stale while another visitor renders it again. Null
   * when this visitor must render it; a visitor that can (`canRender`: a GET) then becomes the
   * one that refreshes a stale page, and a HEAD is given the stale copy.
   */
  function lookup(
    key: string,
    canRender: boolean,
  ): { entry: Entry; state: 'HIT' | 'STALE' } | null {
    const entry = entries.get(key);
    if (!entry) return null;
    const t = now();
    if (t < entry.freshUntil) {
      touch(entry);
      return { entry, state: 'HIT' };
    }
    if (t >= entry.staleUntil) {
      entries.delete(key);
      return null;
    }
    if (entry.refreshing || !canRender) return { entry, state: 'STALE' };
    entry.refreshing = true;
    return null;
  }

  /** Whether a rendered answer may be stored, and for how long. Reads only its headers. */
  function cacheable(response: Response): { maxAge: number; stale: number } | null {
    const lifetime = sharedCacheLifetime(response.headers.get('cache-control'));
    if (
      response.status !== 200 ||
      !lifetime ||
      !(response.headers.get('content-type') ?? '').startsWith('text/html') ||
      response.headers.has('set-cookie')
    ) {
      return null;
    }
    const csp = response.headers.get('content-security-policy');
    return csp === null || cspNonce(csp) !== null ? lifetime : null;
  }

  /** Stores an answer `cacheable` accepted; consumes its body. */
  async function store(
    key: string,
    response: Response,
    lifetime: { maxAge: number; stale: number },
  ): Promise<Entry> {
    const html = await response.text();
    const csp = response.headers.get('content-security-policy');
    const identity = Buffer.from(html, 'utf8');
    const [gzipped, brotlied] = await Promise.all([
      gzip(identity, { level: 9 }),
      brotli(identity, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
        },
      }),
    ]);
    const headers: [string, string][] = [];
    let vary = 'Accept-Encoding';
    response.headers.forEach((value, name) => {
      if (name === 'vary') vary = `${value}, ${vary}`;
      else if (!NOT_KEPT.has(name)) headers.push([name, value]);
    });
    headers.push(['vary', vary]);
    const t = now();
    const entry: Entry = {
      key,
      headers,
      csp: csp === null ? null : hashedPolicy(csp, html),
      etag: `"${crypto.createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`,
      identity,
      gzip: gzipped,
      br: brotlied,
      storedAt: t,
      freshUntil: t + lifetime.maxAge * 1000,
      staleUntil: t + (lifetime.maxAge + lifetime.stale) * 1000,
      refreshing: false,
    };
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
    return entry;
  }

  /** Writes a stored page, in the best encoding the visitor accepts; 304 for a matching ETag. */
  function send(
    req: express.Request,
    res: express.Response,
    entry: Entry,
    state: PageCacheState,
  ): void {
    for (const [name, value] of entry.headers) res.setHeader(name, value);
    if (entry.csp) res.setHeader('Content-Security-Policy', entry.csp);
    res.setHeader('ETag', entry.etag);
    res.setHeader('X-Page-Cache', state);
    res.setHeader('Age', String(Math.max(0, Math.floor((now() - entry.storedAt) / 1000))));
    if (req.get('if-none-match') === entry.etag) {
      res.status(304).end();
      return;
    }
    const encoding = req.acceptsEncodings('br', 'gzip', 'identity');
    const body = encoding === 'br' ? entry.br : encoding === 'gzip' ? entry.gzip : entry.identity;
    if (encoding === 'br' || encoding === 'gzip') res.setHeader('Content-Encoding', encoding);
    res.status(200).setHeader('Content-Length', String(body.length));
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /**
   * This request renders the key: until `finish`, other requests for the key wait for its entry
   * (`pending`) instead of rendering the same page again.
   */
  function begin(key: string): (entry: Entry | null) => void {
    let resolve!: (entry: Entry | null) => void;
    const promise = new Promise<Entry | null>((r) => (resolve = r));
    filling.set(key, promise);
    return (entry) => {
      if (filling.get(key) !== promise) return;
      filling.delete(key);
      const stored = entries.get(key);
      if (stored) stored.refreshing = false;
      resolve(entry);
    };
  }

  return {
    keyFor,
    lookup,
    pending: (key: string) => filling.get(key),
    begin,
    cacheable,
    store,
    send,
    stats: () => ({ entries: entries.size }),
  };
}

export type PageCache = ReturnType<typeof createPageCache>;

/**
 * The lookup in front of the renderer: a stored page is sent at once; a visitor arriving while
 * the same page is being rendered waits for that render's copy; anyone else goes on to render,
 * marked with the key when the page may be stored (`renderWithPageCache`).
 */
export function pageCacheMiddleware(cache: PageCache): express.RequestHandler {
  return (req, res, next) => {
    const key = cache.keyFor(req);
    if (!key) return next();
    const found = cache.lookup(key, req.method === 'GET');
    if (found) return cache.send(req, res, found.entry, found.state);
    const pending = cache.pending(key);
    if (pending) {
      void pending.then((entry) => (entry ? cache.send(req, res, entry, 'HIT') : next()));
      return;
    }
    // HEAD renders no body: only a GET may fill the cache
    if (req.method === 'GET') res.locals.pageCacheKey = key;
    next();
  };
}

/**
 * Renders a request the middleware let through. When it may fill the cache, visitors for the
 * same page wait for this render; a cacheable answer is stored and sent from the store, any
 * other answer goes to `send` unchanged.
 */
export async function renderWithPageCache(
  cache: PageCache,
  req: express.Request,
  res: express.Response,
  render: () => Promise<Response>,
  send: (response: Response) => Promise<void>,
): Promise<void> {
  const key = res.locals.pageCacheKey as string | undefined;
  const finish = key && !cache.pending(key) ? cache.begin(key) : undefined;
  try {
    const response = await render();
    const lifetime = finish ? cache.cacheable(response) : null;
    if (finish && lifetime) {
      const entry = await cache.store(key!, response, lifetime);
      finish(entry);
      cache.send(req, res, entry, 'MISS');
      return;
    }
    finish?.(null);
    await send(response);
  } catch (err) {
    finish?.(null);
    throw err;
  }
}
