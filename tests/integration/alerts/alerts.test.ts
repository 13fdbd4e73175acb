import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '../../../db/types.generated';
import { currentAlertStates } from '~/features/alerts/alert-state.server';
import { evaluateDbAlerts, recordAlertState } from '~/features/alerts/alerts.service.server';
import { alertDedupeKey, alertWindowStart } from '~/features/alerts/rules';
import { periodicTasks } from '~/features/jobs/periodic.server';
import { runPeriodicTask } from '~/features/jobs/worker.server';
import { createIikoSyncJob, createOrder, createPaymentTransaction } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';

/**
 * DA-3 alert evaluation on real PostgreSQL: the DB rules at their threshold edges (rows seeded
 * directly), one audit_log row per transition, and one ALERT notification per firing — also when
 * evaluated repeatedly and by two evaluators on separate connections at once.
 */

const MIN = 60_000;
const CHAT = '-1001234567890';
let testDb: TestDatabase;
let db: Kysely<DB>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
});
afterAll(async () => {
  await testDb?.destroy();
});
beforeEach(async () => {
  await db.deleteFrom('notification').execute();
  await db.deleteFrom('payment_transaction').execute();
  await db.deleteFrom('iiko_sync_log').execute();
  await db.deleteFrom('audit_log').where('entity_type', '=', 'alert').execute();
  await setChat(CHAT);
});

async function setChat(value: string | number | null) {
  await db
    .updateTable('app_setting')
    .set({ value: JSON.stringify(value) })
    .where('key', '=', 'alerts.telegram_chat_id')
    .execute();
}

let attemptNo = 0;
/** PAYMENT attempts created `agoMs` before `now`: failed (FAILED) or succeeded (authorised). */
async function seedPayments(now: Date, { failed = 0, succeeded = 0, agoMs = MIN }) {
  const order = await createOrder(db);
  const createdAt = new Date(now.getTime() - agoMs);
  for (let i = 0; i < failed + succeeded; i++) {
    const ok = i >= failed;
    await createPaymentTransaction(db, order, {
      attempt_no: ++attemptNo,
      created_at: createdAt,
      ...(ok
        ? { status: 'CANCELED', authorized_at: createdAt, canceled_at: createdAt }
        : { status: 'FAILED', failed_at: createdAt, failure_code: 'insufficient_funds' }),
    });
  }
}

/** iiko attempts finished `agoMs` before `now`. */
async function seedIikoAttempts(now: Date, { failed = 0, ok = 0, agoMs = MIN }) {
  const job = await createIikoSyncJob(db);
  const at = new Date(now.getTime() - agoMs);
  for (let i = 0; i < failed + ok; i++) {
    await db
      .insertInto('iiko_sync_log')
      .values({
        job_id: job.id,
        attempt_number: i + 1,
        started_at: at,
        finished_at: at,
        duration_ms: 100,
        success: i >= failed,
        error_code: i >= failed ? null : 'HTTP_500',
      })
      .execute();
  }
}

async function transitions(rule: string) {
  return db
    .selectFrom('audit_log')
    .select(['action', 'actor_type', 'entity_id', 'after'])
    .where('entity_type', '=', 'alert')
    .where('entity_id', '=', rule)
    .orderBy('id')
    .execute();
}

async function alertNotifications() {
  return db
    .selectFrom('notification')
    .select(['type', 'recipient_type', 'chat_id', 'dedupe_key', 'text', 'status'])
    .where('type', '=', 'ALERT')
    .execute();
}

async function firing(rule: string) {
  const states = await currentAlertStates(db);
  return states.find((s) => s.rule === rule)!.firing;
}

