import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// the adapter's own request/response conversion, so the response can be looked at before it is sent
import { createRemixRequest, sendRemixResponse } from '@remix-run/express/dist/server.js';
import { createRequestHandler, type AppLoadContext, type ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express from 'express';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { poolConfig } from '../db/pool-config';
import type { DB } from '../db/types.generated';
import { EnvError, parseEnv, type Env } from '../app/utils/env.server';
import { logger } from '../app/utils/logger.server';
import { getDb } from '../db/database.server';
import { clientIp, trustedProxies } from '../app/utils/client-ip.server';
import { createRequestObserver } from '../app/features/metrics/http-observer.server';
import {
  markDatabaseUnavailable,
  recordDatabaseUnavailable,
  serviceUnavailableJson,
  serviceUnavailablePage,
  wasDatabaseUnavailable,
} from '../app/utils/database-unavailable.server';
import { isDatabaseUnavailable } from '../app/utils/pg-errors';
import {
  createPageCache,
  FILE_PATH,
  pageCacheMiddleware,
  renderWithPageCache,
} from './lib/page-cache';

/**
 * The HTTP server: Express in front of the Remix build. It fails fast (bad env or an unreachable
 * database exit 1 with one line before listening, CF-3), gives every request an id (X-Request-Id,
 * echoed back and passed to Remix as load context), writes one JSON access-log line per request,
 * answers 503 with Retry-After when the database cannot be reached (CF-3: documents and `?_data`
 * requests in app/entry.server.tsx, resource routes and errors outside Remix here), and shuts down
 * gracefully on SIGTERM / SIGINT.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

export async function checkDatabase(env: Env): Promise<void> {
  const client = new pg.Client({ ...poolConfig(env), connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Headers every response carries; HTML documents also get their Content-Security-Policy with a
 * per-response nonce (app/entry.server.tsx). HSTS only in production, where the site is HTTPS.
 */
function setSecurityHeaders(res: express.Response, production: boolean): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  // the store picker asks for the location (distance to stores); nothing else is used
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), payment=(), geolocation=(self)');
  if (production) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
}

function wantsHtml(req: express.Request): boolean {
  return !req.path.startsWith('/api/') && (req.get('accept') ?? '').includes('text/html');
}

/**
 * Bodies above this are refused before any route reads them. Routes keep their own, smaller
 * limits with their own answers (scans 1 MiB, image uploads 2 MiB with a field error, so a
 * somewhat larger image still gets the form's message rather than this).
 */
const MAX_BODY_BYTES = 8 * 1_048_576;

