import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemberSession } from '~/auth/session.server';
import { action, loader } from '~/routes/o.$token.pay';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { createShop, type Shop } from '../../support/checkout';
import { contextFor, get, post, thrownResponse } from '../auth/helpers';
import {
  attempts,
  orderRow,
  placePaidOrder,
  startFakeYooKassa,
  useFakeYooKassaEnv,
  type FakeYooKassa,
} from './helpers';

/** /o/:token/pay (CK-4, PY-4, PY-5): only the order's member, then straight to the provider. */

let testDb: TestDatabase;
let yk: FakeYooKassa;
let shop: Shop;

beforeAll(async () => {
  testDb = await createTestDatabase();
  yk = await startFakeYooKassa();
  await useFakeYooKassaEnv(yk.url);
  shop = await createShop(testDb.db);
});
afterAll(async () => {
  await yk?.stop();
  await testDb?.destroy();
});
beforeEach(async () => {
  await yk.control.reset();
});

async function signedIn(memberId: number) {
  const session = await createMemberSession(testDb.db, { memberId });
  return `ctea_session=${session.token}`;
}

const path = (token: string) => `/o/${token}/pay`;

function callLoader(token: string, cookie?: string) {
  return loader({
    request: get(path(token), cookie),
    params: { token },
    context: contextFor(testDb),
  });
}

describe('/o/:token/pay', () => {
  it('sends an anonymous visitor to sign in and back', async () => {
    const { order } = await placePaidOrder(testDb.db, shop);
    const res = await thrownResponse(callLoader(order.public_token));
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe(
      `/signin?${new URLSearchParams({ redirectTo: path(order.public_token) })}`,
    );
  });

  it('answers 404 for someone else’s order and for a malformed or unknown token', async () => {
    const { order } = await placePaidOrder(testDb.db, shop);
    const { member: stranger } = await placePaidOrder(testDb.db, shop);
    const cookie = await signedIn(stranger.id);
    for (const token of [order.public_token, 'not-a-token', crypto.randomUUID()]) {
      const res = await thrownResponse(callLoader(token, cookie));
      expect(res.status, token).toBe(404);
    }
    expect(await attempts(testDb.db, order.id)).toEqual([
      expect.objectContaining({ provider_payment_id: null }),
    ]);
  });

  it('redirects the member to the provider’s confirmation page, then to the order once held', async () => {
    const { member, order } = await placePaidOrder(testDb.db, shop);
    const cookie = await signedIn(member.id);
    const res = (await callLoader(order.public_token, cookie)) as Response;
    expect(res.status).toBe(302);
    const [attempt] = await attempts(testDb.db, order.id);
    expect(res.headers.get('Location')).toBe(`${yk.url}/checkout/${attempt!.provider_payment_id}`);

    await yk.control.approve(attempt!.provider_payment_id!);
    const after = (await callLoader(order.public_token, cookie)) as Response;
    expect(after.status).toBe(302);
    expect(after.headers.get('Location')).toBe(`/o/${order.public_token}`);
    expect((await orderRow(testDb.db, order.id)).payment_status).toBe('WAITING_FOR_CAPTURE');
  });

  it('shows "try again" when the provider does not answer, and the POST retry needs the CSRF token', async () => {
    const { member, order } = await placePaidOrder(testDb.db, shop);
    const cookie = await signedIn(member.id);
    await yk.control.fault('payments.create', 'error');
    const res = (await callLoader(order.public_token, cookie)) as Response;
    expect(res.status).toBe(503);
    const data = (await res.json()) as { reason: string; token: string; csrfToken: string };
    expect(data).toMatchObject({ reason: 'unavailable', token: order.public_token });

    const forged = await thrownResponse(
      action({
        request: post(path(order.public_token), {}, { cookie }),
        params: { token: order.public_token },
        context: contextFor(testDb),
      }),
    );
    expect(forged.status).toBe(403);

    const retried = (await action({
      request: post(path(order.public_token), { csrf: data.csrfToken }, { cookie }),
      params: { token: order.public_token },
      context: contextFor(testDb),
    })) as Response;
    expect(retried.status).toBe(302);
    expect(retried.headers.get('Location')).toMatch(new RegExp(`^${yk.url}/checkout/`));
    expect((await yk.control.state()).payments).toHaveLength(1);
  });
});
