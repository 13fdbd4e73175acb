import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import { migrateToLatest } from '../db/migrate';
import { sslSettings } from '../db/pool-config';
import { seedDatabase } from '../scripts/lib/seed-once';
import {
  cpuSnapshot,
  parentPid,
  processCpuMs,
  processTreeCpuMs,
  type CpuSnapshot,
} from './lib/cpu';
import { cleanUpOnSignals, isInterrupted, onCleanup, runCleanup, runBench } from './lib/cleanup';
import { fixed, ms, note, percentile, ratioLine, say, table } from './lib/format';
import { createScratchDatabase, openBenchServer } from './lib/server';

/**
 * `npm run bench:http` (issue 8): the production build behind its real HTTP server, driven by
 * autocannon at 50 concurrent keep-alive connections, against a bare `node:http` hello-world
 * measured in the same run with the same load generator, connections and duration.
 *
 * Scenarios, each after a short warm-up; after the warm-up and after each measured run the bench
 * waits until the server has answered what the run left in flight (waitForQuiet), so each
 * measured window starts with the scenario's own 50 requests and no leftovers:
 * - menu: `GET /menu/MSK-01`, the public store menu document of the demo seed, as a browser asks
 *   for it (Accept-Encoding gzip/br, a desktop Chrome user agent), no session;
 * - checkout: `POST /checkout/MSK-01`, the checkout form as the page posts it without JavaScript,
 *   as signed-in members (real session cookies, the session's CSRF token, our Origin), each with a
 *   fresh idempotency key: every answer that counts is a 302 to `/o/<token>…`, i.e. a placed
 *   order, and the number of orders in the database is compared with those answers afterwards;
 * - dashboard: `GET /admin/dashboards` (the overview) as the demo admin.
 *
 * Every response time comes from autocannon's per-response event, so the percentiles are exact
 * (nearest rank over all answers in the measured window). An answer with another status than the
 * scenario's (200, 302, 200), a socket error or a timeout is an error, printed loudly.
 *
 * CPU per answer splits the machine's busy time in the measured window (/proc) between the server
 * process, PostgreSQL (postmaster and backends, when the server runs on this machine), this
 * process (the load generator) and the rest of the machine.
 *
 * The last line is `RATIO http <menu req/s ÷ hello req/s> goal >= 0.10`. The exit status is 1
 * when any request failed or the orders do not match the answers (the report and the RATIO line
 * are still printed), or when nothing was measured (no RATIO line).
 */

const USAGE = `usage: npm run bench:http -- [--duration N] [--connections N] [--warmup N] [--port N]
                             [--node-env production|test] [--cpu-prof] [--only LIST]
  --duration     measured seconds of each scenario and of the baseline (default 10; alias --seconds)
  --connections  concurrent keep-alive connections (default 50)
  --warmup       unmeasured seconds before each measured run (default 3)
  --port         the hello-world baseline's port; the app listens on the next one (default 3161)
  --node-env     production (default) or test; test also wires the local fake integrations
                 (YooKassa, SMS, Telegram, iiko), which production refuses on loopback
  --cpu-prof     write a V8 CPU profile of the app server to .data/bench-http-prof/
  --only LIST    only these scenarios, comma-separated (menu,checkout,dashboard), e.g. to profile one`;

const GOAL = 0.1;
const STORE_CODE = 'MSK-01';
/** Members the checkout requests take turns with; more than connections, so none is in flight twice. */
const MEMBERS = 1_000;
const TARGETS_MS = { menu: 300, checkout: 800, dashboard: 1_000 } as const;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROFILE_DIR = path.join(ROOT, '.data/bench-http-prof');

type ScenarioName = keyof typeof TARGETS_MS;

interface HttpArgs {
  duration: number;
  connections: number;
  warmup: number;
  port: number;
  nodeEnv: 'production' | 'test';
  cpuProf: boolean;
  /** Scenarios to run (the baseline always runs); null = all. */
  only: ScenarioName[] | null;
}

