import type { ServerBuild } from '@remix-run/node';
import { processWindows } from '~/features/alerts/process-alerts.server';
import { observeHttpDuration } from './registry.server';
import { createRouteIdResolver } from './route-id.server';

/**
 * The per-request hook of scripts/server.ts (DA-4): one finished request feeds the route
 * histogram of /metrics and this process's alert windows (api_latency, api_error_rate).
 */
export function createRequestObserver(build: ServerBuild) {
  const routeId = createRouteIdResolver(build.routes);
  const windows = processWindows();
  return (pathname: string, dataParam: unknown, status: number, seconds: number): void => {
    const route = routeId(pathname, dataParam);
    observeHttpDuration(route, status, seconds);
    // static files say nothing about the app's latency or errors
    if (route !== 'static') windows.recordRequest(seconds, status, Date.now());
  };
}
