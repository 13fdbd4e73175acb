import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { ServerBuild } from '@remix-run/node';
import pg from 'pg';
import { migrateToLatest } from '../db/migrate';
import { sslSettings } from '../db/pool-config';
import { parseBenchArgs } from './lib/args';
import { cleanUpOnSignals, isInterrupted, onCleanup, runCleanup, runBench } from './lib/cleanup';
import { cpuSnapshot, type CpuSnapshot } from './lib/cpu';
import { fixed, ms, note, percentile, say, table } from './lib/format';
import { createScratchDatabase, openBenchServer } from './lib/server';

/**
 * `npm run bench:scans`: scan events per second through POST /api/v1/scans against the same
 * events written by a plain multi-row INSERT, on the same PostgreSQL server in the same run.
 *
 * Endpoint: the api.v1.scans route module served by the production HTTP stack — the Express app
 * of scripts/server.ts (request ids, access log, compression) and Remix's request handler — from
 * a one-route server build assembled here, so the benchmark needs no `npm run build`. Each
 * client is a device in a worker thread of its own (devices are other machines: their JSON work
 * must not run on the server's event loop) that POSTs 500-event batches over keep-alive HTTP with
 * the store's device key; 10 % of each batch are events it already sent (duplicates, OS-5), the
 * rest are new, spread over 20 codes, two thirds with an order amount (auto-match candidates,
 * OS-6).
 *
 * Baseline: the same batches, every event with a fresh id, as one `INSERT INTO offline_scan_log
 * … VALUES (…), …` without a conflict clause, one connection per client.
 *
 * Both kinds of client build their batches before each window opens (devices also serialise
 * them): generating test data is the load generator's work, not the server's or the database's,
 * and on a two-CPU machine it would otherwise be measured as theirs. The two alternate in rounds
 * whose order turns (endpoint first, then plain INSERT first), and every window starts right
 * after a checkpoint, so that table growth, checkpoints and machine noise fall on both alike. The
 * report splits the machine's CPU per 1,000 events between this process (server and devices, or
 * baseline clients) and the rest (PostgreSQL). The last line is
 * `RATIO scans <endpoint ÷ baseline> goal >= 0.7`.
 */

const USAGE = `usage: npm run bench:scans -- [--seconds N] [--clients N]
  --seconds  measured duration of each of the two runs (default 12, split over 2 rounds)
  --clients  concurrent devices, and baseline connections (default 4)`;
const GOAL = 0.7;
const BATCH = 500;
const DUPLICATE_SHARE = 0.1;
const CODES = 20;
const ROUNDS = 2;
const WARMUP_MS = 1_500;
/**
 * Batches each client builds before a window opens, per second of window and warm-up: more than
 * a client gets answered (about 20 a second here), so building them stays outside the measurement.
 */
const PREPARED_PER_SECOND = 40;
const EMBEDDED = {
  dataDir: fileURLToPath(new URL('../.data/pg-bench-scans', import.meta.url)),
  port: 54333,
};

// before the app modules load (they are imported in main): an access-log line per request
// would drown the report
process.env.LOG_LEVEL ??= 'warn';

interface ScanEvent {
  client_event_id: string;
  code: string;
  scan_type: 'POS' | 'CASHIER_APP' | 'QR';
  scanned_by: string;
  scanned_at: string;
  order_amount?: string;
}

interface Fixture {
  storeId: number;
  key: string;
  codes: { id: number; code: string }[];
}

/** A batch: 90 % new events and 10 % re-sent from `previous` (a device retrying). */
function makeBatch(fixture: Fixture, client: number, previous: ScanEvent[]): ScanEvent[] {
  const repeats = previous.length ? Math.round(BATCH * DUPLICATE_SHARE) : 0;
  const events: ScanEvent[] = [];
  for (let i = 0; i < BATCH - repeats; i++) {
    const n = crypto.randomInt(0, 1_000_000);
    events.push({
      client_event_id: crypto.randomUUID(),
      code: fixture.codes[n % CODES]!.code,
      scan_type: (['POS', 'POS', 'CASHIER_APP', 'QR'] as const)[n % 4]!,
      scanned_by: `bench-cashier-${client}-${n % 7}`,
      scanned_at: new Date(Date.now() - (n % 600) * 1000).toISOString(),
      ...(n % 3 === 0 ? {} : { order_amount: `${150 + (n % 300)}.00` }),
    });
  }
  for (let i = 0; i < repeats; i++) {
    const at = crypto.randomInt(0, events.length + 1);
    events.splice(at, 0, previous[crypto.randomInt(0, previous.length)]!);
  }
  return events;
}