describe('payment_failure_rate (P0)', () => {
  it('does not fire at exactly 5 % of 20 attempts and fires above it', async () => {
    const now = new Date();
    await seedPayments(now, { failed: 1, succeeded: 19 });
    expect(await evaluateDbAlerts(db, { now })).toMatchObject({
      payment_failure_rate: 'unchanged',
    });
    expect(await firing('payment_failure_rate')).toBe(false);

    await seedPayments(now, { failed: 1 });
    // 2 of 21 = 9.5 %
    expect(await evaluateDbAlerts(db, { now })).toMatchObject({ payment_failure_rate: 'fired' });
    const [row] = await transitions('payment_failure_rate');
    expect(row).toMatchObject({ action: 'alert.fire', actor_type: 'SYSTEM' });
    expect(row!.after).toEqual({ severity: 'P0', value: 2 / 21, threshold: 0.05, window: '15m' });
    const states = await currentAlertStates(db);
    expect(states.map((s) => s.rule)).toEqual([
      'payment_failure_rate',
      'iiko_sync_failures',
      'api_latency',
      'api_error_rate',
      'db_pool_saturation',
    ]);
    expect(states[0]).toMatchObject({
      severity: 'P0',
      firing: true,
      value: 2 / 21,
      threshold: 0.05,
    });
    expect(states[0]!.since).toBeInstanceOf(Date);
    expect(states[1]).toEqual({
      rule: 'iiko_sync_failures',
      severity: 'P1',
      firing: false,
      since: null,
      value: null,
      threshold: 3,
    });
  });

  it('needs 20 failed + succeeded attempts; abandoned ones and older ones do not count', async () => {
    const now = new Date();
    await seedPayments(now, { failed: 10, succeeded: 9 });
    await seedPayments(now, { failed: 5, succeeded: 5, agoMs: 15 * MIN + 1000 });
    const order = await createOrder(db);
    await createPaymentTransaction(db, order, {
      status: 'CANCELED',
      failure_code: 'expired_on_confirmation',
      canceled_at: now,
      created_at: new Date(now.getTime() - MIN),
    });
    expect(await evaluateDbAlerts(db, { now })).toMatchObject({
      payment_failure_rate: 'unchanged',
    });
    await seedPayments(now, { succeeded: 1 });
    expect(await evaluateDbAlerts(db, { now })).toMatchObject({ payment_failure_rate: 'fired' });
  });

  it('clears when the rate falls back to 5 %, with one clear row and no message', async () => {
    const now = new Date();
    await seedPayments(now, { failed: 2, succeeded: 18 });
    expect((await evaluateDbAlerts(db, { now })).payment_failure_rate).toBe('fired');
    await seedPayments(now, { succeeded: 20 });
    // 2 of 40 = 5 %
    expect((await evaluateDbAlerts(db, { now })).payment_failure_rate).toBe('cleared');
    expect((await evaluateDbAlerts(db, { now })).payment_failure_rate).toBe('unchanged');
    expect((await transitions('payment_failure_rate')).map((t) => t.action)).toEqual([
      'alert.fire',
      'alert.clear',
    ]);
    expect(await firing('payment_failure_rate')).toBe(false);
    expect(await alertNotifications()).toHaveLength(1);
  });
});

describe('iiko_sync_failures (P1)', () => {
  it('fires above 3 failed attempts in 60 min and clears when they age out', async () => {
    const now = new Date();
    await seedIikoAttempts(now, { failed: 3, ok: 10 });
    await seedIikoAttempts(now, { failed: 5, agoMs: 60 * MIN + 1000 });
    expect((await evaluateDbAlerts(db, { now })).iiko_sync_failures).toBe('unchanged');

    await seedIikoAttempts(now, { failed: 1, agoMs: 59 * MIN });
    expect((await evaluateDbAlerts(db, { now })).iiko_sync_failures).toBe('fired');
    const [row] = await transitions('iiko_sync_failures');
    expect(row!.after).toEqual({ severity: 'P1', value: 4, threshold: 3, window: '60m' });

    // two minutes later the oldest failure is out of the window: 3 left
    const later = new Date(now.getTime() + 2 * MIN);
    expect((await evaluateDbAlerts(db, { now: later })).iiko_sync_failures).toBe('cleared');
    expect(await firing('iiko_sync_failures')).toBe(false);
  });
});

