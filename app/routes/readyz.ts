import type { LoaderFunctionArgs } from '@remix-run/node';
import { checkReadiness } from '~/features/ops/readiness.server';
import { DATABASE_RETRY_AFTER_S } from '~/utils/database-unavailable.server';

/**
 * Readiness (DA-4): the database answers `SELECT 1`; otherwise 503 (with Retry-After) so the
 * supervisor or load balancer holds traffic back. Asked again on every call, never cached: once
 * the database is back the pool opens fresh connections and this answers 200 without a restart.
 */
export async function loader({ context }: LoaderFunctionArgs) {
  const { ok, ms } = await checkReadiness(context.db);
  return Response.json(
    { status: ok ? 'ok' : 'unavailable', database: ok ? 'ok' : 'unreachable', ms },
    {
      status: ok ? 200 : 503,
      headers: {
        'Cache-Control': 'no-store',
        ...(ok ? {} : { 'Retry-After': String(DATABASE_RETRY_AFTER_S) }),
      },
    },
  );
}