/** `count` batches in sending order, each re-sending events of the one before (or of `last`). */
function prepareBatches(
  fixture: Fixture,
  client: number,
  count: number,
  last: ScanEvent[],
): ScanEvent[][] {
  const batches: ScanEvent[][] = [];
  for (let i = 0; i < count; i++) batches.push(makeBatch(fixture, client, batches.at(-1) ?? last));
  return batches;
}

interface Tally {
  events: number;
  /** Batches a client had to build inside the window because its prepared ones ran out. */
  improvised: number;
  batches: number;
  latencies: number[];
  accepted: number;
  duplicate: number;
  rejected: Map<string, number>;
  errors: Map<string, number>;
}

const newTally = (): Tally => ({
  events: 0,
  improvised: 0,
  batches: 0,
  latencies: [],
  accepted: 0,
  duplicate: 0,
  rejected: new Map(),
  errors: new Map(),
});

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** A measuring window in epoch milliseconds (shared by threads, unlike performance.now()). */
interface TimeWindow {
  from: number;
  to: number;
}

/** POST over a keep-alive connection; the answer's status and body text. */
function post(
  agent: http.Agent,
  url: URL,
  key: string,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        agent,
        method: 'POST',
        headers: {
          Authorization: `Bearer ${key}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * One device: batches back to back until the window closes; only answers inside it count. It
 * speaks plain HTTP/1.1 with keep-alive and no compression, like a till on the store's network,
 * so the device side costs little of the machine the server runs on.
 */
async function endpointClient(
  url: string,
  fixture: Fixture,
  client: number,
  window: TimeWindow,
  prepared: PreparedBatch[],
): Promise<{ counted: Tally; all: Tally; last: ScanEvent[] }> {
  const tally = newTally();
  const all = newTally();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  let previous: ScanEvent[] = [];
  try {
    while (Date.now() < window.to) {
      let batch = prepared.shift();
      if (!batch) {
        const events = makeBatch(fixture, client, previous);
        batch = { events, body: JSON.stringify({ events }) };
        all.improvised += 1;
        tally.improvised += 1;
      }
      const { events, body } = batch;
      const started = performance.now();
      const { status, text } = await post(agent, target, fixture.key, body);
      const elapsed = performance.now() - started;
      // a batch counts when its answer arrives inside the window (steady state: no edge bias)
      const finishedAt = Date.now();
      const counted = finishedAt >= window.from && finishedAt <= window.to;
      previous = events;
      if (status !== 200) {
        bump(all.errors, `HTTP ${status}`);
        if (counted) bump(tally.errors, `HTTP ${status}: ${text.slice(0, 200)}`);
        continue;
      }
      const { results } = JSON.parse(text) as {
        results: { result: string; reason?: string }[];
      };
      for (const t of counted ? [tally, all] : [all]) {
        for (const r of results) {
          if (r.result === 'accepted') t.accepted += 1;
          else if (r.result === 'duplicate') t.duplicate += 1;
          else bump(t.rejected, r.reason ?? 'unknown');
        }
      }
      if (counted) {
        tally.events += events.length;
        tally.batches += 1;
        tally.latencies.push(elapsed);
      }
    }
  } finally {
    agent.destroy();
  }
  return { counted: tally, all, last: previous };
}

/** A batch ready to send: its events and its JSON body. */
interface PreparedBatch {
  events: ScanEvent[];
  body: string;
}

interface DeviceData {
  role: 'device';
  url: string;
  fixture: Fixture;
  client: number;
}

type DeviceMessage = { prepare: number } | { run: TimeWindow };

/**
 * The worker side. `prepare`: builds and serialises that many batches, continuing the chain of
 * re-sent events, and answers 'prepared'. `run`: sends them through the window, reports.
 */
function runDeviceThread(data: DeviceData): void {
  let prepared: PreparedBatch[] = [];
  let last: ScanEvent[] = [];
  parentPort!.on('message', (message: DeviceMessage) => {
    if ('prepare' in message) {
      prepared = prepareBatches(data.fixture, data.client, message.prepare, last).map((events) => ({
        events,
        body: JSON.stringify({ events }),
      }));
      parentPort!.postMessage('prepared');
      return;
    }
    endpointClient(data.url, data.fixture, data.client, message.run, prepared).then(
      (result) => {
        last = result.last;
        prepared = [];
        parentPort!.postMessage({ counted: result.counted, all: result.all });
      },
      (err: unknown) => parentPort!.postMessage({ error: String(err) }),
    );
  });
  parentPort!.postMessage('ready');
}

/**
 * A worker thread's entry: this file again, through tsx's loader (worker threads do not inherit
 * the loader hooks of the main thread).
 */
const DEVICE_THREAD = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;

/** Devices in worker threads, started once and reused for every round. */
async function startDevices(url: string, fixture: Fixture, clients: number) {
  const workers = await Promise.all(
    Array.from({ length: clients }, (_, i) => {
      const worker = new Worker(DEVICE_THREAD, {
        eval: true,
        workerData: { role: 'device', url, fixture, client: i + 1 } satisfies DeviceData,
      });
      return new Promise<Worker>((resolve, reject) => {
        worker.once('message', () => resolve(worker));
        worker.once('error', reject);
      });
    }),
  );
  onCleanup('stop the device threads', async () => {
    await Promise.all(workers.map((w) => w.terminate()));
  });
  const ask = <T>(message: DeviceMessage) =>
    Promise.all(
      workers.map(
        (worker) =>
          new Promise<T>((resolve, reject) => {
            worker.once('message', (m: T | { error: string }) =>
              typeof m === 'object' && m !== null && 'error' in m
                ? reject(new Error(m.error))
                : resolve(m),
            );
            worker.postMessage(message);
          }),
      ),
    );
  return {
    prepare: (batches: number) => ask<'prepared'>({ prepare: batches }),
    run: (window: TimeWindow) => ask<{ counted: Tally; all: Tally }>({ run: window }),
  };
}

function addTally(into: Tally, from: Tally): void {
  into.events += from.events;
  into.improvised += from.improvised;
  into.batches += from.batches;
  into.latencies.push(...from.latencies);
  into.accepted += from.accepted;
  into.duplicate += from.duplicate;
  for (const [k, n] of from.rejected) into.rejected.set(k, (into.rejected.get(k) ?? 0) + n);
  for (const [k, n] of from.errors) into.errors.set(k, (into.errors.get(k) ?? 0) + n);
}

const COLUMNS = [
  'client_event_id',
  'campaign_code_id',
  'store_id',
  'scanned_by',
  'scan_type',
  'scanned_at',
  'order_amount',
] as const;

/** `INSERT … VALUES ($1, …, $7), … ($3494, …, $3500)`: one text, prepared once per connection. */
const PLAIN_INSERT = `INSERT INTO offline_scan_log (${COLUMNS.join(', ')}) VALUES ${Array.from(
  { length: BATCH },
  (_, row) => `(${COLUMNS.map((_, col) => `$${row * COLUMNS.length + col + 1}`).join(', ')})`,
).join(', ')}`;

/** The baseline client: the same batches, every id fresh, written without a conflict clause. */
async function baselineClient(
  pool: pg.Pool,
  fixture: Fixture,
  client: number,
  window: TimeWindow,
  prepared: ScanEvent[][],
  tally: Tally,
): Promise<void> {
  const codeIds = new Map(fixture.codes.map((c) => [c.code, c.id]));
  const connection = await pool.connect();
  try {
    while (Date.now() < window.to) {
      let events = prepared.shift();
      if (!events) {
        events = makeBatch(fixture, client, []);
        tally.improvised += 1;
      }
      const values = events.flatMap((e) => [
        e.client_event_id,
        codeIds.get(e.code)!,
        fixture.storeId,
        e.scanned_by,
        e.scan_type,
        e.scanned_at,
        e.order_amount ?? null,
      ]);
      const started = performance.now();
      try {
        await connection.query({ name: 'bench-plain-insert', text: PLAIN_INSERT, values });
      } catch (err) {
        bump(tally.errors, err instanceof Error ? err.message.slice(0, 200) : String(err));
        continue;
      }
      const elapsed = performance.now() - started;
      const finishedAt = Date.now();
      if (finishedAt >= window.from && finishedAt <= window.to) {
        tally.events += events.length;
        tally.batches += 1;
        tally.latencies.push(elapsed);
      }
    }
  } finally {
    connection.release();
  }
}

/** The store with a device key and an ACTIVE campaign with 20 codes. */
async function createFixture(url: string): Promise<Fixture> {
  const client = new pg.Client({ connectionString: url, ssl: sslSettings(process.env) });
  await client.connect();
  try {
    const key = crypto.randomBytes(32).toString('base64url');
    const hash = crypto.createHash('sha256').update(key).digest('hex');
    const store = await client.query<{ id: number }>(
      `INSERT INTO store (code, name_ru, address_ru, city, scan_api_key_hash)
       VALUES ('BENCH-01', 'Бенчмарк', 'Москва, ул. Тестовая, 1', 'Москва', $1) RETURNING id`,
      [hash],
    );
    const campaign = await client.query<{ id: number }>(
      `INSERT INTO campaign (code, name_ru, type, status, start_at, end_at, code_letter)
       VALUES ('BENCH', 'Бенчмарк', 'INFLUENCER', 'ACTIVE', now() - interval '1 day',
               now() + interval '30 days', 'B') RETURNING id`,
    );
    const codes: Fixture['codes'] = [];
    for (let i = 0; i < CODES; i++) {
      const influencer = await client.query<{ id: number }>(
        `INSERT INTO influencer (name) VALUES ($1) RETURNING id`,
        [`Блогер ${i + 1}`],
      );
      const code = `B${1000 + i}`;
      const row = await client.query<{ id: number }>(
        `INSERT INTO campaign_code (campaign_id, influencer_id, code) VALUES ($1, $2, $3) RETURNING id`,
        [campaign.rows[0]!.id, influencer.rows[0]!.id, code],
      );
      codes.push({ id: row.rows[0]!.id, code });
    }
    return { storeId: store.rows[0]!.id, key, codes };
  } finally {
    await client.end();
  }
}

/** Adds the CPU time spent inside a window (this process, the whole machine) to `into`. */
async function measureWindow(
  window: TimeWindow,
  into: { processMs: number; machineMs: number },
): Promise<void> {
  const sleepUntil = (t: number) =>
    new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, t - Date.now())));
  await sleepUntil(window.from);
  const from: CpuSnapshot = cpuSnapshot();
  await sleepUntil(window.to);
  const to = cpuSnapshot();
  into.processMs += to.processMs - from.processMs;
  into.machineMs += to.machineMs - from.machineMs;
}

type RouteModule = ServerBuild['routes'][string]['module'];

/** A server build holding only the scans route, for the production Express app. */
async function scansOnlyBuild(): Promise<ServerBuild> {
  // a module without a default export is a resource route, as the compiled one is
  const route = (await import('../app/routes/api.v1.scans')) as unknown as RouteModule;
  return {
    mode: 'production',
    entry: {
      module: { default: () => new Response('Not Found', { status: 404 }) },
    },
    routes: {
      root: { id: 'root', path: '', module: { default: () => null } },
      'routes/api.v1.scans': {
        id: 'routes/api.v1.scans',
        parentId: 'root',
        path: 'api/v1/scans',
        module: route,
      },
    },
    assets: {
      entry: { module: '', imports: [] },
      routes: {},
      url: '',
      version: 'bench',
    },
    publicPath: '/build/',
    assetsBuildDirectory: 'public/build',
    future: {
      v3_fetcherPersist: true,
      v3_relativeSplatPath: true,
      v3_throwAbortReason: true,
      v3_lazyRouteDiscovery: false,
      v3_singleFetch: false,
    },
    isSpaMode: false,
  };
}

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2), { seconds: 12, clients: 4 }, USAGE);
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

  const loadBefore = os.loadavg()[0]!;
  note('bench:scans: preparing the server and a scratch database…');
  const server = await openBenchServer(note, EMBEDDED);
  const scratch = await createScratchDatabase(server, 'scans');
  const { error } = await migrateToLatest(scratch.url);
  if (error) throw error;
  const fixture = await createFixture(scratch.url);

  // the app's process-wide pool (getDb) serves the route, as in production
  process.env.DATABASE_URL = scratch.url;
  const { parseEnv } = await import('../app/utils/env.server');
  const { createApp } = await import('../scripts/server');
  const { closeDb } = await import('../db/database.server');
  onCleanup('close the app pool', () => closeDb());
  const app = await createApp(await scansOnlyBuild(), parseEnv(process.env));
  const listening = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  onCleanup('stop the HTTP server', async () => {
    listening.closeAllConnections();
    await new Promise<void>((resolve) => listening.close(() => resolve()));
  });
  const endpoint = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/api/v1/scans`;

  const baselinePool = new pg.Pool({
    connectionString: scratch.url,
    max: args.clients,
    ssl: sslSettings(process.env),
    options: '-c TimeZone=UTC',
  });
  onCleanup('close the baseline pool', () => baselinePool.end());

  const devices = await startDevices(endpoint, fixture, args.clients);
  const endpointTally = newTally();
  const endpointAll = newTally();
  const baselineTally = newTally();
  const endpointCpu = { processMs: 0, machineMs: 0 };
  const baselineCpu = { processMs: 0, machineMs: 0 };
  let endpointSeconds = 0;
  let baselineSeconds = 0;
  const roundMs = (args.seconds * 1000) / ROUNDS;
  const clients = Array.from({ length: args.clients }, (_, i) => i + 1);
  // Every window starts right after a checkpoint. Otherwise whichever window a checkpoint falls
  // into pays for it, and for the full-page images of the index pages it then touches first;
  // with random UUID keys that is most of them.
  let checkpointRefused = false;
  const nextWindow = async (): Promise<TimeWindow> => {
    if (!checkpointRefused) {
      await baselinePool.query('CHECKPOINT').catch((err: unknown) => {
        checkpointRefused = true;
        note(`CHECKPOINT refused (${String(err)}): windows start wherever checkpoints fall`);
      });
    }
    const from = Date.now() + WARMUP_MS;
    return { from, to: from + roundMs };
  };

  // each client's batches are built before its window: a device's JSON work is another
  // machine's in production, and the baseline's batches are the same kind of data
  const preparedPerClient = Math.ceil(((roundMs + WARMUP_MS) / 1000) * PREPARED_PER_SECOND);
  const endpointRound = async (round: number) => {
    note(`bench:scans: round ${round}/${ROUNDS}: endpoint, ${args.clients} devices…`);
    await devices.prepare(preparedPerClient);
    const window = await nextWindow();
    const endpointRun = devices.run(window);
    void measureWindow(window, endpointCpu);
    for (const device of await endpointRun) {
      addTally(endpointTally, device.counted);
      addTally(endpointAll, device.all);
    }
    endpointSeconds += (window.to - window.from) / 1000;
  };
  const plainRound = async (round: number) => {
    note(`bench:scans: round ${round}/${ROUNDS}: plain INSERT, ${args.clients} connections…`);
    const batches = clients.map((c) =>
      Array.from({ length: preparedPerClient }, () => makeBatch(fixture, c, [])),
    );
    const window = await nextWindow();
    const baselineRun = Promise.all(
      clients.map((c, i) =>
        baselineClient(baselinePool, fixture, c, window, batches[i]!, baselineTally),
      ),
    );
    void measureWindow(window, baselineCpu);
    await baselineRun;
    baselineSeconds += (window.to - window.from) / 1000;
  };
  // The table grows with every window and a bigger table costs every write more, so the order
  // turns round: endpoint then plain INSERT, then plain INSERT then endpoint.
  for (let round = 1; round <= ROUNDS && !stopped; round++) {
    const order = round % 2 === 1 ? [endpointRound, plainRound] : [plainRound, endpointRound];
    for (const run of order) if (!stopped) await run(round);
  }
  if (isInterrupted()) return 130;

  // what the endpoint answered must be what the database holds
  const check = await baselinePool.query<{ repeats: string; scans: string }>(
    `SELECT (SELECT coalesce(sum(dup_count), 0) FROM offline_scan_log) AS repeats,
            (SELECT coalesce(sum(scan_count), 0) FROM campaign_code) AS scans`,
  );
  const held = check.rows[0]!;
  const loadAfter = os.loadavg()[0]!;
  await runCleanup();

  const endpointRate = endpointTally.events / endpointSeconds;
  const baselineRate = baselineTally.events / baselineSeconds;
  const ratio = endpointRate / baselineRate;
  const rejected = [...endpointTally.rejected].map(([r, n]) => `${r} × ${n}`).join(', ');
  const errors = [...endpointTally.errors, ...baselineTally.errors];
  for (const [message, n] of errors) note(`error × ${n}: ${message}`);
  const lat = (t: Tally) => {
    const sorted = t.latencies.sort((a, b) => a - b);
    return `${ms(percentile(sorted, 50))} / ${ms(percentile(sorted, 95))}`;
  };
  const cpuLine = (cpu: { processMs: number; machineMs: number }, events: number) => {
    const per = (v: number) => fixed((v / Math.max(1, events)) * 1000, 1);
    return (
      `${per(cpu.machineMs)} ms (this process ${per(cpu.processMs)}, ` +
      `PostgreSQL and the rest ${per(cpu.machineMs - cpu.processMs)})`
    );
  };
  const dupShare = endpointTally.duplicate / Math.max(1, endpointTally.events);

  say(`scan ingestion vs plain INSERT — ${server.label}`);
  say(
    table([
      [
        'machine',
        `${os.cpus().length} CPUs, load average ${fixed(loadBefore, 1)} before, ${fixed(loadAfter, 1)} after`,
      ],
      ['clients', `${args.clients} (devices in worker threads on keep-alive HTTP / connections)`],
      [
        'duration',
        `${fixed(endpointSeconds, 1)} s endpoint + ${fixed(baselineSeconds, 1)} s baseline, ` +
          `${ROUNDS} alternating rounds, ${WARMUP_MS / 1000} s warm-up each`,
      ],
      [
        'endpoint',
        `${endpointTally.batches} batches × ${BATCH}: ${endpointTally.accepted} accepted, ` +
          `${endpointTally.duplicate} duplicate (${fixed(dupShare * 100, 1)} %)` +
          (rejected ? `, rejected ${rejected}` : ''),
      ],
      [
        'batches built ahead',
        `${preparedPerClient} per client and round; built inside the window: ` +
          `${endpointAll.improvised} endpoint, ${baselineTally.improvised} plain INSERT`,
      ],
      ['endpoint events/s', fixed(endpointRate, 0)],
      ['endpoint batch p50 / p95', lat(endpointTally)],
      ['plain INSERT', `${baselineTally.batches} batches × ${BATCH}, fresh ids`],
      ['plain INSERT events/s', fixed(baselineRate, 0)],
      ['plain INSERT batch p50 / p95', lat(baselineTally)],
      [
        'database check',
        `Σ dup_count ${held.repeats} (answered duplicate: ${endpointAll.duplicate}), ` +
          `Σ scan_count ${held.scans} (answered accepted: ${endpointAll.accepted})`,
      ],
      [
        'CPU per 1,000 events',
        `endpoint ${cpuLine(endpointCpu, endpointTally.events)}; ` +
          `plain INSERT ${cpuLine(baselineCpu, baselineTally.events)}`,
      ],
      ['errors', errors.length === 0 ? 'none' : `${errors.length} kinds (stderr)`],
      ['ratio endpoint / plain INSERT', fixed(ratio, 3)],
    ]),
  );
  if (
    Number(held.repeats) !== endpointAll.duplicate ||
    Number(held.scans) !== endpointAll.accepted
  ) {
    note('warning: the database does not hold what the endpoint answered');
  }
  if (endpointTally.events === 0 || baselineTally.events === 0) {
    note('nothing was measured: the run is not a measurement');
    return 1;
  }
  say(`RATIO scans ${fixed(ratio, 3)} goal >= ${GOAL}`);
  return 0;
}

if (!isMainThread && (workerData as DeviceData | undefined)?.role === 'device') {
  runDeviceThread(workerData as DeviceData);
} else {
  runBench('scans', main);
}