function parseHttpArgs(argv: string[]): HttpArgs | { error: string } | { help: string } {
  let values: {
    duration?: string;
    seconds?: string;
    connections?: string;
    warmup?: string;
    port?: string;
    'node-env'?: string;
    'cpu-prof'?: boolean;
    only?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        duration: { type: 'string' },
        seconds: { type: 'string' },
        connections: { type: 'string' },
        warmup: { type: 'string' },
        port: { type: 'string' },
        'node-env': { type: 'string' },
        'cpu-prof': { type: 'boolean' },
        only: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    return { error: `${err instanceof Error ? err.message : String(err)}\n${USAGE}` };
  }
  if (values.help) return { help: USAGE };
  const integer = (
    name: string,
    text: string | undefined,
    fallback: number,
    min: number,
    max: number,
  ) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new RangeError(`--${name} must be an integer from ${min} to ${max}`);
    }
    return n;
  };
  const nodeEnv = values['node-env'] ?? 'production';
  if (nodeEnv !== 'production' && nodeEnv !== 'test') {
    return { error: `--node-env must be production or test\n${USAGE}` };
  }
  const only = values.only?.split(',').map((v) => v.trim()) ?? null;
  const unknown = only?.find((name) => !(name in TARGETS_MS));
  if (unknown !== undefined) {
    return { error: `--only takes menu, checkout and dashboard, not ${unknown}\n${USAGE}` };
  }
  try {
    return {
      only: only as ScenarioName[] | null,
      duration: integer('duration', values.duration ?? values.seconds, 10, 1, 3600),
      connections: integer('connections', values.connections, 50, 1, 1000),
      warmup: integer('warmup', values.warmup, 3, 0, 600),
      port: integer('port', values.port, 3161, 1024, 65534),
      nodeEnv,
      cpuProf: values['cpu-prof'] === true,
    };
  } catch (err) {
    return { error: `${(err as Error).message}\n${USAGE}` };
  }
}

/** What a browser sends with a document request (compression is negotiated as in production). */
const BROWSER_HEADERS = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-encoding': 'gzip, deflate, br',
  'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8',
  'user-agent':
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

/** One measured (or warm-up) load run. */
interface Tally {
  answers: number;
  /** Answers with the scenario's expected status. */
  ok: number;
  statuses: Map<number, number>;
  latencies: number[];
  /** Socket errors and timeouts (autocannon's `errors`, which include its `timeouts`). */
  socketErrors: number;
  bytes: number;
  /** Requests still waiting for their answer when the run ended (autocannon drops them). */
  cutOff: number;
  seconds: number;
  cpu: { machineMs: number; ownMs: number; serverMs: number; postgresMs: number };
}

/**
 * Runs autocannon for `seconds` and records every answer: status, and the response time from
 * autocannon's per-response event (the instance re-emits each client's `response`).
 */
