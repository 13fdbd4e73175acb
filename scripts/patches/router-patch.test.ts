import { createRequire } from 'node:module';
import type * as RemixRouter from '@remix-run/router';
import { describe, expect, it } from 'vitest';

/**
 * The server's copy of @remix-run/router carries scripts/patches/@remix-run+router+*.patch
 * (ADR 0026, applied by `npm install`): matching keeps the ranked branches per routes array and
 * the compiled patterns. These tests load the same CommonJS file the server does.
 */
const router = createRequire(import.meta.url)('@remix-run/router') as typeof RemixRouter;

const routes = [
  {
    id: 'root',
    path: '/',
    children: [
      { id: 'admin', path: 'admin', children: [{ id: 'admin-index', index: true }] },
      { id: 'manage-store', path: 'manage/:storeId', children: [{ id: 'orders', path: 'orders' }] },
      { id: 'menu', path: 'menu/:storeCode' },
      { id: 'splat', path: '*' },
    ],
  },
];

const ids = (path: string) => router.matchRoutes(routes, path)?.map((m) => m.route.id) ?? null;

describe('@remix-run/router, patched', () => {
  it('is the patched file', async () => {
    const fs = await import('node:fs');
    const file = createRequire(import.meta.url).resolve('@remix-run/router');
    const source = fs.readFileSync(file, 'utf8');
    expect(source).toContain('rankedBranchesCache');
    expect(source).toContain('compilePathUncached');
  });

  it('matches the same routes on every call, with the ranking of an unpatched router', () => {
    for (let i = 0; i < 3; i++) {
      expect(ids('/admin')).toEqual(['root', 'admin', 'admin-index']);
      expect(ids('/manage/7/orders')).toEqual(['root', 'manage-store', 'orders']);
      expect(ids('/menu/MSK-01')).toEqual(['root', 'menu']);
      expect(ids('/nowhere/at/all')).toEqual(['root', 'splat']);
    }
    const match = router.matchRoutes(routes, '/manage/42/orders');
    expect(match?.[1]?.params).toEqual({ storeId: '42' });
  });

  it('gives each match its own params from a compiled pattern used before', () => {
    expect(router.matchPath('/menu/:storeCode', '/menu/A')?.params).toEqual({ storeCode: 'A' });
    expect(router.matchPath('/menu/:storeCode', '/menu/B')?.params).toEqual({ storeCode: 'B' });
    expect(router.matchPath({ path: '/menu', end: false }, '/menu/B')?.pathnameBase).toBe('/menu');
    expect(router.matchPath({ path: '/menu', end: true }, '/menu/B')).toBeNull();
    expect(router.matchPath({ path: '/Menu', caseSensitive: true }, '/menu')).toBeNull();
    expect(router.matchPath({ path: '/Menu' }, '/menu')).not.toBeNull();
  });
});
