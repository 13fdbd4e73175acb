import { PassThrough } from 'node:stream';
import type {
  ActionFunctionArgs,
  AppLoadContext,
  EntryContext,
  LoaderFunctionArgs,
} from '@remix-run/node';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { isbot } from 'isbot';
import { renderToPipeableStream } from 'react-dom/server';
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
import { createViewPaddingStripper } from '~/utils/strip-view-padding.server';

const ABORT_DELAY = 5_000;

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
  const waitForAll = isbot(request.headers.get('user-agent') ?? '');
  const nonce = createNonce();
  responseHeaders.set('Content-Security-Policy', contentSecurityPolicy(nonce));
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer
          context={remixContext}
          url={request.url}
          abortDelay={ABORT_DELAY}
          nonce={nonce}
        />
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? 'onAllReady' : 'onShellReady']() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(createViewPaddingStripper()).pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logger.error({ err: error }, 'render error');
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
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