async function drive(opts: {
  url: string;
  connections: number;
  seconds: number;
  expectedStatus: number;
  requests?: autocannon.Request[];
  headers?: Record<string, string>;
  serverPid: number | undefined;
  postmasterPid: number | null;
}): Promise<Tally> {
  const tally: Tally = {
    answers: 0,
    ok: 0,
    statuses: new Map(),
    latencies: [],
    socketErrors: 0,
    bytes: 0,
    cutOff: 0,
    seconds: 0,
    cpu: { machineMs: 0, ownMs: 0, serverMs: 0, postgresMs: 0 },
  };
  const before: CpuSnapshot = cpuSnapshot();
  const serverBefore = processCpuMs(opts.serverPid);
  const postgresBefore = processTreeCpuMs(opts.postmasterPid);
  let forget = () => {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        duration: opts.seconds,
        headers: opts.headers,
        requests: opts.requests,
        timeout: 30,
      },
      (err, res) => (err ? reject(err as Error) : resolve(res)),
    );
    // typed as (status, bytes, time); at run time the instance passes the client first
    (instance as unknown as NodeJS.EventEmitter).on(
      'response',
      (_client: unknown, status: number, bytes: number, responseTime: number) => {
        tally.answers += 1;
        tally.bytes += bytes;
        tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
        if (status === opts.expectedStatus) tally.ok += 1;
        tally.latencies.push(responseTime);
      },
    );
    forget = onCleanup('stop the load generator', async () => instance.stop());
  }).finally(() => forget());
  const after = cpuSnapshot();
  tally.seconds = result.duration;
  tally.socketErrors = result.errors;
  tally.cutOff = Math.max(0, result.requests.sent - tally.answers - result.errors);
  tally.cpu = {
    machineMs: after.machineMs - before.machineMs,
    ownMs: after.processMs - before.processMs,
    serverMs: processCpuMs(opts.serverPid) - serverBefore,
    postgresMs: processTreeCpuMs(opts.postmasterPid) - postgresBefore,
  };
  tally.latencies.sort((a, b) => a - b);
  return tally;
}

/** Starts a child process and registers its stop; stderr is kept for the failure report. */
function startChild(
  label: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  onCleanup(`stop the ${label}`, () => stopChild(child));
  return { child, stderr: () => stderr };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });
}

/**
 * Waits until the server has worked off the requests a finished run left in flight (autocannon
 * stops without waiting for them): `url` must answer within `quickMs` twice in a row. Otherwise
 * the next run starts with twice its connections' worth of work queued, and its first answers
 * (one per connection) measure that backlog rather than the load under test.
 */
async function waitForQuiet(url: string, quickMs = 25, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quick = 0;
  while (quick < 2 && Date.now() < deadline) {
    const started = performance.now();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      quick = performance.now() - started < quickMs ? quick + 1 : 0;
    } catch {
      quick = 0;
    }
    await sleep(50);
  }
}

/** Polls `url` until it answers 200; fails when the child exits first or after `timeoutMs`. */
async function waitForHttp(
  url: string,
  started: { child: ChildProcess; stderr: () => string },
  label: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null || started.child.signalCode !== null) {
      throw new Error(
        `the ${label} exited (${started.child.exitCode ?? started.child.signalCode}) before ` +
          `answering:\n${started.stderr().trim()}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`the ${label} did not answer ${url} within ${timeoutMs / 1000} s`);
}

/** The bare baseline: node:http answering a fixed body, nothing else. */
const HELLO_SERVER = `
const http = require('node:http');
const port = Number(process.argv[1]);
http
  .createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('hello world');
  })
  .listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

/** The production build, building it first when missing. */
function ensureBuild(): string {
  const index = path.join(ROOT, 'build/index.js');
  if (!fs.existsSync(index)) {
    note('bench:http: build/index.js is missing: running npm run build…');
    const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
    if (r.status !== 0 || !fs.existsSync(index)) {
      throw new Error('npm run build failed: the benchmark needs the production build in build/');
    }
  }
  return fs
    .statSync(index)
    .mtime.toISOString()
    .replace(/\.\d+Z$/, 'Z');
}

/** The PostgreSQL server's main process when it runs on this machine (for its CPU time), or null. */
async function findPostmaster(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url, ssl: sslSettings(process.env) });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    return parentPid(rows[0]!.pid);
  } finally {
    await client.end();
  }
}

interface CheckoutFixture {
  storeId: number;
  linesJson: string;
  expectedFinal: string;
  members: { id: number; cookie: string; csrf: string }[];
  adminCookie: string;
}

/**
 * Members with sessions, the admin's session, and a cart of the demo store quoted once: two
 * sellable drinks with their default (or first) choice in every required option group.
 */
