import type { Db } from '~db/database.server';
import type { ClaimedJob, JobContext, JobHandler, JobOutcome } from '~/features/jobs/job-types';
import {
  completeAcceptedOrder,
  voidRejectedOrder,
  type ProviderCallOutcome,
} from '~/features/payments/payments.service.server';
import { createIikoOrderPush } from '~/features/iiko/order-push.server';
import { getOptionalIikoClient, isIikoConfigured } from '~/integrations/iiko/iiko-client.server';
import {
  getOptionalYooKassaClient,
  type YooKassaClient,
} from '~/integrations/yookassa/yookassa-client.server';
import { getEnv } from '~/utils/env.server';

/**
 * The ORDER_PUSH job (IK-2, IK-10, PY-8): hands a held (or free) order to the store's POS, then
 * lets the payment flow capture the hold — or, when the POS refuses for good, release it and void
 * the order.
 *
 * A store without an iiko terminal group, or a deployment without the iiko integration
 * (IIKO_API_BASE_URL, IIKO_API_LOGIN or IIKO_ORGANIZATION_ID unset), is not pushed: the order is
 * marked SKIPPED, which counts as accepted. The push itself is the `pushToIiko` dependency
 * (app/features/iiko/order-push.server.ts in the deployment); a handler built without one
 * refuses connected stores with the non-retryable IIKO_PUSH_UNAVAILABLE, so a hold is never
 * captured for an order the POS has not seen.
 */

export interface PushOrder {
  id: number;
  orderNumber: string;
  storeId: number;
  terminalGroupId: string;
  iikoOrderId: string;
}

/** The POS push of one order: accepted, or a failure classified as IK-4 describes. */
export type IikoPushOutcome =
  | { accepted: true; httpStatus?: number; requestSummary?: string; responseSummary?: string }
  | {
      accepted: false;
      retryable: boolean;
      errorCode: string;
      message: string;
      httpStatus?: number;
      requestSummary?: string;
      responseSummary?: string;
    };

export type IikoOrderPush = (ctx: JobContext, order: PushOrder) => Promise<IikoPushOutcome>;

export interface OrderPushDeps {
  /** The payments client (null when YooKassa is not configured: captures wait for the reconciler). */
  paymentsClient: () => YooKassaClient | null;
  /** Whether this deployment talks to iiko at all. */
  iikoConfigured: () => boolean;
  pushToIiko: IikoOrderPush | null;
}

interface OrderForPush {
  id: number;
  order_number: string;
  store_id: number;
  status: string;
  payment_status: string;
  iiko_sync_status: string;
  iiko_order_id: string;
  iiko_terminal_group_id: string | null;
}

async function getOrderForPush(db: Db, orderId: number): Promise<OrderForPush | undefined> {
  return db
    .selectFrom('order as o')
    .innerJoin('store as s', 's.id', 'o.store_id')
    .select([
      'o.id',
      'o.order_number',
      'o.store_id',
      'o.status',
      'o.payment_status',
      'o.iiko_sync_status',
      'o.iiko_order_id',
      's.iiko_terminal_group_id',
    ])
    .where('o.id', '=', orderId)
    .executeTakeFirst();
}

