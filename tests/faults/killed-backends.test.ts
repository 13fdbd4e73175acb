import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import {
  alive,
  closeRig,
  consistencyProblems,
  keysWithoutExactlyOneOrder,
  newAttempt,
  openClaims,
  openRig,
  postCheckout,
  random,
  settle,
  sleep,
  startApp,
  type Attempt,
  type Outcome,
  type Rig,
} from './support';

/**
 * Fault (a), CF-3: concurrent customers check out over HTTP against the real server process while
 * another connection terminates every backend of the app (application_name 'ctea') once a
 * second. The process must never exit, every answer must be a normal one or a 503 (never a 500),
 * and afterwards the database must be all-or-nothing; retrying each unanswered checkout with its
 * own Idempotency-Key must end in exactly one order. Prints requests, 503 rate and recovery time.
 */
const PORT = 3153;
const CLIENTS = 8;
const DURATION_MS = Number(process.env.FAULT_SECONDS ?? 25) * 1000;
const KILL_EVERY_MS = 1000;

const rig: Rig = {};
let killer: pg.Client | undefined;

afterAll(async () => {
  await killer?.end().catch(() => {});
  await closeRig(rig);
});

interface Sent {
  attempt: Attempt;
  status: number;
  outcome: Outcome;
  doneAt: number;
}

it('survives killed backends under checkout load without a 500 or a half-written order', async () => {
  const { testDb, fakes, fixture } = await openRig(rig, PORT, CLIENTS * 4);
  const app = (rig.app = await startApp({ port: PORT, databaseUrl: testDb.url, env: fakes.env }));
  const storeCode = fixture.shop.store.code;

  killer = new pg.Client({ connectionString: testDb.url, application_name: 'ctea-fault-killer' });
  await killer.connect();

  const sent: Sent[] = [];
  const kills: { at: number; backends: number }[] = [];
  const reserved = new Set<number>();
  const stopAt = Date.now() + DURATION_MS;

  const client = async (n: number) => {
    const rnd = random(n + 1);
    const mine = fixture.customers.filter((_, i) => i % CLIENTS === n);
    let turn = 0;
    while (Date.now() < stopAt) {
      const attempt = newAttempt(fixture, mine[turn++ % mine.length]!, rnd, reserved);
      const { status, outcome } = await postCheckout(app!.base, storeCode, attempt);
      sent.push({ attempt, status, outcome, doneAt: Date.now() });
    }
  };
  const kill = async () => {
    while (Date.now() < stopAt) {
      await sleep(KILL_EVERY_MS);
      const { rowCount } = await killer!.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and application_name = 'ctea'`,
      );
      kills.push({ at: Date.now(), backends: rowCount ?? 0 });
    }
  };
  await Promise.all([kill(), ...Array.from({ length: CLIENTS }, (_, n) => client(n))]);

  expect(alive(app), app.output()).toBe(true);
  const statuses = new Map<number, number>();
  for (const s of sent) statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);
  const unexpected = sent.filter(
    (s) => s.outcome.kind === 'unexpected' || (s.status >= 500 && s.status !== 503),
  );
  const unavailable = sent.filter((s) => s.outcome.kind === 'unavailable').length;
  const refused = sent.filter((s) => s.outcome.kind === 'refused');
  const network = sent.filter((s) => s.outcome.kind === 'network');

  // recovery: from each kill to the next successful checkout
  const successes = sent
    .filter((s) => s.outcome.kind === 'order')
    .map((s) => s.doneAt)
    .sort((a, b) => a - b);
  const recoveries = kills
    .map((k) => successes.find((t) => t > k.at))
    .map((t, i) => (t === undefined ? null : t - kills[i]!.at))
    .filter((d): d is number => d !== null);
  const maxRecovery = Math.max(0, ...recoveries);

  // settle every checkout whose answer was not final, with its own key
  const unsettled = sent.filter((s) => s.outcome.kind !== 'order' && s.outcome.kind !== 'refused');
  const claimsBefore = await openClaims(testDb.db);
  const settled = await settle(
    app.base,
    storeCode,
    testDb.db,
    unsettled.map((s) => s.attempt),
  );
  for (const s of sent) if (!settled.has(s.attempt.key)) settled.set(s.attempt.key, s.outcome);

  const memberIds = fixture.customers.map((c) => c.memberId);
  const problems = await consistencyProblems(testDb.db, memberIds);
  const badKeys = await keysWithoutExactlyOneOrder(testDb.db, settled);
  const orders = [...settled.values()].filter((o) => o.kind === 'order').length;

  console.log(
    [
      `fault (a) killed backends: ${DURATION_MS / 1000} s, ${CLIENTS} clients, a kill every ${KILL_EVERY_MS} ms`,
      `  requests ${sent.length}, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      `  503: ${unavailable} (${((unavailable / sent.length) * 100).toFixed(2)} % of requests), ` +
        `connection errors ${network.length}, 5xx other than 503: ${unexpected.length}`,
      `  kills ${kills.length}, backends terminated ${kills.reduce((n, k) => n + k.backends, 0)}`,
      `  recovery (kill → next successful checkout): max ${maxRecovery} ms, ` +
        `median ${recoveries.sort((a, b) => a - b)[Math.floor(recoveries.length / 2)] ?? 0} ms`,
      `  claims left IN_PROGRESS before the retries: ${claimsBefore}; ` +
        `retried ${unsettled.length}; orders ${orders}; refusals ${refused.length}`,
    ].join('\n'),
  );

  expect(unexpected.map((s) => `${s.status} ${JSON.stringify(s.outcome)}`)).toEqual([]);
  expect(network.map((s) => JSON.stringify(s.outcome))).toEqual([]);
  expect(refused.map((s) => JSON.stringify(s.outcome))).toEqual([]);
  expect(kills.reduce((n, k) => n + k.backends, 0)).toBeGreaterThan(0);
  expect(unavailable).toBeGreaterThan(0);
  expect(successes.length).toBeGreaterThan(0);
  expect(problems).toEqual([]);
  expect(badKeys).toEqual([]);
  expect(await openClaims(testDb.db)).toBe(0);
  expect(alive(app), app.output()).toBe(true);
  expect(app.output()).not.toMatch(/"msg":"unhandled (server )?error"/);
});
