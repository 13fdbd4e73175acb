import type { ServerBuild } from '@remix-run/node';
import { describe, expect, it } from 'vitest';
import { createRouteIdResolver } from './route-id.server';

const route = (id: string, parentId: string | undefined, path?: string, index?: boolean) => ({
  id,
  parentId,
  path,
  index,
  caseSensitive: undefined,
  module: {},
});

const routes = Object.fromEntries(
  [
    route('root', undefined, ''),
    route('routes/admin', 'root', 'admin'),
    route('routes/admin._index', 'routes/admin', undefined, true),
    route('routes/admin.orders.$orderId', 'routes/admin', 'orders/:orderId'),
    route('routes/_shop', 'root', undefined),
    route('routes/_shop.menu.$storeCode._index', 'routes/_shop', 'menu/:storeCode', true),
    route('routes/metrics', 'root', 'metrics'),
  ].map((r) => [r.id, r]),
) as unknown as ServerBuild['routes'];

describe('createRouteIdResolver', () => {
  const resolve = createRouteIdResolver(routes);

  it('labels requests with the route id, never the raw URL', () => {
    expect(resolve('/admin')).toBe('routes/admin._index');
    expect(resolve('/admin/orders/123')).toBe('routes/admin.orders.$orderId');
    expect(resolve('/admin/orders/456')).toBe('routes/admin.orders.$orderId');
    expect(resolve('/menu/MSK-01')).toBe('routes/_shop.menu.$storeCode._index');
    expect(resolve('/metrics')).toBe('routes/metrics');
  });

  it('uses the route a data request names, and fixed labels otherwise', () => {
    expect(resolve('/admin/orders/1', 'routes/admin')).toBe('routes/admin');
    expect(resolve('/admin', 'routes/unknown')).toBe('routes/admin._index');
    expect(resolve('/build/_assets/app-ABC.js')).toBe('static');
    expect(resolve('/no/such/page')).toBe('unmatched');
  });
});
