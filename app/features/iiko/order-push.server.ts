import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '~db/database.server';
import type { IikoOrderPush, IikoPushOutcome } from '~/features/orders/order-push.server';
import {
  IikoError,
  type IikoClient,
  type IikoDeliveryOrder,
  type IikoExchange,
  type IikoOrderInfo,
} from '~/integrations/iiko/iiko-client.server';
import { getStringSettings } from '~/features/settings/app-settings.server';
import { fromDecimal } from '~/utils/money';
import { joinSummaries, kopecksToRubles } from './iiko-outcome.server';

/**
 * The iiko half of ORDER_PUSH (IK-10): `deliveries/create` with our order UUID as iiko's order id,
 * then `deliveries/by_id` until iiko reports the creation's result (up to 30 s). Plugged into the
 * handler of app/features/orders/order-push.server.ts, which captures or releases the payment.
 *
 * - Lines or options without iiko ids: IIKO_MAPPING_MISSING before any call (non-retryable).
 * - `DuplicatedOrderId`: an earlier attempt already created the order; read it and go on.
 * - creationStatus Error or one of iiko's business error codes: non-retryable.
 * - Still InProgress after the poll window, network errors, timeouts, 408/429/5xx: retryable.
 */

/** iiko error codes a retry cannot fix, whatever HTTP status carried them. */
export const NON_RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'ProductNotFound',
  'ProductSizeNotFound',
  'ProductGroupNotFound',
  'PaymentTypeNotFound',
  'InvalidPhone',
  'TerminalGroupDisabled',
  'TerminalGroupUnregistered',
  'PaymentSumShouldBePositive',
  'RequestProductPriceIsNotEqualToFrontPrice',
  'PaymentTypeCanNotBeUsedAsExternal',
  'OrderItemsNotExists',
  'CustomerNameNotSpecified',
  'OrganizationUnregistered',
  'OrganizationDisabled',
  'IncorrectOrderType',
  'Incorrect',
]);

export interface IikoOrderPushOptions {
  client: () => IikoClient | null;
  /** Pause between `deliveries/by_id` reads (default 1 s). */
  pollIntervalMs?: number;
  /** How long to wait for a final creationStatus (IK-10: 30 s). */
  pollTimeoutMs?: number;
}

export interface PushData {
  order: {
    iiko_order_id: string;
    order_number: string;
    order_type: string;
    customer_phone: string;
    customer_name: string | null;
    final_amount: string;
    discount_amount: string;
    delivery_address: string | null;
    delivery_note: string | null;
    delivery_latitude: string | null;
    delivery_longitude: string | null;
    campaign_code: string | null;
  };
  items: {
    id: number;
    line_no: number;
    iiko_product_id: string | null;
    quantity: number;
    unit_price: string;
    position_id: string;
  }[];
  options: {
    order_item_id: number;
    iiko_modifier_id: string | null;
    iiko_group_id: string | null;
    price_delta: string;
    item_code: string;
  }[];
  paymentTypeId: string | null;
  discountTypeId: string | null;
}

async function loadPushData(db: Db, orderId: number): Promise<PushData | null> {
  const order = await db
    .selectFrom('order as o')
    .leftJoin('campaign_code as cc', 'cc.id', 'o.campaign_code_id')
    .select([
      'o.iiko_order_id',
      'o.order_number',
      'o.order_type',
      'o.customer_phone',
      'o.customer_name',
      'o.final_amount',
      'o.discount_amount',
      'o.delivery_address',
      'o.delivery_note',
      'o.delivery_latitude',
      'o.delivery_longitude',
      'cc.code as campaign_code',
    ])
    .where('o.id', '=', orderId)
    .executeTakeFirst();
  if (!order) return null;
  const items = await db
    .selectFrom('order_item')
    .select(['id', 'line_no', 'iiko_product_id', 'quantity', 'unit_price', 'position_id'])
    .where('order_id', '=', orderId)
    .orderBy('line_no')
    .execute();
  const options =
    items.length === 0
      ? []
      : await db
          .selectFrom('order_item_option')
          .select([
            'order_item_id',
            'iiko_modifier_id',
            'iiko_group_id',
            'price_delta',
            'item_code',
          ])
          .where(
            'order_item_id',
            'in',
            items.map((i) => i.id),
          )
          .orderBy('id')
          .execute();
  const settings = await getStringSettings(db, ['iiko.payment_type_id', 'iiko.discount_type_id']);
  return {
    order,
    items,
    options,
    paymentTypeId: settings['iiko.payment_type_id'],
    discountTypeId: settings['iiko.discount_type_id'],
  };
}

type Built = { ok: true; order: IikoDeliveryOrder } | { ok: false; code: string; message: string };

