import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMenuImportHandler } from '~/features/iiko/iiko-jobs.server';
import { enqueueJob } from '~/features/jobs/job-queue.server';
import { runDueJobsOnce } from '~/features/jobs/worker.server';
import { clearIikoTokenCache, IikoError } from '~/integrations/iiko/iiko-client.server';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { clearQueue, getJob, getLogs, makeDue } from '../jobs/helpers';
import { DISHES, ORG_ID, SEED, setSetting, startFakeIiko, type FakeIiko } from './helpers';

/** The iiko client over real HTTP: token refresh (IK-1) and the retry policy (IK-4, IK-5). */

let testDb: TestDatabase;
let iiko: FakeIiko;

beforeAll(async () => {
  testDb = await createTestDatabase();
  iiko = await startFakeIiko();
});
afterAll(async () => {
  await iiko?.stop();
  await testDb?.destroy();
});
beforeEach(async () => {
  await iiko.control.reset();
  await clearQueue(testDb.db);
  clearIikoTokenCache();
  // the fake's current revision: every import answers "unchanged" quickly
  await setSetting(testDb.db, 'iiko.menu_revision', (await iiko.control.state()).revision);
});

const handlers = (timeoutMs?: number) => ({
  MENU_IMPORT: createMenuImportHandler({ client: () => iiko.client({ timeoutMs }) }),
});

async function enqueueImport() {
  const id = await enqueueJob(testDb.db, { type: 'MENU_IMPORT', resourceId: `org:${ORG_ID}` });
  return id!;
}

function runOnce(timeoutMs?: number) {
  return runDueJobsOnce(testDb.db, {
    workerId: 'iiko-retries',
    types: ['MENU_IMPORT'],
    handlers: handlers(timeoutMs),
  });
}

describe('client methods', () => {
  it('read the fake through the same schemas as iikoCloud', async () => {
    const client = iiko.client();
    const tg = SEED.terminalGroups[0]!.id;
    const other = '00000000-0000-4000-8000-000000000001';
    expect((await client.organizations()).data.organizations[0]!.id).toBe(ORG_ID);
    const groups = (await client.terminalGroups()).data.terminalGroups;
    expect(groups[0]!.items.map((t) => t.id)).toEqual(SEED.terminalGroups.map((t) => t.id));
    const alive = (await client.terminalGroupsAlive([tg, other])).data.isAliveStatus;
    expect(alive.map((a) => a.isAlive)).toEqual([true, false]);
    const menu = await client.nomenclature(0);
    expect(menu.data.products!.length).toBe(SEED.products.length);
    expect(menu.exchange.responseSummary).toContain('items]');
    const stop = await client.stopLists([tg]);
    expect(stop.data.terminalGroupStopLists[0]!.items[0]!.terminalGroupId).toBe(tg);

    const created = await client.createDelivery({
      terminalGroupId: tg,
      order: {
        id: crypto.randomUUID(),
        phone: '+79161234567',
        orderServiceType: 'DeliveryByClient',
        customer: { type: 'one-time', name: 'Тест' },
        items: [
          {
            type: 'Product',
            productId: DISHES[0]!.id,
            amount: 1,
            price: 100,
            positionId: crypto.randomUUID(),
            modifiers: [],
          },
        ],
      },
    });
    expect(created.data.orderInfo.creationStatus).toBe('InProgress');
    const status = await client.commandStatus(created.exchange.correlationId!);
    expect(status.data.state).toBe('InProgress');
    await client.deliveriesById([created.data.orderInfo.id]);
    const [done] = (await client.deliveriesById([created.data.orderInfo.id])).data;
    expect(done).toMatchObject({ creationStatus: 'Success' });
  });
});

