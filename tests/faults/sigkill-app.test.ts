import { sql } from 'kysely';
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
  type AppProcess,
  type Attempt,
  type Outcome,
  type Rig,
} from './support';

/**
 * Fault (b): the app process is SIGKILLed at random moments while customers check out (so some
 * die inside placeOrder: before the claim, inside the transaction, between commit and answer),
 * then started again, several rounds. PostgreSQL rolls back what was not committed; afterwards
 * every order is whole, and re-sending each unanswered checkout with its own Idempotency-Key ends
 * in exactly one order (a committed one is replayed, a lost one placed afresh).
 */
const PORT = 3154;
const ROUNDS = Number(process.env.FAULT_ROUNDS ?? 5);
const CLIENTS = 6;

const rig: Rig = {};

afterAll(() => closeRig(rig));

interface Sent {
  attempt: Attempt;
  status: number;
  outcome: Outcome;
}

it('keeps every checkout all-or-nothing when the app is SIGKILLed in the middle of placeOrder', async () => {
  const { testDb, fakes, fixture } = await openRig(rig, PORT, CLIENTS * 4);
  let app: AppProcess;
  const storeCode = fixture.shop.store.code;
  const rnd = random(42);
  const reserved = new Set<number>();
  const sent: Sent[] = [];
  const cutPerRound: number[] = [];

  for (let round = 0; round < ROUNDS; round++) {
    app = rig.app = await startApp({ port: PORT, databaseUrl: testDb.url, env: fakes.env });
    let stop = false;
    let answered = 0;
    const inFlight = new Set<string>();
    const clients = Array.from({ length: CLIENTS }, async (_, n) => {
      const mine = fixture.customers.filter((_, i) => i % CLIENTS === n);
      const pick = random(round * 100 + n);
      let turn = 0;
      while (!stop) {
        const attempt = newAttempt(fixture, mine[turn++ % mine.length]!, pick, reserved);
        inFlight.add(attempt.key);
        const { status, outcome } = await postCheckout(app!.base, storeCode, attempt);
        inFlight.delete(attempt.key);
        sent.push({ attempt, status, outcome });
        answered += 1;
      }
    });
    // a random moment once checkouts are flowing, with all clients mid-request
    while (answered < CLIENTS) await sleep(20);
    await sleep(100 + Math.floor(rnd() * 900));
    stop = true;
    cutPerRound.push(inFlight.size);
    app.child.kill('SIGKILL');
    await app.exit;
    await Promise.all(clients);
  }

  // restarted once more: the survivors' view
  app = rig.app = await startApp({ port: PORT, databaseUrl: testDb.url, env: fakes.env });
  const claimsLeft = await openClaims(testDb.db);
  const unanswered = sent.filter((s) => s.outcome.kind !== 'order' && s.outcome.kind !== 'refused');
  // which of the cut-off requests had committed before the kill (their answer was lost)
  const { rows: committed } = await sql<{ idempotency_key: string }>`
    select idempotency_key from idempotency_record
    where scope = 'checkout' and status = 'COMPLETED'
      and idempotency_key in (${sql.join(unanswered.map((s) => s.attempt.key).concat(['-']))})
  `.execute(testDb.db);
  const settled = await settle(
    app.base,
    storeCode,
    testDb.db,
    unanswered.map((s) => s.attempt),
  );
  for (const s of sent) if (!settled.has(s.attempt.key)) settled.set(s.attempt.key, s.outcome);

  const memberIds = fixture.customers.map((c) => c.memberId);
  const problems = await consistencyProblems(testDb.db, memberIds);
  const badKeys = await keysWithoutExactlyOneOrder(testDb.db, settled);
  const orders = [...settled.values()].filter((o) => o.kind === 'order').length;
  const unexpected = sent.filter(
    (s) => s.outcome.kind === 'unexpected' || (s.status >= 500 && s.status !== 503),
  );
  const refused = sent.filter((s) => s.outcome.kind === 'refused');

  console.log(
    [
      `fault (b) SIGKILL of the app: ${ROUNDS} rounds, ${CLIENTS} clients`,
      `  requests ${sent.length}; cut off by a kill per round ${JSON.stringify(cutPerRound)} ` +
        `(${unanswered.length} unanswered in all)`,
      `  of those, committed before the kill (answer lost, replayed on retry): ${committed.length}; ` +
        `claims left IN_PROGRESS: ${claimsLeft}`,
      `  after the retries: orders ${orders}, refusals ${refused.length}, 5xx other than 503: ${unexpected.length}`,
    ].join('\n'),
  );

  expect(unanswered.length).toBeGreaterThan(0);
  expect(unexpected.map((s) => `${s.status} ${JSON.stringify(s.outcome)}`)).toEqual([]);
  expect(refused.map((s) => JSON.stringify(s.outcome))).toEqual([]);
  expect(problems).toEqual([]);
  expect(badKeys).toEqual([]);
  expect(orders).toBe(sent.length);
  expect(await openClaims(testDb.db)).toBe(0);
  expect(alive(app)).toBe(true);
});
