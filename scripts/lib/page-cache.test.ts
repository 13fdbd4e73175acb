import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createPageCache,
  hashedPolicy,
  pageCacheMiddleware,
  renderWithPageCache,
  sharedCacheLifetime,
  type PageCache,
} from './page-cache';

const sha = (text: string) =>
  `'sha256-${crypto.createHash('sha256').update(text).digest('base64')}'`;

describe('sharedCacheLifetime', () => {
  it('reads s-maxage and stale-while-revalidate of a public answer only', () => {
    expect(sharedCacheLifetime('public, max-age=0, s-maxage=5, stale-while-revalidate=30')).toEqual(
      { maxAge: 5, stale: 30 },
    );
    expect(sharedCacheLifetime('public, s-maxage=10')).toEqual({ maxAge: 10, stale: 0 });
    for (const refused of [
      null,
      'max-age=60',
      's-maxage=5',
      'public, max-age=60',
      'public, s-maxage=0',
      'public, s-maxage=5, private',
      'public, s-maxage=5, no-store',
      'public, s-maxage=abc',
    ]) {
      expect(sharedCacheLifetime(refused)).toBeNull();
    }
  });
});

describe('hashedPolicy', () => {
  const csp = "default-src 'self'; script-src 'self' 'nonce-abc123'; object-src 'none'";

  it('replaces the nonce by the hashes of the inline scripts that carried it', () => {
    const html =
      '<script nonce="abc123">window.a = 1</script>' +
      '<script type="module" nonce="abc123">import "/build/x.js";</script>' +
      '<script nonce="abc123" src="/build/y.js"></script>' +
      '<script>alert("injected")</script>' +
      '<script nonce="other">alert("injected too")</script>';
    expect(hashedPolicy(csp, html)).toBe(
      `default-src 'self'; script-src 'self' ${sha('window.a = 1')} ${sha('import "/build/x.js";')}; object-src 'none'`,
    );
  });

  it('allows no inline script when none carried the nonce, and refuses a policy without one', () => {
    expect(hashedPolicy(csp, '<p>no scripts</p>')).toContain("script-src 'self' 'none'");
    expect(hashedPolicy("script-src 'self'", '<p></p>')).toBeNull();
  });
});

/** An Express app wired like scripts/server.ts, with a renderer that counts its renders. */
function harness(cache: PageCache) {
  const state = {
    renders: 0,
    cacheControl: 'public, max-age=0, s-maxage=5, stale-while-revalidate=30' as string | null,
    setCookie: null as string | null,
    status: 200,
    delayMs: 0,
  };
  const app = express();
  app.use(pageCacheMiddleware(cache));
  app.all('*', (req, res, next) => {
    renderWithPageCache(
      cache,
      req,
      res,
      async () => {
        state.renders += 1;
        const render = state.renders;
        if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
        const nonce = crypto.randomBytes(12).toString('base64url');
        const headers = new Headers({
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': `script-src 'self' 'nonce-${nonce}'`,
        });
        if (state.cacheControl) headers.set('Cache-Control', state.cacheControl);
        if (state.setCookie) headers.set('Set-Cookie', state.setCookie);
        return new Response(
          `<html><body>render ${render} ${req.path}<script nonce="${nonce}">window.n = ${render}</script></body></html>`,
          { status: state.status, headers },
        );
      },
      async (response) => {
        res.status(response.status);
        response.headers.forEach((value, name) => res.setHeader(name, value));
        res.send(await response.text());
      },
    ).catch(next);
  });
  return { app, state };
}