export async function createApp(
  build: ServerBuild,
  env: Env,
  // tests point the app at a database of their own, and may switch the page cache on
  options: { db?: () => Kysely<DB>; pageCacheEntries?: number } = {},
) {
  const db = options.db ?? getDb;
  const proxies = trustedProxies(env.TRUST_PROXY_CIDRS);
  // DA-3, DA-4: route histogram of /metrics and this process's alert windows
  const observeRequest = createRequestObserver(build);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.use((req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    setSecurityHeaders(res, env.isProduction);
    const started = process.hrtime.bigint();
    // captured now: mounted middleware (express.static under /build) rewrites req.path later
    const pathname = req.path;
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      observeRequest(pathname, req.query._data, res.statusCode, ms / 1000);
      if (pathname.startsWith('/build/') || pathname === '/healthz') return;
      logger.info(
        {
          requestId,
          method: req.method,
          path: pathname,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    });
    next();
  });

  // ADR 0022: public pages anonymous visitors all see the same (a store's menu) are rendered
  // at most once per key and lifetime and then served as stored bytes
  const pageCache = createPageCache({
    maxEntries: options.pageCacheEntries ?? env.PAGE_CACHE_ENTRIES,
  });
  app.use(pageCacheMiddleware(pageCache));

  // after the page cache: a stored page is already compressed
  app.use(compression());

  app.use(
    '/build',
    express.static(path.join(ROOT, 'public/build'), { immutable: true, maxAge: '1y' }),
  );
  // Only paths that look like files reach the disk: a failed stat per page request (and the
  // Error it builds) was a tenth of a menu page's CPU (bench:http profile).
  const publicFiles = express.static(path.join(ROOT, 'public'), { maxAge: '1h', index: false });
  app.use((req, res, next) => (FILE_PATH.test(req.path) ? publicFiles(req, res, next) : next()));

  // Refuse oversized declared bodies before anything reads them (chunked bodies are bounded by
  // the routes' own readers).
  app.use((req, res, next) => {
    const declared = Number(req.get('content-length') ?? 0);
    if (!(declared > MAX_BODY_BYTES)) return next();
    res
      .status(413)
      .type('application/json')
      .set('Connection', 'close')
      .send(
        JSON.stringify({
          error: {
            code: 'PAYLOAD_TOO_LARGE',
            message_key: 'faults.payloadTooLarge',
            details: { max_bytes: MAX_BODY_BYTES },
          },
        }),
      );
  });

  const handleRemix = createRequestHandler(
    build,
    process.env.NODE_ENV === 'production' ? 'production' : 'development',
  );
  app.all('*', async (req, res, next) => {
    try {
      await renderWithPageCache(
        pageCache,
        req,
        res,
        async () => {
          const request = createRemixRequest(req, res);
          const context: AppLoadContext = {
            requestId: String(res.locals.requestId),
            db: db(),
            clientIp: clientIp(req.socket.remoteAddress, req.get('x-forwarded-for'), proxies),
            dataRequest: req.query._data !== undefined,
          };
          const response = await handleRemix(request, context);
          // Resource routes (the JSON APIs, /readyz, CSV exports) have no entry hook: Remix
          // answers their thrown errors with a plain 500, which for a database outage becomes
          // the JSON 503.
          return response.status === 500 && wasDatabaseUnavailable(context)
            ? serviceUnavailableJson()
            : response;
        },
        (response) => sendRemixResponse(res, response),
      );
    } catch (err) {
      next(err);
    }
  });

  // Errors that escape Remix (should not happen): a generic 500 with the id, never a stack trace;
  // a database outage is a 503 with Retry-After like inside Remix.
  app.use(
    (err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
      const requestId = String(res.locals.requestId);
      if (isDatabaseUnavailable(err)) {
        if (markDatabaseUnavailable(res.locals)) {
          recordDatabaseUnavailable(err, { requestId, method: req.method, path: req.path });
        }
        if (res.headersSent) return;
        // the page needs only the address and the visitor's language
        const page = new Request(`http://localhost${req.originalUrl}`, {
          headers: {
            Cookie: req.get('cookie') ?? '',
            'Accept-Language': req.get('accept-language') ?? '',
          },
        });
        const response = wantsHtml(req)
          ? serviceUnavailablePage(page, requestId)
          : serviceUnavailableJson();
        void sendRemixResponse(res, response);
        return;
      }
      logger.error({ err, requestId }, 'unhandled server error');
      if (!res.headersSent)
        res.status(500).type('text/plain').send(`Internal error. Request id: ${requestId}`);
    },
  );
  return app;
}

export async function startServer(): Promise<{ close: () => Promise<void>; port: number }> {
  let env: Env;
  try {
    env = parseEnv(process.env);
  } catch (err) {
    if (err instanceof EnvError) fail(err.message);
    throw err;
  }
  if (!env.DATABASE_URL)
    fail('Invalid environment: DATABASE_URL is required (npm start provides one in development)');
  try {
    await checkDatabase(env);
  } catch (err) {
    fail(
      `Database unreachable: ${err instanceof Error ? err.message : String(err)} (DATABASE_URL)`,
    );
  }

  const buildPath = path.join(ROOT, 'build/index.js');
  if (!fs.existsSync(buildPath)) {
    fail(
      `No server build at ${path.relative(process.cwd(), buildPath)}: run "npm run build" first`,
    );
  }
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  const { startWorkers } = await import('../app/features/jobs/worker.server');
  const app = await createApp(build, env);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(env.PORT, env.HOST, () => resolve(s));
  });
  server.keepAliveTimeout = 65_000;
  logger.info({ port: env.PORT, env: env.NODE_ENV }, 'listening');

  // Job workers and periodic tasks, unless they run as their own process (`npm run worker`).
  const workers = env.DISABLE_IN_PROCESS_WORKERS
    ? null
    : startWorkers({
        db: getDb(),
        concurrency: env.WORKER_CONCURRENCY,
        workerId: `${os.hostname()}:${process.pid}`,
      });
  // DA-3 in-process rules: this process's own request and pool windows
  const { startProcessAlerts } = await import('../app/features/alerts/process-alerts.server');
  const { poolStats } = await import('../db/database.server');
  const processAlerts = startProcessAlerts({
    db: getDb(),
    everyMs: env.ALERTS_EVALUATE_EVERY_MS,
    readPool: () => ({ ...poolStats(), max: env.DATABASE_POOL_MAX }),
  });

  const close = async () => {
    await Promise.all([
      new Promise<void>((resolve) => server.close(() => resolve())),
      workers?.stop(),
      processAlerts.stop(),
    ]);
    const { closeDb } = await import('../db/database.server');
    await closeDb();
  };
  return { close, port: env.PORT };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { close } = await startServer();
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      logger.info({ signal }, 'shutting down');
      const timer = setTimeout(() => process.exit(0), 10_000);
      timer.unref();
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}
