import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createYooKassaClient } from '~/integrations/yookassa/yookassa-client.server';
import {
  SECRET_KEY,
  SHOP_ID,
  startFakeYooKassa,
  startNotificationReceiver,
  waitFor,
  type FakeYooKassa,
} from './helpers';

/**
 * The fake YooKassa (PY-11) speaks the provider's protocol, checked through the app's real client:
 * Basic auth, Idempotence-Key semantics, statuses, the error body, the confirmation page and
 * notifications with retries.
 */

let yk: FakeYooKassa;
let receiver: Awaited<ReturnType<typeof startNotificationReceiver>>;
let answerStatus = 200;

beforeAll(async () => {
  receiver = await startNotificationReceiver(
    async () => new Response('{}', { status: answerStatus }),
  );
  yk = await startFakeYooKassa({ notifyUrl: receiver.url });
});
afterAll(async () => {
  await yk?.stop();
  await receiver?.stop();
});
beforeEach(async () => {
  await yk.control.reset();
  receiver.received.length = 0;
  answerStatus = 200;
});

const input = {
  amountKopecks: 35_000,
  returnUrl: 'http://shop.test/o/abc',
  description: 'Заказ P202601060001',
  metadata: { order_id: '1', order_number: 'P202601060001' },
};

describe('fake YooKassa protocol', () => {
  it('refuses wrong credentials with 401 invalid_credentials', async () => {
    const wrong = createYooKassaClient({ baseUrl: yk.url, shopId: SHOP_ID, secretKey: 'nope' });
    const result = await wrong.createPayment(input, 'k-1');
    expect(result).toMatchObject({
      ok: false,
      kind: 'rejected',
      httpStatus: 401,
      code: 'invalid_credentials',
    });
    expect((await yk.control.state()).payments).toEqual([]);
  });

  it('requires an Idempotence-Key on POST', async () => {
    const res = await fetch(`${yk.url}/payments`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${SHOP_ID}:${SECRET_KEY}`).toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ amount: { value: '1.00', currency: 'RUB' } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      type: 'error',
      code: 'invalid_request',
      parameter: 'Idempotence-Key',
    });
  });

  it('creates a pending two-stage payment with a confirmation URL; the same key replays it', async () => {
    const first = await yk.client.createPayment(input, 'ctea-1-create-1');
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.object).toMatchObject({
      status: 'pending',
      paid: false,
      amount: { value: '350.00', currency: 'RUB' },
      description: 'Заказ P202601060001',
      metadata: { order_id: '1', order_number: 'P202601060001' },
      confirmation: { type: 'redirect', confirmation_url: `${yk.url}/checkout/${first.object.id}` },
    });
    const again = await yk.client.createPayment(input, 'ctea-1-create-1');
    expect(again.ok && again.object.id).toBe(first.object.id);
    const other = await yk.client.createPayment(
      { ...input, amountKopecks: 100 },
      'ctea-1-create-1',
    );
    expect(other).toMatchObject({
      ok: false,
      kind: 'rejected',
      httpStatus: 400,
      code: 'invalid_request',
      description: 'Idempotence key duplicated',
    });
    expect((await yk.control.state()).payments).toHaveLength(1);
  });

  it('rejects an illegal body with 400 invalid_request naming the parameter', async () => {
    const result = await yk.client.createPayment({ ...input, amountKopecks: 0 }, 'k-zero');
    expect(result).toMatchObject({
      ok: false,
      kind: 'rejected',
      code: 'invalid_request',
      parameter: 'amount.value',
    });
  });

  it('reports injected 500s and timeouts as an unknown result', async () => {
    await yk.control.fault('payments.create', 'error');
    expect(await yk.client.createPayment(input, 'k-500')).toMatchObject({
      ok: false,
      kind: 'unknown',
      reason: 'server_error',
      httpStatus: 500,
    });
    const impatient = createYooKassaClient({
      baseUrl: yk.url,
      shopId: SHOP_ID,
      secretKey: SECRET_KEY,
      timeoutMs: 200,
    });
    await yk.control.fault('payments.get', 'delay', { delay_ms: 1_500 });
    const created = await yk.client.createPayment(input, 'k-500');
    if (!created.ok) throw new Error('create failed');
    expect(await impatient.getPayment(created.object.id)).toMatchObject({
      ok: false,
      kind: 'unknown',
      reason: 'timeout',
    });
    expect(await yk.client.getPayment('no-such-payment')).toMatchObject({
      ok: false,
      kind: 'rejected',
      httpStatus: 404,
      code: 'not_found',
    });
  });

  it('holds, captures and refunds; notifications reach the notify URL', async () => {
    const created = await yk.client.createPayment(input, 'k-flow');
    if (!created.ok) throw new Error('create failed');
    const id = created.object.id;
    await yk.control.approve(id);
    expect(await yk.client.getPayment(id)).toMatchObject({
      ok: true,
      object: { status: 'waiting_for_capture', paid: true },
    });

    const captured = await yk.client.capturePayment(id, 35_000, 'k-capture');
    expect(captured).toMatchObject({
      ok: true,
      object: { status: 'succeeded', amount: { value: '350.00' } },
    });
    expect(await yk.client.cancelPayment(id, 'k-cancel')).toMatchObject({
      ok: false,
      kind: 'rejected',
      httpStatus: 400,
    });

    const refund = await yk.client.createRefund(
      { paymentId: id, amountKopecks: 35_000 },
      'k-refund',
    );
    expect(refund).toMatchObject({
      ok: true,
      object: { status: 'succeeded', payment_id: id, amount: { value: '350.00' } },
    });
    if (!refund.ok) return;
    expect(await yk.client.getRefund(refund.object.id)).toMatchObject({
      ok: true,
      object: { status: 'succeeded' },
    });

    const events = await waitFor(
      async () => (receiver.received.length >= 3 ? receiver.received : false),
      { what: 'three notifications' },
    );
    expect(events.map((e) => (e as { event: string }).event)).toEqual([
      'payment.waiting_for_capture',
      'payment.succeeded',
      'refund.succeeded',
    ]);
    expect(events[0]).toMatchObject({
      type: 'notification',
      object: { id, status: 'waiting_for_capture' },
    });
  });

  it('cancels a hold at the merchant’s request and retries a notification answered with non-200', async () => {
    answerStatus = 503;
    const created = await yk.client.createPayment(input, 'k-void');
    if (!created.ok) throw new Error('create failed');
    await yk.control.approve(created.object.id);
    await waitFor(async () => receiver.received.length >= 2, { what: 'a re-delivery' });
    answerStatus = 200;
    const canceled = await yk.client.cancelPayment(created.object.id, 'k-void-cancel');
    expect(canceled).toMatchObject({
      ok: true,
      object: {
        status: 'canceled',
        cancellation_details: { party: 'merchant', reason: 'canceled_by_merchant' },
      },
    });
  });

  it('serves a Russian confirmation page whose buttons approve or decline and return the browser', async () => {
    const created = await yk.client.createPayment(input, 'k-page');
    if (!created.ok) throw new Error('create failed');
    const page = await fetch(`${yk.url}/checkout/${created.object.id}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('data-testid="yookassa-approve">Оплатить</button>');
    expect(html).toContain('data-testid="yookassa-decline">Отклонить</button>');
    expect(html).toContain('<option value="insufficient_funds" selected>');
    expect(html).toContain('350,00 ₽');

    const decline = await fetch(`${yk.url}/checkout/${created.object.id}/decline`, {
      method: 'POST',
      body: new URLSearchParams({ reason: 'card_expired' }),
      redirect: 'manual',
    });
    expect(decline.status).toBe(303);
    expect(decline.headers.get('location')).toBe('http://shop.test/o/abc');
    expect(await yk.client.getPayment(created.object.id)).toMatchObject({
      ok: true,
      object: {
        status: 'canceled',
        cancellation_details: { party: 'payment_network', reason: 'card_expired' },
      },
    });
  });

  it('auto-approves and auto-declines for load tests', async () => {
    await yk.control.autoApprove(true);
    const a = await yk.client.createPayment(input, 'k-auto-1');
    if (!a.ok) throw new Error('create failed');
    await waitFor(async () => {
      const r = await yk.client.getPayment(a.object.id);
      return r.ok && r.object.status === 'waiting_for_capture';
    });
    await yk.control.declineRate(1, 'fraud_suspected');
    const b = await yk.client.createPayment(input, 'k-auto-2');
    if (!b.ok) throw new Error('create failed');
    const declined = await waitFor(async () => {
      const r = await yk.client.getPayment(b.object.id);
      return r.ok && r.object.status === 'canceled' ? r.object : false;
    });
    expect(declined.cancellation_details).toMatchObject({ reason: 'fraud_suspected' });
  });
});
