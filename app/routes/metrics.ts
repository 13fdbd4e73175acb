import type { LoaderFunctionArgs } from '@remix-run/node';
import { metricsAccess } from '~/features/metrics/access.server';
import { renderMetrics } from '~/features/metrics/registry.server';
import { getEnv } from '~/utils/env.server';

/**
 * /metrics (DA-4): Prometheus text format. Bearer METRICS_TOKEN when it is set, loopback clients
 * only otherwise (ADR 0017).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const access = metricsAccess(request, {
    token: getEnv().METRICS_TOKEN,
    clientIp: context.clientIp,
  });
  if (access !== 'ok') {
    return new Response(access === 'unauthorized' ? 'Unauthorized' : 'Forbidden', {
      status: access === 'unauthorized' ? 401 : 403,
      headers: {
        'Content-Type': 'text/plain',
        'Cache-Control': 'no-store',
        ...(access === 'unauthorized' ? { 'WWW-Authenticate': 'Bearer realm="metrics"' } : {}),
      },
    });
  }
  const { contentType, body } = await renderMetrics(context.db);
  return new Response(body, {
    headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' },
  });
}
