import type { LoaderFunctionArgs } from '@remix-run/node';
import { checkReadiness } from '~/features/ops/readiness.server';

/** Readiness (DA-4): the database answers `SELECT 1`; otherwise 503 so the supervisor waits. */
export async function loader({ context }: LoaderFunctionArgs) {
  const { ok, ms } = await checkReadiness(context.db);
  return Response.json(
    { status: ok ? 'ok' : 'unavailable', database: ok ? 'ok' : 'unreachable', ms },
    { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}