describe('token (IK-1)', () => {
  it('is cached; an expired token mid-run is fetched again once and the call succeeds', async () => {
    const client = iiko.client();
    await client.organizations();
    await client.terminalGroups();
    expect((await iiko.control.state()).tokensIssued).toBe(1);

    await iiko.control.expireTokens();
    const id = await enqueueImport();
    const [run] = await runOnce();
    expect(run!.outcome).toMatchObject({ ok: true, result: { unchanged: true } });
    expect((await getJob(testDb.db, id)).status).toBe('COMPLETED');

    const state = await iiko.control.state();
    expect(state.tokensIssued).toBe(2);
    const calls = state.requests.filter((r) => r.path === '/api/1/nomenclature');
    expect(calls.map((r) => r.status)).toEqual([401, 200]);
    // IK-1: iiko's own limit travels with every call
    expect(calls.every((r) => r.timeout_header === '15')).toBe(true);
    const [log] = await getLogs(testDb.db, id);
    expect(log).toMatchObject({ attempt_number: 1, success: true, http_status: 200 });
    expect(log!.request_summary).not.toMatch(/Bearer|fake-iiko-login/);
  });

  it('a rejected login is a non-retryable failure', async () => {
    const { createIikoClient } = await import('~/integrations/iiko/iiko-client.server');
    const wrong = createIikoClient({ baseUrl: iiko.url, apiLogin: 'nope', organizationId: ORG_ID });
    const error = await wrong.organizations().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IikoError);
    expect(error).toMatchObject({ httpStatus: 401, retryable: false });
    expect((error as IikoError).exchange.requestSummary).not.toContain('nope');
  });
});

describe('retries (IK-4, IK-5)', () => {
  it('5xx: back to PENDING after the IK-5 backoff, one log row per attempt, then COMPLETED', async () => {
    const id = await enqueueImport();

    await iiko.control.fault({ path: '/api/1/nomenclature', status: 503 });
    const [first] = await runOnce();
    expect(first!.outcome).toMatchObject({ ok: false, retryable: true, httpStatus: 503 });
    let job = await getJob(testDb.db, id);
    expect(job).toMatchObject({ status: 'PENDING', attempt_count: 1 });
    let logs = await getLogs(testDb.db, id);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ attempt_number: 1, success: false, http_status: 503 });
    // the log row and the new next_run_at come from one statement: the same now()
    let delay = job.next_run_at.getTime() - logs[0]!.finished_at.getTime();
    expect(delay).toBeGreaterThanOrEqual(0.8 * 60_000);
    expect(delay).toBeLessThanOrEqual(1.2 * 60_000);
    // the job is not due yet
    expect(await runOnce()).toHaveLength(0);

    await makeDue(testDb.db, id);
    await iiko.control.fault({ path: '/api/1/nomenclature', status: 500 });
    await runOnce();
    job = await getJob(testDb.db, id);
    logs = await getLogs(testDb.db, id);
    expect(job).toMatchObject({ status: 'PENDING', attempt_count: 2 });
    delay = job.next_run_at.getTime() - logs[1]!.finished_at.getTime();
    expect(delay).toBeGreaterThanOrEqual(0.8 * 5 * 60_000);
    expect(delay).toBeLessThanOrEqual(1.2 * 5 * 60_000);

    await makeDue(testDb.db, id);
    const [last] = await runOnce();
    expect(last!.outcome.ok).toBe(true);
    expect((await getJob(testDb.db, id)).status).toBe('COMPLETED');
    logs = await getLogs(testDb.db, id);
    expect(logs.map((l) => [l.attempt_number, l.success, l.http_status])).toEqual([
      [1, false, 503],
      [2, false, 500],
      [3, true, 200],
    ]);
    expect(logs[0]!.error_code).toBe('HTTP_503');
  });

  it('a slow iiko beyond the client timeout is a retryable TIMEOUT; a 400 is not retryable', async () => {
    const id = await enqueueImport();
    await iiko.control.fault({ path: '/api/1/nomenclature', delay_ms: 1_500 });
    const [slow] = await runOnce(300);
    expect(slow!.outcome).toMatchObject({ ok: false, retryable: true, errorCode: 'TIMEOUT' });
    expect((await getJob(testDb.db, id)).status).toBe('PENDING');

    await makeDue(testDb.db, id);
    await iiko.control.fault({ path: '/api/1/nomenclature', status: 400 });
    const [bad] = await runOnce();
    expect(bad!.outcome).toMatchObject({ ok: false, retryable: false, httpStatus: 400 });
    expect(await getJob(testDb.db, id)).toMatchObject({ status: 'FAILED', attempt_count: 2 });
    expect(await getLogs(testDb.db, id)).toHaveLength(2);
  });
});