describe('ALERT notifications', () => {
  it('one firing queues exactly one message even when evaluated 5 times', async () => {
    const now = new Date();
    await seedPayments(now, { failed: 5, succeeded: 20 });
    const results = [];
    for (let i = 0; i < 5; i++)
      results.push((await evaluateDbAlerts(db, { now })).payment_failure_rate);
    expect(results).toEqual(['fired', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(await transitions('payment_failure_rate')).toHaveLength(1);
    const messages = await alertNotifications();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      type: 'ALERT',
      recipient_type: 'ADMIN_CHAT',
      chat_id: CHAT,
      status: 'PENDING',
      dedupe_key: alertDedupeKey('payment_failure_rate', now),
    });
    expect(messages[0]!.dedupe_key).toBe(
      `alert:payment_failure_rate:${alertWindowStart(now).toISOString()}`,
    );
    expect(messages[0]!.text).toContain('P0');
    expect(messages[0]!.text).toContain('20.0 %');
  });

  it('two evaluators on separate connections record one transition and one message', async () => {
    const now = new Date();
    await seedPayments(now, { failed: 5, succeeded: 20 });
    const evaluators = [0, 1].map(
      () => new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(2) }) }),
    );
    try {
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all(
          evaluators.map((e) => evaluateDbAlerts(e, { now }).then((r) => r.payment_failure_rate)),
        );
        expect(results.filter((r) => r === 'fired')).toHaveLength(round === 0 ? 1 : 0);
      }
    } finally {
      await Promise.all(evaluators.map((e) => e.destroy()));
    }
    expect(await transitions('payment_failure_rate')).toHaveLength(1);
    expect(await alertNotifications()).toHaveLength(1);
  });

  it('an in-process rule fired by two processes at once records one transition', async () => {
    const now = new Date();
    const evaluators = [0, 1].map(
      () => new Kysely<DB>({ dialect: new PostgresDialect({ pool: testDb.newPool(2) }) }),
    );
    try {
      const obs = { rule: 'api_error_rate' as const, firing: true, value: 0.05 };
      const results = await Promise.all(
        [...evaluators, ...evaluators].map((e) => recordAlertState(e, obs, { now })),
      );
      expect(results.sort()).toEqual(['fired', 'unchanged', 'unchanged', 'unchanged']);
      const cleared = await Promise.all(
        evaluators.map((e) =>
          recordAlertState(e, { rule: 'api_error_rate', firing: false, value: 0 }, { now }),
        ),
      );
      expect(cleared.sort()).toEqual(['cleared', 'unchanged']);
    } finally {
      await Promise.all(evaluators.map((e) => e.destroy()));
    }
    expect((await transitions('api_error_rate')).map((t) => t.action)).toEqual([
      'alert.fire',
      'alert.clear',
    ]);
    expect(await alertNotifications()).toHaveLength(1);
  });

  it('firing again inside the same 30-min window sends nothing new; the next window does', async () => {
    const now = new Date(Date.UTC(2026, 10, 26, 12, 1));
    const obs = { rule: 'api_latency' as const, firing: true, value: 3 };
    expect(await recordAlertState(db, obs, { now })).toBe('fired');
    expect(await recordAlertState(db, { ...obs, firing: false }, { now })).toBe('cleared');
    expect(await recordAlertState(db, obs, { now: new Date(now.getTime() + 20 * MIN) })).toBe(
      'fired',
    );
    expect(await alertNotifications()).toHaveLength(1);
    expect(await recordAlertState(db, { ...obs, firing: false }, { now })).toBe('cleared');
    expect(await recordAlertState(db, obs, { now: new Date(now.getTime() + 30 * MIN) })).toBe(
      'fired',
    );
    expect((await alertNotifications()).map((n) => n.dedupe_key).sort()).toEqual([
      'alert:api_latency:2026-11-26T12:00:00.000Z',
      'alert:api_latency:2026-11-26T12:30:00.000Z',
    ]);
  });

  it('queues no message when alerts.telegram_chat_id is null, but still records the state', async () => {
    await setChat(null);
    const now = new Date();
    await seedPayments(now, { failed: 5, succeeded: 20 });
    expect((await evaluateDbAlerts(db, { now })).payment_failure_rate).toBe('fired');
    expect(await firing('payment_failure_rate')).toBe(true);
    expect(await alertNotifications()).toHaveLength(0);
  });
});

describe('the alerts.evaluate periodic task', () => {
  it('runs every minute by default and evaluates the DB rules under its lock', async () => {
    const task = periodicTasks.find((t) => t.name === 'alerts.evaluate')!;
    expect(task.everyMs).toBe(60_000);
    await seedPayments(new Date(), { failed: 5, succeeded: 20 });
    const result = await runPeriodicTask(db, task, new AbortController().signal);
    expect(result).toBe('ran');
    expect(await firing('payment_failure_rate')).toBe(true);
    expect(await alertNotifications()).toHaveLength(1);
  });
});
