import client from 'prom-client';
import { metrics } from '~/features/metrics/registry.server';
import { resolveRequestLanguage } from '~/i18n/language.server';
import { translate } from '~/i18n/translate';
import { logger } from './logger.server';

/**
 * A request that failed because the database cannot be reached (CF-3) is answered 503 with
 * Retry-After instead of 500, logged once with its request id and counted
 * (`ctea_db_unavailable_total`). Remix's `handleError` (app/entry.server.tsx) marks the request's
 * load context; the document and data hooks there and the HTTP adapter in scripts/server.ts (for
 * resource routes) turn a 500 of a marked request into the 503 below.
 *
 * The mark lives on the load context object under a registered symbol: scripts/server.ts and the
 * Remix build load separate copies of this module and must both see it.
 */

/** Seconds a client should wait before trying again (a restart or failover takes a few). */
export const DATABASE_RETRY_AFTER_S = 5;
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

const MARK = Symbol.for('ctea.databaseUnavailable');
const COUNTER = 'ctea_db_unavailable_total';

type Marked = { [MARK]?: true };

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** Marks the request's load context; true the first time, so the caller logs and counts once. */
export function markDatabaseUnavailable(context: unknown): boolean {
  if (!isObject(context)) return false;
  const c = context as Marked;
  if (c[MARK]) return false;
  c[MARK] = true;
  return true;
}

export function wasDatabaseUnavailable(context: unknown): boolean {
  return isObject(context) && (context as Marked)[MARK] === true;
}

function counter(): client.Counter {
  const { registry } = metrics();
  const existing = registry.getSingleMetric(COUNTER) as client.Counter | undefined;
  return (
    existing ??
    new client.Counter({
      name: COUNTER,
      help: 'Requests answered 503 because the database could not be reached (CF-3).',
      registers: [registry],
    })
  );
}

/** One log line and one count per request (the caller checks markDatabaseUnavailable first). */
export function recordDatabaseUnavailable(
  err: unknown,
  where: { requestId?: string | null; method: string; path: string },
): void {
  counter().inc();
  const e = err as { code?: unknown; message?: unknown } | null;
  logger.warn(
    {
      event: 'db.unavailable',
      requestId: where.requestId ?? undefined,
      method: where.method,
      path: where.path,
      code: typeof e?.code === 'string' ? e.code : undefined,
      reason: typeof e?.message === 'string' ? e.message : String(err),
    },
    'database unavailable; answered 503',
  );
}

export function serviceUnavailableBody() {
  return {
    error: {
      code: SERVICE_UNAVAILABLE,
      message_key: 'faults.unavailable.body',
      details: { retry_after_s: DATABASE_RETRY_AFTER_S },
    },
  };
}

const COMMON_HEADERS = {
  'Retry-After': String(DATABASE_RETRY_AFTER_S),
  'Cache-Control': 'no-store',
};

/** The JSON answer of API, resource and data requests: `{"error":{code,message_key,details}}`. */
export function serviceUnavailableJson(headers: Record<string, string> = {}): Response {
  return Response.json(serviceUnavailableBody(), {
    status: 503,
    headers: { ...COMMON_HEADERS, ...headers },
  });
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * The page of a document request: self-contained (no script, no stylesheet, no database), in the
 * visitor's language (cookie, then Accept-Language), with the request id for support and a link
 * that tries the same address again.
 */
export function serviceUnavailablePage(
  request: Request,
  requestId: string | null | undefined,
  headers: Record<string, string> = {},
): Response {
  const { lang } = resolveRequestLanguage(request, null);
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string>) =>
    escapeHtml(translate(lang, key, params));
  const url = new URL(request.url);
  url.searchParams.delete('_data');
  const again = escapeHtml(`${url.pathname}${url.search}`);
  const html = `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${t('faults.unavailable.title')} · CTEA</title>
<style>
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#fafaf9;color:#1c1917;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:28rem;padding:2rem 1rem;text-align:center}
.status{font-size:.875rem;font-weight:600;color:#b45309;margin:0}
h1{font-size:1.5rem;margin:.25rem 0 .5rem}
p{font-size:.875rem;color:#57534e;margin:.5rem 0}
code{display:inline-block;margin-top:.75rem;padding:.375rem .75rem;border-radius:.375rem;background:#f5f5f4;font-size:.75rem}
a{display:inline-block;margin-top:1.5rem;padding:.5rem 1rem;border-radius:.375rem;background:#1c1917;color:#fff;text-decoration:none;font-size:.875rem}
</style>
</head>
<body>
<main>
<p class="status">${t('faults.unavailable.status')}</p>
<h1>${t('faults.unavailable.title')}</h1>
<p>${t('faults.unavailable.body')}</p>
${requestId ? `<code>${t('faults.unavailable.requestId', { id: requestId })}</code>` : ''}
<div><a href="${again}">${t('faults.unavailable.retry')}</a></div>
</main>
</body>
</html>
`;
  return new Response(html, {
    status: 503,
    headers: {
      ...COMMON_HEADERS,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Language': lang,
      ...headers,
    },
  });
}
