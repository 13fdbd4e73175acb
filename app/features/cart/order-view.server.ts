import type { Db } from '~db/database.server';
import type { Lang } from '~/i18n/languages';
import { pickLocalized } from '~/i18n/use-t';
import { fromDecimal } from '~/utils/money';
import {
  isOneOf,
  ORDER_PAYMENT_STATUSES,
  ORDER_STATUSES,
  type OrderPaymentStatus,
  type OrderStatus,
} from '~/utils/vocabularies';

/**
 * The public order page's read model (OR-5): what anyone holding the order's public token may see —
 * number, store, lines with options, totals and status. Never the customer's phone, name or
 * delivery address: none of those columns is even selected.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isPublicToken(value: string | undefined): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export interface PublicOrderLine {
  lineNo: number;
  name: string;
  quantity: number;
  unitKopecks: number;
  optionsKopecks: number;
  lineTotalKopecks: number;
  discountKopecks: number;
  options: { name: string; groupName: string; priceDeltaKopecks: number }[];
}

export interface PublicOrder {
  orderNumber: string;
  publicToken: string;
  status: OrderStatus;
  paymentStatus: OrderPaymentStatus;
  orderType: 'PICKUP' | 'DELIVERY';
  paymentMethod: string;
  createdAt: string;
  store: { code: string; name: string; address: string };
  lines: PublicOrderLine[];
  subtotalKopecks: number;
  deliveryFeeKopecks: number;
  couponDiscountKopecks: number;
  pointsDiscountKopecks: number;
  pointsUsed: number;
  pointsEarned: number;
  finalKopecks: number;
  deliveryEtaMinutes: number | null;
}

export interface PublicOrderRecord {
  order: PublicOrder;
  /** Internal: who owns it (cancel / pay buttons), never sent to the browser. */
  orderId: number;
  memberId: number | null;
  /** A PAYMENT attempt the provider knows about (it has a provider id) and that is still live. */
  hasLiveProviderPayment: boolean;
}

/** The order behind a public token, or null (unknown or malformed token). */
export async function getPublicOrder(
  db: Db,
  token: string,
  lang: Lang,
): Promise<PublicOrderRecord | null> {
  if (!isPublicToken(token)) return null;
  const row = await db
    .selectFrom('order as o')
    .innerJoin('store as s', 's.id', 'o.store_id')
    .select([
      'o.id',
      'o.member_id',
      'o.order_number',
      'o.public_token',
      'o.status',
      'o.payment_status',
      'o.order_type',
      'o.payment_method',
      'o.created_at',
      'o.subtotal_amount',
      'o.delivery_fee',
      'o.coupon_discount',
      'o.points_discount',
      'o.points_used',
      'o.points_earned',
      'o.final_amount',
      'o.delivery_eta_minutes',
      's.code as store_code',
      's.name_ru',
      's.name_zh',
      's.name_en',
      's.address_ru as store_address',
    ])
    .where('o.public_token', '=', token.toLowerCase())
    .executeTakeFirst();
  if (!row) return null;

  const [items, options, livePayment] = await Promise.all([
    db
      .selectFrom('order_item')
      .select([
        'id',
        'line_no',
        'product_name_ru',
        'product_name_zh',
        'quantity',
        'unit_price',
        'options_price',
        'line_total',
        'discount_amount',
      ])
      .where('order_id', '=', row.id)
      .orderBy('line_no')
      .execute(),
    db
      .selectFrom('order_item_option as oio')
      .innerJoin('order_item as oi', 'oi.id', 'oio.order_item_id')
      .select([
        'oio.order_item_id',
        'oio.group_name_ru',
        'oio.item_name_ru',
        'oio.item_name_zh',
        'oio.price_delta',
      ])
      .where('oi.order_id', '=', row.id)
      .orderBy('oio.id')
      .execute(),
    db
      .selectFrom('payment_transaction')
      .select('id')
      .where('order_id', '=', row.id)
      .where('kind', '=', 'PAYMENT')
      .where('provider_payment_id', 'is not', null)
      .where('status', 'in', ['PENDING', 'WAITING_FOR_CAPTURE'])
      .executeTakeFirst(),
  ]);

  // snapshots keep ru and zh names (PR-11); English readers get the Russian name
  const snapshotName = (ru: string, zh: string | null) => (lang === 'zh' && zh ? zh : ru);

  const lines: PublicOrderLine[] = items.map((item) => ({
    lineNo: item.line_no,
    name: snapshotName(item.product_name_ru, item.product_name_zh),
    quantity: item.quantity,
    unitKopecks: fromDecimal(item.unit_price),
    optionsKopecks: fromDecimal(item.options_price),
    lineTotalKopecks: fromDecimal(item.line_total),
    discountKopecks: fromDecimal(item.discount_amount),
    options: options
      .filter((o) => o.order_item_id === item.id)
      .map((o) => ({
        name: snapshotName(o.item_name_ru, o.item_name_zh),
        groupName: o.group_name_ru,
        priceDeltaKopecks: fromDecimal(o.price_delta),
      })),
  }));

  return {
    orderId: row.id,
    memberId: row.member_id,
    hasLiveProviderPayment: livePayment !== undefined,
    order: {
      orderNumber: row.order_number,
      publicToken: row.public_token,
      // CHECK constraints guarantee the vocabularies; the fallbacks only satisfy the types
      status: isOneOf(ORDER_STATUSES, row.status) ? row.status : 'PENDING',
      paymentStatus: isOneOf(ORDER_PAYMENT_STATUSES, row.payment_status)
        ? row.payment_status
        : 'PENDING',
      orderType: row.order_type === 'DELIVERY' ? 'DELIVERY' : 'PICKUP',
      paymentMethod: row.payment_method,
      createdAt: new Date(row.created_at).toISOString(),
      store: {
        code: row.store_code,
        name: pickLocalized(lang, row, 'name'),
        address: row.store_address,
      },
      lines,
      subtotalKopecks: fromDecimal(row.subtotal_amount),
      deliveryFeeKopecks: fromDecimal(row.delivery_fee),
      couponDiscountKopecks: fromDecimal(row.coupon_discount),
      pointsDiscountKopecks: fromDecimal(row.points_discount),
      pointsUsed: row.points_used,
      pointsEarned: row.points_earned,
      finalKopecks: fromDecimal(row.final_amount),
      deliveryEtaMinutes: row.delivery_eta_minutes,
    },
  };
}
