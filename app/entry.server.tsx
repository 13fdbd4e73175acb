import type {
  ActionFunctionArgs,
  AppLoadContext,
  EntryContext,
  LoaderFunctionArgs,
} from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { renderToString } from 'react-dom/server';
import { NonceProvider } from '~/components/nonce';
import { contentSecurityPolicy, createNonce } from '~/utils/csp.server';
import {
  markDatabaseUnavailable,
  recordDatabaseUnavailable,
  serviceUnavailableJson,
  serviceUnavailablePage,
  wasDatabaseUnavailable,
} from '~/utils/database-unavailable.server';
import { logger } from '~/utils/logger.server';
import { isDatabaseUnavailable } from '~/utils/pg-errors';

/**
 * Documents are rendered to one string and sent whole (ADR 0024). No route streams (`defer`,
 * `<Await>`, Suspense), so a stream would only deliver the same bytes in 2 KiB pieces, each
 * passed through Node and web streams and the compressor one by one: a third of a dashboard
 * page's server CPU in the bench:http profile.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // A loader or action failed because the database is down (handleError marked the request):
  // a self-contained 503 page instead of the error boundary, which would need the database again
  // (root loader) and would call it "an unexpected error" (CF-3).
  if (responseStatusCode >= 500 && wasDatabaseUnavailable(loadContext)) {
    return serviceUnavailablePage(request, loadContext.requestId, {
      'Content-Security-Policy': contentSecurityPolicy(createNonce()),
    });
  }
  const nonce = createNonce();
  responseHeaders.set('Content-Security-Policy', contentSecurityPolicy(nonce));
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
  const html = renderToString(
    <NonceProvider value={nonce}>
      <RemixServer context={remixContext} url={request.url} nonce={nonce} />
    </NonceProvider>,
  );
  return new Response(`<!DOCTYPE html>${html}`, {
    headers: responseHeaders,
    status: responseStatusCode,
  });
}

/**
 * `?_data` requests (client-side navigations and form posts) whose loader or action failed because
 * the database is down: a 503 `SERVICE_UNAVAILABLE` the client router renders as a route error
 * response, instead of a 500 "Unexpected Server Error".
 */
export function handleDataRequest(
  response: Response,
  { context }: LoaderFunctionArgs | ActionFunctionArgs,
) {
  if (response.status >= 500 && wasDatabaseUnavailable(context)) {
    return serviceUnavailableJson({ 'X-Remix-Catch': 'yes' });
  }
  return response;
}

/**
 * Unexpected errors thrown by loaders and actions: logged once with the request id (the error page
 * shows the same id). Thrown Responses (404, 403, …) are expected and not logged here. A database
 * that cannot be reached is not a bug of the request: the request is marked for a 503 and logged
 * once as `db.unavailable` (several loaders of one page fail together).
 */
export function handleError(
  error: unknown,
  { request, context }: LoaderFunctionArgs | ActionFunctionArgs,
) {
  const requestId = (context as { requestId?: string } | undefined)?.requestId;
  if (isDatabaseUnavailable(error)) {
    if (markDatabaseUnavailable(context)) {
      recordDatabaseUnavailable(error, {
        requestId,
        method: request.method,
        path: new URL(request.url).pathname,
      });
    }
    return;
  }
  if (request.signal.aborted) return;
  logger.error(
    { err: error, requestId, method: request.method, url: new URL(request.url).pathname },
    'unhandled error',
  );
}