function orderIdOf(job: ClaimedJob): number | null {
  const match = /^order:(\d{1,10})$/.exec(job.resourceId);
  const id = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

function isFinalFailure(job: ClaimedJob, retryable: boolean): boolean {
  return !retryable || job.attemptCount >= job.maxAttempts;
}

function paymentSummary(outcome: ProviderCallOutcome | { result: string }): string {
  const parts = [`payment: ${outcome.result}`];
  if ('httpStatus' in outcome && outcome.httpStatus !== undefined)
    parts.push(`HTTP ${outcome.httpStatus}`);
  if ('code' in outcome) parts.push(`code ${outcome.code}`);
  if ('reason' in outcome) parts.push(`reason ${outcome.reason}`);
  return parts.join(', ');
}

export function createOrderPushHandler(deps: OrderPushDeps): JobHandler {
  return async (ctx) => {
    const { db, job, signal } = ctx;
    const orderId = orderIdOf(job);
    if (orderId === null)
      return {
        ok: false,
        retryable: false,
        errorCode: 'INVALID_RESOURCE',
        message: `not an order resource: ${job.resourceId}`,
      };
    const order = await getOrderForPush(db, orderId);
    if (!order)
      return {
        ok: false,
        retryable: false,
        errorCode: 'ORDER_NOT_FOUND',
        message: `order ${orderId} does not exist`,
      };
    const callCtx = { requestId: `job-${job.id}-${job.attemptCount}`, signal };
    const client = deps.paymentsClient();

    // a closed order needs no push; its hold (if any) was released with it
    if (order.status !== 'PENDING')
      return { ok: true, result: { order_status: order.status, pushed: false } };

    if (order.iiko_sync_status === 'FAILED') {
      const released = await voidRejectedOrder(
        db,
        client,
        { orderId, reason: 'iiko_push_failed' },
        callCtx,
      );
      return {
        ok: false,
        retryable: false,
        errorCode: 'IIKO_PUSH_FAILED',
        message: 'the POS refused this order earlier',
        responseSummary: paymentSummary(released),
      };
    }

    let iiko: 'SYNCED' | 'SKIPPED';
    let push: IikoPushOutcome = { accepted: true };
    if (order.iiko_sync_status === 'SYNCED' || order.iiko_sync_status === 'SKIPPED') {
      // a retry after a crash between the push and the capture
      iiko = order.iiko_sync_status;
    } else if (!order.iiko_terminal_group_id || !deps.iikoConfigured()) {
      iiko = 'SKIPPED';
    } else {
      push = deps.pushToIiko
        ? await deps.pushToIiko(ctx, {
            id: order.id,
            orderNumber: order.order_number,
            storeId: order.store_id,
            terminalGroupId: order.iiko_terminal_group_id,
            iikoOrderId: order.iiko_order_id,
          })
        : {
            accepted: false,
            retryable: false,
            errorCode: 'IIKO_PUSH_UNAVAILABLE',
            message: 'this build has no iiko order push; connected stores cannot take orders',
          };
      iiko = 'SYNCED';
    }

    if (!push.accepted) {
      const failure: JobOutcome = {
        ok: false,
        retryable: push.retryable,
        errorCode: push.errorCode,
        message: push.message,
        ...(push.httpStatus === undefined ? {} : { httpStatus: push.httpStatus }),
        ...(push.requestSummary ? { requestSummary: push.requestSummary } : {}),
        ...(push.responseSummary ? { responseSummary: push.responseSummary } : {}),
      };
      if (isFinalFailure(job, push.retryable)) {
        const released = await voidRejectedOrder(
          db,
          client,
          { orderId, reason: 'iiko_push_failed' },
          callCtx,
        );
        return {
          ...failure,
          responseSummary: [push.responseSummary, paymentSummary(released)]
            .filter(Boolean)
            .join('; '),
        };
      }
      return failure;
    }

    const settled = await completeAcceptedOrder(db, client, { orderId, iiko }, callCtx);
    return {
      ok: true,
      result: { iiko_sync_status: iiko, payment: settled.result },
      ...(push.httpStatus === undefined ? {} : { httpStatus: push.httpStatus }),
      requestSummary: [
        push.requestSummary ?? `order ${order.order_number}: iiko ${iiko}`,
        order.payment_status === 'WAITING_FOR_CAPTURE' ? 'capture the held payment' : null,
      ]
        .filter(Boolean)
        .join('; '),
      responseSummary: [push.responseSummary, paymentSummary(settled)].filter(Boolean).join('; '),
    };
  };
}

/** The deployment's handler: YooKassa and iiko from the environment. */
export const orderPushHandler: JobHandler = createOrderPushHandler({
  paymentsClient: getOptionalYooKassaClient,
  iikoConfigured: () => isIikoConfigured(getEnv()),
  pushToIiko: createIikoOrderPush({ client: getOptionalIikoClient }),
});