/** The `deliveries/create` order of IK-10, or why it cannot be built. */
export function buildDeliveryOrder(data: PushData): Built {
  const { order } = data;
  const unmapped = data.items.filter((i) => !i.iiko_product_id).map((i) => `line ${i.line_no}`);
  for (const o of data.options)
    if (!o.iiko_modifier_id) unmapped.push(`option ${o.item_code} of item ${o.order_item_id}`);
  if (unmapped.length > 0)
    return {
      ok: false,
      code: 'IIKO_MAPPING_MISSING',
      message: `no iiko id for ${unmapped.slice(0, 10).join(', ')}`,
    };
  const finalAmount = fromDecimal(order.final_amount);
  const discount = fromDecimal(order.discount_amount);
  if (finalAmount > 0 && !data.paymentTypeId)
    return {
      ok: false,
      code: 'IIKO_PAYMENT_TYPE_MISSING',
      message: 'setting iiko.payment_type_id is not set',
    };
  if (discount > 0 && !data.discountTypeId)
    return {
      ok: false,
      code: 'IIKO_DISCOUNT_TYPE_MISSING',
      message: 'setting iiko.discount_type_id is not set',
    };

  const delivery = order.order_type === 'DELIVERY';
  const built: IikoDeliveryOrder = {
    id: order.iiko_order_id,
    externalNumber: order.order_number,
    phone: order.customer_phone,
    orderServiceType: delivery ? 'DeliveryByCourier' : 'DeliveryByClient',
    ...(delivery
      ? {
          // shape to be confirmed on a real stand (docs/decisions/0015-iiko-integration.md)
          deliveryPoint: {
            coordinates: {
              latitude: order.delivery_latitude === null ? null : Number(order.delivery_latitude),
              longitude:
                order.delivery_longitude === null ? null : Number(order.delivery_longitude),
            },
            address: { type: 'legacy', line1: order.delivery_address ?? '' },
            comment: order.delivery_note ?? null,
          },
        }
      : {}),
    customer: { type: 'one-time', name: order.customer_name?.trim() || order.order_number },
    items: data.items.map((item) => ({
      type: 'Product' as const,
      productId: item.iiko_product_id!,
      amount: item.quantity,
      price: kopecksToRubles(fromDecimal(item.unit_price)),
      positionId: item.position_id,
      modifiers: data.options
        .filter((o) => o.order_item_id === item.id)
        .map((o) => ({
          productId: o.iiko_modifier_id!,
          amount: 1,
          ...(o.iiko_group_id ? { productGroupId: o.iiko_group_id } : {}),
          price: kopecksToRubles(fromDecimal(o.price_delta)),
        })),
    })),
    ...(finalAmount > 0
      ? {
          payments: [
            {
              paymentTypeKind: 'External' as const,
              sum: kopecksToRubles(finalAmount),
              paymentTypeId: data.paymentTypeId!,
              isProcessedExternally: true as const,
            },
          ],
        }
      : {}),
    ...(discount > 0
      ? {
          discountsInfo: {
            discounts: [
              {
                type: 'RMS' as const,
                discountTypeId: data.discountTypeId!,
                sum: kopecksToRubles(discount),
              },
            ],
          },
        }
      : {}),
    externalData: [
      { key: 'ctea_order_number', value: order.order_number },
      ...(order.campaign_code ? [{ key: 'campaign_code', value: order.campaign_code }] : []),
    ],
  };
  return { ok: true, order: built };
}

function failed(
  code: string,
  message: string,
  retryable: boolean,
  exchanges: IikoExchange[],
): IikoPushOutcome {
  return { accepted: false, retryable, errorCode: code, message, ...joinSummaries(exchanges) };
}

function fromError(err: unknown, exchanges: IikoExchange[]): IikoPushOutcome {
  if (!(err instanceof IikoError)) throw err;
  const retryable = err.retryable && !NON_RETRYABLE_CODES.has(err.code);
  return failed(err.code, err.message, retryable, [...exchanges, err.exchange]);
}

function outcomeOf(info: IikoOrderInfo, exchanges: IikoExchange[]): IikoPushOutcome | null {
  if (info.creationStatus === 'Success') return { accepted: true, ...joinSummaries(exchanges) };
  if (info.creationStatus === 'Error') {
    const code = info.errorInfo?.code || 'IIKO_CREATION_ERROR';
    const text = info.errorInfo?.description || info.errorInfo?.message || code;
    return failed(code, `iiko refused the order: ${text}`, false, exchanges);
  }
  return null;
}

export function createIikoOrderPush({
  client: getClient,
  pollIntervalMs = 1_000,
  pollTimeoutMs = 30_000,
}: IikoOrderPushOptions): IikoOrderPush {
  return async ({ db, signal }, pushOrder) => {
    const client = getClient();
    if (!client) return failed('IIKO_NOT_CONFIGURED', 'iiko is not configured', false, []);
    const data = await loadPushData(db, pushOrder.id);
    if (!data) return failed('ORDER_NOT_FOUND', `order ${pushOrder.id} does not exist`, false, []);
    const built = buildDeliveryOrder(data);
    if (!built.ok) return failed(built.code, built.message, false, []);

    const exchanges: IikoExchange[] = [];
    try {
      const created = await client.createDelivery(
        { terminalGroupId: pushOrder.terminalGroupId, order: built.order },
        { signal },
      );
      exchanges.push(created.exchange);
      const done = outcomeOf(created.data.orderInfo, exchanges);
      if (done) return done;
    } catch (err) {
      // an earlier attempt created it (and then lost its result): read it like a fresh one
      if (!(err instanceof IikoError && err.code === 'DuplicatedOrderId'))
        return fromError(err, exchanges);
      exchanges.push(err.exchange);
    }

    const deadline = Date.now() + pollTimeoutMs;
    let lastRead: IikoExchange | null = null;
    for (;;) {
      try {
        await sleep(pollIntervalMs, undefined, { signal });
      } catch {
        break;
      }
      try {
        const read = await client.deliveriesById([built.order.id], { signal });
        lastRead = read.exchange;
        const info = read.data.find((o) => o.id === built.order.id);
        const done = info ? outcomeOf(info, [...exchanges, read.exchange]) : null;
        if (done) return done;
      } catch (err) {
        return fromError(err, exchanges);
      }
      if (Date.now() >= deadline) break;
    }
    return failed(
      'IIKO_IN_PROGRESS',
      `iiko has not finished creating the order within ${pollTimeoutMs} ms`,
      true,
      lastRead ? [...exchanges, lastRead] : exchanges,
    );
  };
}