describe('the page cache in front of a renderer', () => {
  let clock = 1_000_000;
  const cache = createPageCache({ maxEntries: 3, now: () => clock });
  const { app, state } = harness(cache);
  let base = '';
  let server: ReturnType<typeof app.listen>;

  beforeAll(async () => {
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    clock += 3_600_000; // every test starts with nothing fresh
    Object.assign(state, {
      cacheControl: 'public, max-age=0, s-maxage=5, stale-while-revalidate=30',
      setCookie: null,
      status: 200,
      delayMs: 0,
    });
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { headers: { 'Accept-Encoding': 'identity', ...headers } });

  it('renders a page once and serves the stored copy, with hashes instead of the nonce', async () => {
    const before = state.renders;
    const first = await get('/menu/a');
    const second = await get('/menu/a');
    expect(first.headers.get('x-page-cache')).toBe('MISS');
    expect(second.headers.get('x-page-cache')).toBe('HIT');
    const body = await second.text();
    expect(body).toBe(await first.text());
    expect(state.renders - before).toBe(1);
    const script = /<script[^>]*>([^<]*)<\/script>/.exec(body)![1]!;
    expect(second.headers.get('content-security-policy')).toBe(`script-src 'self' ${sha(script)}`);
    expect(second.headers.get('vary')).toContain('Accept-Encoding');
  });

  it('keeps one copy per language and none for a visitor with any other cookie or a query', async () => {
    await get('/menu/b', { 'Accept-Language': 'zh-CN' });
    expect((await get('/menu/b', { 'Accept-Language': 'zh-CN' })).headers.get('x-page-cache')).toBe(
      'HIT',
    );
    expect((await get('/menu/b', { 'Accept-Language': 'en' })).headers.get('x-page-cache')).toBe(
      'MISS',
    );
    expect(
      (await get('/menu/b', { 'Accept-Language': 'en', Cookie: 'ctea_lang=zh' })).headers.get(
        'x-page-cache',
      ),
    ).toBe('HIT');
    for (const personal of [
      { Cookie: 'ctea_session=abc' },
      { Cookie: 'ctea_lang=zh; ctea_cart=xyz' },
    ]) {
      const answer = await get('/menu/b', { 'Accept-Language': 'zh-CN', ...personal });
      expect(answer.headers.get('x-page-cache')).toBeNull();
      expect(answer.headers.get('content-security-policy')).toContain("'nonce-");
    }
    expect((await get('/menu/b?x=1')).headers.get('x-page-cache')).toBeNull();
    expect(
      (await fetch(`${base}/menu/b`, { method: 'POST' })).headers.get('x-page-cache'),
    ).toBeNull();
  });

  it('stores nothing that is not a public 200 page without cookies', async () => {
    for (const change of [
      { cacheControl: null },
      { cacheControl: 'private, max-age=60' },
      { setCookie: 'a=b' },
      { status: 404 },
    ]) {
      Object.assign(state, change);
      const path = `/other/${crypto.randomUUID()}`;
      await get(path);
      expect((await get(path)).headers.get('x-page-cache')).toBeNull();
      Object.assign(state, { cacheControl: 'public, s-maxage=5', setCookie: null, status: 200 });
    }
  });

  it('renders a cold page once for many concurrent visitors', async () => {
    state.delayMs = 100;
    const before = state.renders;
    const answers = await Promise.all(Array.from({ length: 20 }, () => get('/menu/c')));
    expect(state.renders - before).toBe(1);
    expect(new Set(await Promise.all(answers.map((a) => a.text()))).size).toBe(1);
  });

  it('serves a stale copy while one visitor renders the page again, then the new one', async () => {
    await get('/menu/d');
    clock += 6_000; // past s-maxage, within stale-while-revalidate
    state.delayMs = 150;
    const refreshing = get('/menu/d');
    await new Promise((r) => setTimeout(r, 30));
    const stale = await get('/menu/d');
    expect(stale.headers.get('x-page-cache')).toBe('STALE');
    expect((await refreshing).headers.get('x-page-cache')).toBe('MISS');
    const fresh = await get('/menu/d');
    expect(fresh.headers.get('x-page-cache')).toBe('HIT');
    expect(stale.headers.get('age')).toBe('6');
    expect(fresh.headers.get('age')).toBe('0');
    expect(await fresh.text()).not.toBe(await stale.text());
    clock += 60_000; // past both: rendered again before anyone sees it
    state.delayMs = 0;
    expect((await get('/menu/d')).headers.get('x-page-cache')).toBe('MISS');
  });

  it('answers in the encoding asked for, 304 for its ETag, and HEAD without a body', async () => {
    const identity = await (await get('/menu/e')).text();
    const br = await fetch(`${base}/menu/e`, { headers: { 'Accept-Encoding': 'br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(await br.text()).toBe(identity); // fetch decodes brotli and gzip
    const gz = await fetch(`${base}/menu/e`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(await gz.text()).toBe(identity);
    const etag = gz.headers.get('etag')!;
    expect((await get('/menu/e', { 'If-None-Match': etag })).status).toBe(304);
    const head = await fetch(`${base}/menu/e`, { method: 'HEAD' });
    expect(head.headers.get('x-page-cache')).toBe('HIT');
    expect(await head.text()).toBe('');
  });

  it('keeps at most maxEntries pages, dropping the least recently used', async () => {
    for (const path of ['/lru/1', '/lru/2', '/lru/3']) await get(path);
    await get('/lru/1'); // used again: /lru/2 is now the oldest
    await get('/lru/4');
    expect(cache.stats().entries).toBe(3);
    expect((await get('/lru/1')).headers.get('x-page-cache')).toBe('HIT');
    expect((await get('/lru/2')).headers.get('x-page-cache')).toBe('MISS');
  });
});

describe('a disabled cache', () => {
  it('passes everything to the renderer', async () => {
    const { app, state } = harness(createPageCache({ maxEntries: 0 }));
    const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/menu/a`;
    await fetch(url);
    const second = await fetch(url);
    expect(second.headers.get('x-page-cache')).toBeNull();
    expect(state.renders).toBe(2);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
