import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/types.generated';
import { spawnFake, type RunningFake } from '../../../scripts/fakes/spawn';
import { runDueJobsOnce } from '~/features/jobs/worker.server';
import { createOrderPushHandler, type IikoOrderPush } from '~/features/orders/order-push.server';
import {
  createYooKassaClient,
  type YooKassaClient,
} from '~/integrations/yookassa/yookassa-client.server';
import { createMember } from '../../factories';
import { checkout, createShop, pickupBody, type Shop } from '../../support/checkout';
import type { TestDatabase } from '../../setup/test-database';

export const SHOP_ID = '100500';
export const SECRET_KEY = 'test_fake_secret_key';

/** The fake YooKassa process, a client pointed at it, and its control API. */
export interface FakeYooKassa {
  fake: RunningFake;
  url: string;
  client: YooKassaClient;
  control: ReturnType<typeof controlApi>;
  stop(): Promise<void>;
}

interface FakePaymentState {
  id: string;
  status: string;
  amount: { value: string; currency: string };
  metadata: Record<string, string>;
  cancellation_details?: { party: string; reason: string };
  confirmation?: { confirmation_url: string };
}

export interface FakeState {
  payments: FakePaymentState[];
  refunds: { id: string; payment_id: string; status: string; amount: { value: string } }[];
  requests: {
    method: string;
    path: string;
    endpoint: string | null;
    idempotence_key: string | null;
    status: number;
    fault: string | null;
    replayed: boolean;
  }[];
  notifications: { event: string; object_id: string; delivered: boolean; attempts: number }[];
}

function controlApi(url: string) {
  const post = async (path: string, body: unknown = {}) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  return {
    state: async () => (await (await fetch(`${url}/__control/state`)).json()) as FakeState,
    reset: () => post('/__control/reset'),
    fault: (endpoint: string, mode: string, extra: { count?: number; delay_ms?: number } = {}) =>
      post('/__control/faults', { endpoint, mode, ...extra }),
    approve: (id: string) => post(`/__control/payments/${id}/approve`),
    decline: (id: string, reason?: string) =>
      post(`/__control/payments/${id}/decline`, reason ? { reason } : {}),
    notify: (id: string) => post(`/__control/payments/${id}/notify`),
    notifyUrl: (target: string | null) => post('/__control/notify-url', { url: target }),
    autoApprove: (enabled: boolean) => post('/__control/auto-approve', { enabled }),
    declineRate: (rate: number, reason?: string) =>
      post('/__control/decline-rate', { rate, ...(reason ? { reason } : {}) }),
  };
}

export async function startFakeYooKassa(
  options: { notifyUrl?: string; timeoutMs?: number } = {},
): Promise<FakeYooKassa> {
  const fake = await spawnFake(
    'yookassa',
    options.notifyUrl ? { 'notify-url': options.notifyUrl } : {},
  );
  return {
    fake,
    url: fake.url,
    client: createYooKassaClient({
      baseUrl: fake.url,
      shopId: SHOP_ID,
      secretKey: SECRET_KEY,
      timeoutMs: options.timeoutMs ?? 5_000,
    }),
    control: controlApi(fake.url),
    stop: () => fake.stop(),
  };
}

/** Points the app's environment (getYooKassaClient, the allowlist) at the fake. */
export async function useFakeYooKassaEnv(url: string, notifyCidrs = '127.0.0.1/32,::1/128') {
  process.env.YOOKASSA_API_BASE_URL = url;
  process.env.YOOKASSA_SHOP_ID = SHOP_ID;
  process.env.YOOKASSA_SECRET_KEY = SECRET_KEY;
  process.env.YOOKASSA_NOTIFY_CIDRS = notifyCidrs;
  process.env.PUBLIC_BASE_URL = 'http://shop.test';
  const { resetEnvCache } = await import('~/utils/env.server');
  resetEnvCache();
}

/**
 * A local HTTP endpoint for the fake's notifications: every POST is handed to `handle` (the
 * webhook route in the tests) with the socket peer as the client address, and its answer is
 * returned to the fake.
 */