async function buildFixture(url: string): Promise<CheckoutFixture> {
  const { createDatabase } = await import('../db/database.server');
  const { createMemberSession, createUserSession, sessionCookieName } =
    await import('../app/auth/session.server');
  const { csrfTokenFor } = await import('../app/auth/csrf.server');
  const { getStoreMenu } = await import('../app/features/menu/store-menu.server');
  const { quoteCheckout } = await import('../app/features/checkout/pricing.server');
  const { toDecimal } = await import('../app/utils/money');
  const { DEMO_ADMIN } = await import('../db/seed/demo-users');

  const setup = createDatabase(url, { max: 2 });
  try {
    const { db } = setup;
    const cookieName = sessionCookieName();
    const verifiedAt = new Date();
    // +7800…: the seed draws its members from +79…, so these never collide with them
    const rows = await db
      .insertInto('member')
      .values(
        Array.from({ length: MEMBERS }, (_, i) => ({
          phone: `+7800${String(i).padStart(7, '0')}`,
          display_name: `Нагрузка ${i}`,
          phone_verified_at: verifiedAt,
        })),
      )
      .returning('id')
      .execute();
    const members: CheckoutFixture['members'] = [];
    for (const { id } of rows) {
      const session = await createMemberSession(db, { memberId: id, userAgent: 'bench:http' });
      members.push({
        id,
        cookie: `${cookieName}=${session.token}`,
        csrf: csrfTokenFor(session.tokenHash),
      });
    }

    const admin = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', DEMO_ADMIN.email)
      .executeTakeFirstOrThrow();
    const staff = await createUserSession(db, { userId: admin.id, userAgent: 'bench:http' });

    const menu = await getStoreMenu(db, { storeCode: STORE_CODE, lang: 'ru' });
    if (!menu) throw new Error(`fixture: the demo store ${STORE_CODE} has no menu`);
    const products = menu.categories
      .flatMap((c) => c.products)
      .filter((p) => p.sellable)
      .map((p) => ({
        product_id: p.id,
        quantity: 1,
        option_item_ids: p.optionGroups
          .filter((g) => g.required)
          .map((g) => g.defaultItemId ?? g.items.find((i) => i.available)?.id)
          .filter((id): id is number => id !== undefined),
      }));
    for (let i = 0; i + 1 < products.length; i++) {
      const lines = [products[i]!, products[i + 1]!];
      const quote = await quoteCheckout(db, {
        memberId: members[0]!.id,
        lang: 'ru',
        body: {
          store_id: menu.store.id,
          order_type: 'PICKUP',
          lines,
          use_points: false,
        },
      });
      if (quote.problems.length > 0 || quote.finalKopecks <= 0) continue;
      return {
        storeId: menu.store.id,
        linesJson: JSON.stringify(lines),
        expectedFinal: toDecimal(quote.finalKopecks),
        members,
        adminCookie: `${cookieName}=${staff.token}`,
      };
    }
    throw new Error(`fixture: no two drinks of ${STORE_CODE} quote without a problem`);
  } finally {
    await setup.db.destroy();
  }
}

interface Outcome {
  name: ScenarioName | 'hello';
  label: string;
  expectedStatus: number;
  tally: Tally;
}

