import { sql } from 'kysely';
import { createMember } from './access';
import { createProduct, createStore } from './catalog';
import type { FactoryDb, Overrides, Row } from './support';
import { moscowDate, seq, toKopecks, toMoney } from './support';

/**
 * Allocates the next order number of (prefix, local_date) with the ON-3 statement, so factory
 * orders never collide with numbers the checkout service allocates in the same test.
 */
export async function nextOrderNumber(
  db: FactoryDb,
  prefix: string,
  localDate: string,
): Promise<string> {
  const { rows } = await sql<{ last_value: number }>`
    INSERT INTO order_number_counter (prefix, local_date, last_value) VALUES (${prefix}, ${localDate}, 1)
    ON CONFLICT (prefix, local_date)
    DO UPDATE SET last_value = order_number_counter.last_value + 1, updated_at = now()
    RETURNING last_value
  `.execute(db);
  const value = rows[0]!.last_value;
  return `${prefix}${localDate.replaceAll('-', '')}${String(value).padStart(4, '0')}`;
}

/**
 * A consistent order (every `order_*` CHECK holds): PENDING web (`P`) PICKUP order of 350.00 ₽ paid
 * ONLINE, for a new member in a new store unless given. Amounts are derived from
 * `subtotal_amount`, `delivery_fee`, `points_used` and `coupon_discount`:
 * points_used > 0 → paid in full with points (POINTS, NOT_REQUIRED); DELIVERY gets an address
 * and coordinates. Any column given in `overrides` is written as is (constraint tests use this to
 * build invalid rows). No order_item rows are created (see createOrderItem).
 */
export async function createOrder(
  db: FactoryDb,
  overrides: Overrides<'order'> = {},
): Promise<Row<'order'>> {
  const prefix = overrides.order_prefix ?? 'P';
  const storeId = overrides.store_id ?? (await createStore(db)).id;
  const memberId =
    overrides.member_id !== undefined
      ? overrides.member_id
      : prefix === 'P' || prefix === 'T'
        ? (await createMember(db)).id
        : null;
  const orderType = overrides.order_type ?? 'PICKUP';
  const localDate = overrides.local_date ?? moscowDate();
  const orderNumber = overrides.order_number ?? (await nextOrderNumber(db, prefix, localDate));

  const subtotal = toKopecks(overrides.subtotal_amount ?? '350.00');
  const fee = toKopecks(overrides.delivery_fee ?? '0.00');
  const total = subtotal + fee;
  const pointsUsed = overrides.points_used ?? 0;
  const pointsDiscount = pointsUsed > 0 ? total : 0;
  const couponDiscount = toKopecks(overrides.coupon_discount ?? '0.00');
  const discount = pointsDiscount + couponDiscount;
  const final = total - discount;
  const delivery =
    orderType === 'DELIVERY'
      ? {
          delivery_address: 'Москва, ул. Тестовая, 1, кв. 1',
          delivery_latitude: '55.7558000',
          delivery_longitude: '37.6173000',
        }
      : {};

  return db
    .insertInto('order')
    .values({
      order_number: orderNumber,
      order_prefix: prefix,
      local_date: localDate,
      order_type: orderType,
      member_id: memberId,
      store_id: storeId,
      customer_phone: '+79000000000',
      subtotal_amount: toMoney(subtotal),
      delivery_fee: toMoney(fee),
      total_amount: toMoney(total),
      discount_amount: toMoney(discount),
      final_amount: toMoney(final),
      points_used: pointsUsed,
      points_discount: toMoney(pointsDiscount),
      coupon_discount: toMoney(couponDiscount),
      payment_method: pointsUsed > 0 ? 'POINTS' : final > 0 ? 'ONLINE' : 'NONE',
      payment_status: final > 0 ? 'PENDING' : 'NOT_REQUIRED',
      payment_provider: final > 0 ? 'YOOKASSA' : null,
      ...delivery,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * A line of `orderId`: one unit of a new 350.00 ₽ product unless given; `line_no` is the next
 * free number and `line_total` = (unit_price + options_price) × quantity unless given.
 */
export async function createOrderItem(
  db: FactoryDb,
  orderId: number,
  overrides: Overrides<'order_item'> = {},
): Promise<Row<'order_item'>> {
  const product =
    overrides.product_id === undefined
      ? await createProduct(db)
      : await db
          .selectFrom('product')
          .select(['id', 'sku', 'name_ru', 'base_price'])
          .where('id', '=', overrides.product_id)
          .executeTakeFirstOrThrow();
  const lineNo =
    overrides.line_no ??
    Number(
      (
        await db
          .selectFrom('order_item')
          .select((eb) => eb.fn.coalesce(eb.fn.max('line_no'), eb.lit(0)).as('max'))
          .where('order_id', '=', orderId)
          .executeTakeFirstOrThrow()
      ).max,
    ) + 1;
  const unit = toKopecks(overrides.unit_price ?? product.base_price);
  const options = toKopecks(overrides.options_price ?? '0.00');
  const quantity = overrides.quantity ?? 1;
  return db
    .insertInto('order_item')
    .values({
      order_id: orderId,
      product_id: product.id,
      line_no: lineNo,
      sku: product.sku,
      product_name_ru: product.name_ru,
      unit_price: toMoney(unit),
      options_price: toMoney(options),
      quantity,
      line_total: toMoney((unit + options) * quantity),
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Attempt 1 of a PENDING YooKassa PAYMENT for the order's final amount (or a REFUND when
 * `kind: 'REFUND'` with `parent_id`). The idempotence key follows PY-3.
 */
export async function createPaymentTransaction(
  db: FactoryDb,
  order: Pick<Row<'order'>, 'id' | 'store_id' | 'final_amount'>,
  overrides: Overrides<'payment_transaction'> = {},
): Promise<Row<'payment_transaction'>> {
  const kind = overrides.kind ?? 'PAYMENT';
  const attemptNo = overrides.attempt_no ?? 1;
  const operation = kind === 'PAYMENT' ? 'create' : 'refund';
  return db
    .insertInto('payment_transaction')
    .values({
      order_id: order.id,
      store_id: order.store_id,
      kind,
      provider: 'YOOKASSA',
      attempt_no: attemptNo,
      idempotence_key: `ctea-${order.id}-${operation}-${attemptNo}-${seq()}`,
      amount: order.final_amount,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