export async function startNotificationReceiver(
  handle: (request: Request, clientIp: string | null) => Promise<Response>,
): Promise<{ url: string; received: unknown[]; stop(): Promise<void> }> {
  const received: unknown[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        received.push(JSON.parse(text));
      } catch {
        received.push(text);
      }
      const request = new Request(`http://localhost:3000${req.url ?? '/'}`, {
        method: req.method,
        headers: { 'Content-Type': req.headers['content-type'] ?? 'application/json' },
        body: text,
      });
      const peer = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? null;
      handle(request, peer).then(
        async (response) => {
          res.writeHead(response.status, { 'Content-Type': 'application/json' });
          res.end(await response.text());
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/yookassa`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `check` until it returns a value other than undefined/false (no fixed sleeps). */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  { timeoutMs = 15_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A paid (final amount > 0) PICKUP order placed through the real checkout: PENDING, attempt 1. */
export async function placePaidOrder(db: Kysely<DB>, shop?: Shop) {
  const s = shop ?? (await createShop(db));
  const member = await createMember(db);
  const placed = await checkout(db, member.id, pickupBody(s, [{ product: 'cheap' }]));
  if (!('order' in placed.body)) throw new Error(`checkout failed: ${JSON.stringify(placed.body)}`);
  return { shop: s, member, order: placed.body.order };
}

export function orderPushHandlers(
  client: YooKassaClient | null,
  options: { iikoConfigured?: boolean; pushToIiko?: IikoOrderPush | null } = {},
) {
  return {
    ORDER_PUSH: createOrderPushHandler({
      paymentsClient: () => client,
      iikoConfigured: () => options.iikoConfigured ?? false,
      pushToIiko: options.pushToIiko ?? null,
    }),
  };
}

/** Runs the due ORDER_PUSH jobs with a handler talking to `client`. */
export function runOrderPushJobs(
  testDb: TestDatabase,
  client: YooKassaClient | null,
  options: Parameters<typeof orderPushHandlers>[1] = {},
) {
  return runDueJobsOnce(testDb.db, {
    workerId: 'payments-test',
    types: ['ORDER_PUSH'],
    handlers: orderPushHandlers(client, options),
  });
}

/**
 * Retires the ORDER_PUSH jobs earlier tests of the file left waiting, so each test runs only its
 * own (the fake is reset between tests, so old jobs would talk about payments it forgot).
 */
export async function retireWaitingJobs(db: Kysely<DB>) {
  await db
    .updateTable('iiko_sync_job')
    .set({ status: 'CANCELLED' })
    .where('status', '=', 'PENDING')
    .execute();
}

/** Runs the due ORDER_PUSH jobs and returns the run of `orderId`'s job. */
export async function runOrderPush(
  testDb: TestDatabase,
  client: YooKassaClient | null,
  orderId: number,
  options: Parameters<typeof orderPushHandlers>[1] = {},
) {
  const runs = await runOrderPushJobs(testDb, client, options);
  const run = runs.find((r) => r.job.resourceId === `order:${orderId}`);
  if (!run) throw new Error(`no ORDER_PUSH job ran for order ${orderId}`);
  return run;
}

export async function orderRow(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('order')
    .select(['id', 'status', 'payment_status', 'iiko_sync_status', 'cancel_reason', 'confirmed_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function attempts(db: Kysely<DB>, orderId: number, kind = 'PAYMENT') {
  return db
    .selectFrom('payment_transaction')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('kind', '=', kind)
    .orderBy('attempt_no')
    .execute();
}

export async function pushJobs(db: Kysely<DB>, orderId: number) {
  return db
    .selectFrom('iiko_sync_job')
    .select(['id', 'status', 'result', 'attempt_count'])
    .where('job_type', '=', 'ORDER_PUSH')
    .where('resource_id', '=', `order:${orderId}`)
    .execute();
}

/** The fake's payment for our attempt (by the provider id we stored). */
export async function fakePayment(yk: FakeYooKassa, providerId: string | null) {
  const state = await yk.control.state();
  return state.payments.find((p) => p.id === providerId);
}