function describeStatuses(t: Tally, expected: number): string {
  const other = [...t.statuses].filter(([s]) => s !== expected).sort((a, b) => a[0] - b[0]);
  const parts = other.map(([s, n]) => `HTTP ${s} × ${n}`);
  if (t.socketErrors > 0) parts.push(`socket errors/timeouts × ${t.socketErrors}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

function errorCount(t: Tally): number {
  return t.answers - t.ok + t.socketErrors;
}

async function main(): Promise<number> {
  const args = parseHttpArgs(process.argv.slice(2));
  if ('help' in args) {
    say(args.help);
    return 0;
  }
  if ('error' in args) {
    note(args.error);
    return 2;
  }
  let stopped = false;
  cleanUpOnSignals(() => {
    stopped = true;
  });

  const buildTime = ensureBuild();
  const loadBefore = os.loadavg()[0]!;
  note('bench:http: preparing the server and a scratch database (migrated, demo seed)…');
  const server = await openBenchServer(note);
  const scratch = await createScratchDatabase(server, 'http');
  const { error } = await migrateToLatest(scratch.url);
  if (error) throw error;
  await seedDatabase(scratch.url, () => {});

  const helloPort = args.port;
  const appPort = args.port + 1;
  const origin = `http://127.0.0.1:${appPort}`;
  const fakes: ChildProcess[] = [];
  onCleanup('stop the fake services', async () => {
    await Promise.all(fakes.map((c) => stopChild(c)));
  });
  let fakeEnv: Record<string, string> = {};
  if (args.nodeEnv === 'test') {
    const { startFakes } = await import('../scripts/lib/fakes');
    fakeEnv = await startFakes(fakes, note, { appPort });
  }
  // the app server's environment; this process parses the same one, so the session cookie's name
  // and the CSRF tokens it computes are the server's
  const appEnv: Record<string, string> = {
    NODE_ENV: args.nodeEnv,
    HOST: '127.0.0.1',
    PORT: String(appPort),
    PUBLIC_BASE_URL: origin,
    DATABASE_URL: scratch.url,
    // the scratch database is reached as so far (production would turn SSL on by default)
    DATABASE_SSL: sslSettings(process.env) ? 'true' : 'false',
    SESSION_SECRET: crypto.randomBytes(32).toString('base64url'),
    CODE_PEPPER: crypto.randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'info',
    // job loops and periodic sweeps (payment reconciliation of the PENDING payments these
    // checkouts create, iiko pushes) belong to `npm run worker`, not to the measured requests
    DISABLE_IN_PROCESS_WORKERS: 'true',
    RATE_LIMIT_CHECKOUT_PER_MEMBER: '1000000',
    RATE_LIMIT_CHECKOUT_PER_IP: '1000000',
    RATE_LIMIT_STAFF_LOGIN_PER_IP: '1000000',
    ...fakeEnv,
  };
  Object.assign(process.env, appEnv);

  note(`bench:http: ${MEMBERS} members with sessions, the admin's session, a quoted cart…`);
  const fixture = await buildFixture(scratch.url);

  note(`bench:http: starting the hello-world baseline (:${helloPort}) and the app (:${appPort})…`);
  const hello = startChild(
    'hello-world server',
    ['-e', HELLO_SERVER, String(helloPort)],
    process.env,
  );
  if (args.cpuProf) fs.mkdirSync(PROFILE_DIR, { recursive: true });
  const app = startChild(
    'app server',
    [
      ...(args.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []),
      '--import',
      'tsx',
      path.join(ROOT, 'scripts/server.ts'),
    ],
    { ...process.env, ...appEnv },
  );
  await waitForHttp(`http://127.0.0.1:${helloPort}/`, hello, 'hello-world server');
  await waitForHttp(`${origin}/healthz`, app, 'app server');
  const postmasterPid = await findPostmaster(scratch.url);

  const menuPath = `/menu/${STORE_CODE}`;
  const checkoutPath = `/checkout/${STORE_CODE}`;
  const dashboardPath = '/admin/dashboards';
  let turn = 0;
  /** Idempotency keys sent, and those answered with a 302 to the payment page. */
  const sentKeys = new Set<string>();
  const placedKeys = new Set<string>();
  const checkoutRequest = (
    context: { key?: string } = {},
  ): { headers: Record<string, string>; body: string } => {
    const member = fixture.members[turn++ % fixture.members.length]!;
    const key = crypto.randomUUID();
    sentKeys.add(key);
    // one request at a time per connection: the answer that follows is this key's
    context.key = key;
    return {
      headers: {
        ...BROWSER_HEADERS,
        'content-type': 'application/x-www-form-urlencoded',
        origin,
        cookie: member.cookie,
      },
      body: new URLSearchParams({
        csrf: member.csrf,
        store_id: String(fixture.storeId),
        lines: fixture.linesJson,
        order_type: 'PICKUP',
        expected_final_amount: fixture.expectedFinal,
        idempotency_key: key,
      }).toString(),
    };
  };
  const placedOrder = (status: number, location: string | undefined) =>
    status === 302 && typeof location === 'string' && /^\/o\/[^/]+\/pay$/.test(location);

  // one request of each before any load: a setup mistake fails here, with the answer shown
  const documentBytes = new Map<string, number>();
  const smoke = async (
    label: ScenarioName,
    url: string,
    init: RequestInit,
    ok: (r: Response) => boolean,
  ) => {
    const res = await fetch(url, { ...init, redirect: 'manual' });
    const text = await res.text();
    if (!ok(res)) {
      throw new Error(
        `${label}: HTTP ${res.status} ${res.headers.get('location') ?? ''}\n${text.slice(0, 500)}`,
      );
    }
    // fetch decompresses: the size the server rendered
    documentBytes.set(label, Buffer.byteLength(text));
  };
  await smoke(
    'menu',
    `${origin}${menuPath}`,
    { headers: BROWSER_HEADERS },
    (r) => r.status === 200,
  );
  await smoke(
    'dashboard',
    `${origin}${dashboardPath}`,
    { headers: { ...BROWSER_HEADERS, cookie: fixture.adminCookie } },
    (r) => r.status === 200,
  );
  const first: { key?: string } = {};
  await smoke(
    'checkout',
    `${origin}${checkoutPath}`,
    { method: 'POST', ...checkoutRequest(first) },
    (r) => placedOrder(r.status, r.headers.get('location') ?? undefined),
  );
  placedKeys.add(first.key!);

  const scenarios: {
    name: Outcome['name'];
    label: string;
    url: string;
    expectedStatus: number;
    headers?: Record<string, string>;
    requests?: autocannon.Request[];
    serverPid: number | undefined;
    /** A cheap URL of the same server, for waitForQuiet. */
    quietUrl: string;
  }[] = [
    {
      name: 'hello',
      label: 'hello world (node:http)',
      url: `http://127.0.0.1:${helloPort}/`,
      expectedStatus: 200,
      serverPid: hello.child.pid,
      quietUrl: `http://127.0.0.1:${helloPort}/`,
    },
    {
      name: 'menu',
      label: `menu (GET ${menuPath})`,
      url: `${origin}${menuPath}`,
      expectedStatus: 200,
      headers: BROWSER_HEADERS,
      serverPid: app.child.pid,
      quietUrl: `${origin}/healthz`,
    },
    {
      name: 'checkout',
      label: `checkout (POST ${checkoutPath})`,
      url: origin,
      expectedStatus: 302,
      requests: [
        {
          method: 'POST',
          path: checkoutPath,
          setupRequest: (req, context) => ({ ...req, ...checkoutRequest(context) }),
          onResponse: (status, _body, context: { key?: string }, headers) => {
            if (placedOrder(status, headers?.location) && context.key) placedKeys.add(context.key);
          },
        },
      ],
      serverPid: app.child.pid,
      quietUrl: `${origin}/healthz`,
    },
    {
      name: 'dashboard',
      label: `dashboard (GET ${dashboardPath}, admin)`,
      url: `${origin}${dashboardPath}`,
      expectedStatus: 200,
      headers: { ...BROWSER_HEADERS, cookie: fixture.adminCookie },
      serverPid: app.child.pid,
      quietUrl: `${origin}/healthz`,
    },
  ];

  const outcomes: Outcome[] = [];
  for (const s of scenarios) {
    if (stopped) break;
    if (s.name !== 'hello' && args.only && !args.only.includes(s.name)) continue;
    const drive1 = (seconds: number) =>
      drive({
        url: s.url,
        connections: args.connections,
        seconds,
        expectedStatus: s.expectedStatus,
        headers: s.headers,
        requests: s.requests,
        serverPid: s.serverPid,
        postmasterPid,
      });
    if (args.warmup > 0) {
      note(`bench:http: ${s.label}: ${args.warmup} s warm-up…`);
      await drive1(args.warmup);
      await waitForQuiet(s.quietUrl);
    }
    if (stopped) break;
    note(`bench:http: ${s.label}: ${args.connections} connections, ${args.duration} s…`);
    outcomes.push({
      name: s.name,
      label: s.label,
      expectedStatus: s.expectedStatus,
      tally: await drive1(args.duration),
    });
    await waitForQuiet(s.quietUrl);
  }
  if (isInterrupted()) return 130;

  // Every 302 to a payment page must be an order in the database (smoke and warm-ups included).
  // autocannon drops the answers still in flight when a run ends; the server completes those
  // checkouts, so they are orders without an answer here, and must be keys that were sent.
  const { createDatabase } = await import('../db/database.server');
  const check = createDatabase(scratch.url, { max: 1 });
  const orders = await check.db
    .selectFrom('order')
    .where(
      'member_id',
      'in',
      fixture.members.map((m) => m.id),
    )
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const completed = await check.db
    .selectFrom('idempotency_record')
    .select('idempotency_key')
    .where('scope', '=', 'checkout')
    .where('status', '=', 'COMPLETED')
    .where('resource_type', '=', 'order')
    .execute();
  await check.db.destroy();
  const completedKeys = new Set(completed.map((r) => r.idempotency_key));
  const answeredWithoutOrder = [...placedKeys].filter((k) => !completedKeys.has(k)).length;
  const cutOff = [...completedKeys].filter((k) => !placedKeys.has(k));
  const unknownOrders = cutOff.filter((k) => !sentKeys.has(k)).length;
  const orderCheck =
    answeredWithoutOrder === 0 && unknownOrders === 0 && Number(orders.n) === completedKeys.size;
  const loadAfter = os.loadavg()[0]!;
  await runCleanup();
  const profiles = args.cpuProf
    ? fs
        .readdirSync(PROFILE_DIR)
        .filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${app.child.pid}.`))
        .map((f) => path.join(PROFILE_DIR, f))
    : [];

  const byName = new Map(outcomes.map((o) => [o.name, o]));
  const rate = (t: Tally) => t.answers / Math.max(t.seconds, 1e-9);
  const p = (t: Tally, q: number) => percentile(t.latencies, q);

  say(`HTTP load vs a node:http hello world — ${server.label}`);
  say(
    table([
      [
        'machine',
        `${os.cpus().length} CPUs, load average ${fixed(loadBefore, 1)} before, ${fixed(loadAfter, 1)} after`,
      ],
      [
        'load',
        `autocannon ${args.connections} keep-alive connections, ${args.duration} s per scenario ` +
          `after ${args.warmup} s warm-up, in this process`,
      ],
      [
        'app',
        `build/ of ${buildTime}, scripts/server.ts, NODE_ENV=${args.nodeEnv}, access log on, ` +
          `in-process workers off` +
          (args.nodeEnv === 'test'
            ? ', fake integrations wired (React and Remix in development mode)'
            : ', no integration wired (production refuses loopback fakes; none of the requests calls out)'),
      ],
      ['data', `demo seed, ${MEMBERS} extra members with sessions`],
    ]),
  );
  const errors: string[] = [];
  for (const o of outcomes) {
    const t = o.tally;
    const cpu = t.cpu;
    const per = (v: number) => ms(v / Math.max(1, t.answers));
    const server = o.name === 'hello' ? 'hello server' : 'app server';
    const rest = cpu.machineMs - cpu.ownMs - cpu.serverMs - (cpu.postgresMs || 0);
    const bad = errorCount(t);
    if (bad > 0) errors.push(`${o.name}: ${describeStatuses(t, o.expectedStatus)}`);
    if (t.answers === 0) errors.push(`${o.name}: no answer within the ${args.duration} s run`);
    say('');
    say(o.label);
    say(
      table([
        ['req/s', fixed(rate(t), 1)],
        [
          'answers',
          `${t.answers} in ${fixed(t.seconds, 1)} s (${t.ok} × HTTP ${o.expectedStatus}), ` +
            `${t.cutOff} still unanswered at the end (not in the percentiles)`,
        ],
        ['p50 / p95 / p99', `${ms(p(t, 50))} / ${ms(p(t, 95))} / ${ms(p(t, 99))}`],
        ['max', ms(t.latencies.at(-1) ?? Number.NaN)],
        [
          'bytes per answer',
          fixed(t.bytes / Math.max(1, t.answers), 0) +
            (documentBytes.has(o.name) && o.name !== 'checkout'
              ? ` (${fixed(documentBytes.get(o.name)! / 1024, 0)} KiB before compression)`
              : ''),
        ],
        ['errors', bad === 0 ? 'none' : `${bad}: ${describeStatuses(t, o.expectedStatus)}`],
        [
          'CPU per answer',
          `${server} ${per(cpu.serverMs)}, PostgreSQL ${per(cpu.postgresMs)}, ` +
            `load generator ${per(cpu.ownMs)}, rest of the machine ${per(rest)}`,
        ],
      ]),
    );
  }

  const helloOut = byName.get('hello');
  const menuOut = byName.get('menu');
  const ratio = helloOut && menuOut ? rate(menuOut.tally) / rate(helloOut.tally) : Number.NaN;
  const checks: [string, string][] = [];
  for (const name of ['menu', 'checkout', 'dashboard'] as const) {
    const o = byName.get(name);
    if (!o) continue;
    const p95 = p(o.tally, 95);
    checks.push([
      `${name} p95 < ${TARGETS_MS[name]} ms`,
      `${p95 < TARGETS_MS[name] ? 'PASS' : 'FAIL'} (${ms(p95)})`,
    ]);
  }
  const checkoutOut = byName.get('checkout');
  say('');
  say('checks');
  say(
    table([
      ...checks,
      [
        'orders placed',
        `${orders.n} in the database = ${placedKeys.size} answered 302 → /o/…/pay + ` +
          `${cutOff.length} whose answer was cut off at the end of a run ` +
          `(smoke, warm-ups and measured runs)${orderCheck ? '' : '  MISMATCH'}`,
      ],
      ['ratio menu / hello', fixed(ratio, 3)],
    ]),
  );
  if (profiles.length > 0) say(`\nCPU profile of the app server: ${profiles.join(', ')}`);
  if (!orderCheck) {
    errors.push(
      `orders do not match the answers: ${orders.n} orders, ${completedKeys.size} completed ` +
        `checkout keys, ${answeredWithoutOrder} answered 302 without an order, ` +
        `${unknownOrders} orders for keys never sent`,
    );
  }
  if (checkoutOut && checkoutOut.tally.ok === 0) errors.push('no checkout was placed');
  if (errors.length > 0) {
    say('');
    say('!!! THIS RUN HAD ERRORS: its numbers include failed requests !!!');
    for (const e of errors) say(`!!! ${e}`);
    note(`bench:http: the run had errors (${errors.length} kinds, above)`);
  }
  if (args.only && !args.only.includes('menu')) {
    note('bench:http: --only left out the menu: no ratio, no RATIO line');
    return errors.length > 0 ? 1 : 0;
  }
  if (!helloOut || !menuOut || helloOut.tally.answers === 0 || menuOut.tally.answers === 0) {
    note('nothing was measured: the run is not a measurement');
    return 1;
  }
  say(ratioLine('http', ratio, GOAL));
  return errors.length > 0 ? 1 : 0;
}

runBench('http', main);
