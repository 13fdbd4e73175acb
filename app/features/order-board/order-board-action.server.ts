import { parseWithZod } from '@conform-to/zod/v4';
import { json, type TypedResponse } from '@remix-run/node';
import type { Db } from '~db/database.server';
import type { StaffUser } from '~/auth/guards.server';
import type { OrderStatus } from '~/features/orders/order-status';
import {
  changeOrderStatus,
  retryRefund,
  type OrderBoardDeps,
  type OrderChangeResult,
} from './order-board.service.server';
import {
  ORDER_ACTION_INTENTS,
  orderActionSchema,
  RETRY_REFUND_INTENT,
  type OrderActionData,
} from './order-board.schema';
import { noticeOf, errorMessageOf } from './order-action-messages';

/**
 * The order board's form actions, shared by the board, history and order pages of /manage and
 * /admin. The caller has checked access (requireStoreAccess / requireRole) and CSRF. Refusals
 * come back as JSON with their status (400 input, 409 transition or refund refused, 503 no
 * payment client); an order outside the scope is a thrown 404 and a capability the role lacks a
 * thrown 403, as everywhere in the back office.
 */
export async function handleOrderAction(
  db: Db,
  input: {
    formData: FormData;
    user: StaffUser;
    /** /manage/$storeId: the verified store; absent on /admin pages. */
    storeId?: number;
    /** The order page's own order: the form cannot point the action at another one. */
    orderId?: number;
    requestId?: string | null;
    ip?: string | null;
  },
  deps: OrderBoardDeps = {},
): Promise<TypedResponse<OrderActionData>> {
  const { formData, user } = input;
  const intent = formData.get('intent');
  if (typeof intent !== 'string' || !(ORDER_ACTION_INTENTS as readonly string[]).includes(intent)) {
    return json<OrderActionData>(
      { ok: false, orderId: null, code: 'UNKNOWN_INTENT', message: 'orderBoard.error.invalid' },
      { status: 400 },
    );
  }
  if (input.orderId !== undefined) formData.set('orderId', String(input.orderId));
  const submission = parseWithZod(formData, { schema: orderActionSchema });
  if (submission.status !== 'success') {
    const reasonError = submission.error?.reason?.[0];
    return json<OrderActionData>(
      {
        ok: false,
        orderId: null,
        code: 'VALIDATION_FAILED',
        message:
          reasonError === 'orderBoard.error.reasonTooLong'
            ? 'orderBoard.error.reasonTooLong'
            : reasonError
              ? 'orderBoard.error.REASON_REQUIRED'
              : 'orderBoard.error.invalid',
        result: submission.reply(),
      },
      { status: 400 },
    );
  }

  const actor = {
    userId: user.id,
    role: user.role,
    storeIds: user.storeIds,
    requestId: input.requestId ?? null,
    ip: input.ip ?? null,
  };
  const value = submission.value;
  const result: OrderChangeResult =
    value.intent === RETRY_REFUND_INTENT
      ? await retryRefund(db, actor, { orderId: value.orderId, storeId: input.storeId }, deps)
      : await changeOrderStatus(
          db,
          actor,
          {
            orderId: value.orderId,
            to: value.to as OrderStatus,
            from: value.from as OrderStatus | undefined,
            reason: value.reason ?? null,
            storeId: input.storeId,
          },
          deps,
        );

  if (!result.ok) {
    if (result.code === 'NOT_FOUND') {
      throw new Response('Not Found', { status: 404, statusText: 'Not Found' });
    }
    if (result.code === 'FORBIDDEN') {
      throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' });
    }
    return json<OrderActionData>(
      {
        ok: false,
        orderId: value.orderId,
        code: result.code,
        message: errorMessageOf(result),
        ...(result.code === 'REASON_REQUIRED'
          ? {
              result: submission.reply({
                fieldErrors: { reason: ['orderBoard.error.REASON_REQUIRED'] },
              }),
            }
          : {}),
      },
      { status: result.status },
    );
  }
  const notice = noticeOf(value.intent, result);
  return json<OrderActionData>({
    ok: true,
    orderId: result.orderId,
    orderNumber: result.orderNumber,
    status: result.status,
    refund: result.refund,
    notice: notice.key,
    tone: notice.tone,
  });
}
