import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import {
  claimIdempotencyKey,
  releaseIdempotencyRecord,
  requestHash,
} from '~/features/idempotency/idempotency.server';
import { enqueueJob } from '~/features/jobs/job-queue.server';
import { isDatabaseUnavailable } from '~/utils/pg-errors';
import { applyPointsChange } from '~/features/points/points-ledger.server';
import {
  pointsSettingsColumn,
  pointsSettingsFromColumn,
} from '~/features/settings/app-settings.server';
import { localDate } from '~/features/stores/opening-hours';
import type { Lang } from '~/i18n/languages';
import { fromDecimal, toDecimal } from '~/utils/money';
import { CheckoutError, isCheckoutError, type ApiErrorBody } from './checkout-errors';
import { checkoutBodySchema, idempotencyKeySchema, type CheckoutBody } from './checkout.schema';
import type { PlacedOrderBody } from './checkout.types';
import {
  applyBenefits,
  priceCart,
  toQuote,
  type Benefits,
  type PricedCart,
} from './pricing.server';

/**
 * placeOrder (CK-3): one READ COMMITTED transaction that prices everything from the database,
 * locks the member, applies a coupon or points, allocates the order number and writes the order
 * with its lines, options, ledger or coupon rows, payment intent and audit row. Idempotent by the
 * client's key (CK-5). No network call happens inside the transaction; the browser is sent to
 * `/o/<token>/pay` afterwards (CK-4).
 *
 * Lock order, always: member → coupon_template → coupon_instance → order_number_counter. The
 * counter row is shared by every checkout of the day, so it is taken last and held only for the
 * final statement and the commit (ADR 0007).
 */

export const CHECKOUT_SCOPE = 'checkout';
/** v1 creates web orders only (ON-2). */
const ORDER_PREFIX = 'P';

export interface PlaceOrderInput {
  memberId: number;
  /** The raw request body; validated here. */
  body: unknown;
  idempotencyKey: string | null;
  lang?: Lang;
  requestId?: string | null;
  ip?: string | null;
  /** Checkout time; defaults to now. Tests pin it. */
  now?: Date;
}

export interface PlaceOrderResult {
  status: number;
  body: PlacedOrderBody | ApiErrorBody;
  /** True when the answer is a replay of a completed request with the same key. */
  replayed: boolean;
}

const refuse = (error: CheckoutError): PlaceOrderResult => ({
  status: error.status,
  body: error.toBody(),
  replayed: false,
});

export async function placeOrder(db: Db, input: PlaceOrderInput): Promise<PlaceOrderResult> {
  if (!input.idempotencyKey) return refuse(new CheckoutError('IDEMPOTENCY_KEY_REQUIRED'));
  if (!idempotencyKeySchema.safeParse(input.idempotencyKey).success) {
    return refuse(new CheckoutError('VALIDATION_FAILED', { field: 'Idempotency-Key' }));
  }
  const parsed = checkoutBodySchema.safeParse(input.body);
  if (!parsed.success) {
    return refuse(
      new CheckoutError('VALIDATION_FAILED', {
        issues: parsed.error.issues.slice(0, 20).map((i) => ({
          path: i.path.join('.'),
          code: i.code,
        })),
      }),
    );
  }
  const body = parsed.data;
  // CK-2: before any pricing, and before the key is claimed, so nothing is written
  if (body.coupon_instance_id != null && body.use_points) {
    return refuse(new CheckoutError('POINTS_COUPON_CONFLICT'));
  }

  const claim = await claimIdempotencyKey(db, {
    scope: CHECKOUT_SCOPE,
    principal: `member:${input.memberId}`,
    key: input.idempotencyKey,
    requestHash: requestHash(body),
  });
  if (claim.kind === 'replay') {
    return {
      status: claim.status,
      body: claim.body as PlacedOrderBody | ApiErrorBody,
      replayed: true,
    };
  }
  if (claim.kind === 'reused') return refuse(new CheckoutError('IDEMPOTENCY_KEY_REUSED'));
  if (claim.kind === 'in_progress') return refuse(new CheckoutError('IDEMPOTENCY_IN_PROGRESS'));

  try {
    const placed = await db
      .transaction()
      .execute((trx) => placeOrderInTransaction(trx, input, body, claim.recordId));
    return { status: 201, body: placed, replayed: false };
  } catch (error) {
    // A killed backend often takes the next idle pooled connection with it: try the release
    // once more, or the key answers IDEMPOTENCY_IN_PROGRESS until its claim lease ends.
    await releaseIdempotencyRecord(db, claim.recordId).catch((releaseError: unknown) =>
      isDatabaseUnavailable(releaseError)
        ? releaseIdempotencyRecord(db, claim.recordId)
        : Promise.reject(releaseError),
    );
    if (isCheckoutError(error)) return refuse(error);
    throw error;
  }
}

async function placeOrderInTransaction(
  trx: Db,
  input: PlaceOrderInput,
  body: CheckoutBody,
  recordId: number,
): Promise<PlacedOrderBody> {
  const now = input.now ?? new Date();
  const lang = input.lang ?? 'ru';
  const { memberId } = input;

  // 1. lines and delivery fee
  const cart = await priceCart(trx, { memberId, body, lang, now });
  // 2. the member row, locked for the rest of the transaction, with its balance and tier
  const member = await trx
    .selectFrom('member as m')
    .leftJoin('member_group as g', 'g.id', 'm.group_id')
    .select([
      'm.id',
      'm.phone',
      'm.display_name',
      'm.is_active',
      'm.available_points_balance',
      'g.points_multiplier',
      // the points rules, read in the same round trip
      pointsSettingsColumn().as('points_settings'),
    ])
    .where('m.id', '=', memberId)
    .forUpdate('m')
    .executeTakeFirst();
  if (!member || !member.is_active) throw new CheckoutError('UNAUTHENTICATED');
  // 3. coupon or points, with the member locked
  const benefits = await applyBenefits(trx, {
    memberId,
    body,
    cart,
    lang,
    now,
    memberPoints: member,
    pointsSettings: pointsSettingsFromColumn(member.points_settings),
  });
  const first = cart.problems[0];
  if (first) throw new CheckoutError(first.code, first.details);
  const store = cart.store!;

  // 4. the client's number must match ours (PR-9)
  const quote = toQuote(cart, benefits, body);
  if (fromDecimal(body.expected_final_amount) !== quote.finalKopecks) {
    throw new CheckoutError('PRICE_MISMATCH', { quote: quoteJson(quote) });
  }

  // 5–6. order, lines, options. The order is written under a placeholder number that exists
  // only inside this transaction (date part 00000000, never a real date); the real number is
  // allocated by the very last statement, so the shared counter row stays locked only for that
  // statement and the commit (ON-3: "the row lock is then short").
  const day = localDate(now, store.timezone);
  const order = await insertOrder(trx, { body, cart, benefits, member, day, quote });
  await insertLines(trx, order.id, cart, benefits);

  // 7. coupon (CP-8, CP-11) or points (PT-3)
  if (benefits.couponInstanceId !== null) {
    await redeemCoupon(trx, benefits, memberId, order.id);
  } else if (benefits.pointsUsed > 0) {
    await applyPointsChange(trx, {
      memberId,
      delta: -benefits.pointsUsed,
      reason: 'ORDER_REDEEM',
      idempotencyKey: `order_redeem:${order.id}`,
      orderId: order.id,
    });
  }

  // 8. nothing to pay: straight to the POS; otherwise the payment intent is written by step 9
  if (quote.finalKopecks === 0) {
    await enqueueJob(trx, { type: 'ORDER_PUSH', resourceId: `order:${order.id}` });
  }

  // 9. number (ON-3), the payment intent (PENDING, when there is something to pay), audit row
  // and the idempotency record's response in one statement, then commit. The response is built
  // here and stored as jsonb; what is returned is the stored value, so the first answer and every
  // replay are the same bytes.
  const response: PlacedOrderBody = {
    order: {
      id: order.id,
      public_token: order.public_token,
      order_number: '',
      status: 'PENDING',
      payment_status: order.payment_status,
      final_amount: toDecimal(quote.finalKopecks),
      payment_required: quote.finalKopecks > 0,
      next_url:
        quote.finalKopecks > 0 ? `/o/${order.public_token}/pay` : `/o/${order.public_token}`,
    },
  };
  const audit = {
    status: 'PENDING',
    order_number: '',
    final_amount: toDecimal(quote.finalKopecks),
    coupon_instance_id: benefits.couponInstanceId,
    points_used: benefits.pointsUsed,
  };
  const ymd = day.replaceAll('-', '');
  const finished = await sql<{ order_number: string | null; response_body: unknown }>`
    WITH counter AS (
      INSERT INTO order_number_counter (prefix, local_date, last_value)
      VALUES (${ORDER_PREFIX}, ${day}, 1)
      ON CONFLICT (prefix, local_date)
      DO UPDATE SET last_value = order_number_counter.last_value + 1, updated_at = now()
      RETURNING last_value
    ), numbered AS (
      UPDATE "order" o
      SET order_number = ${ORDER_PREFIX} || ${ymd}
        || lpad(c.last_value::text, greatest(4, length(c.last_value::text)), '0')
      FROM counter c
      WHERE o.id = ${order.id}
      RETURNING o.order_number
    ), audit AS (
      INSERT INTO audit_log (actor_type, actor_member_id, store_id, action, entity_type, entity_id,
                             after, request_id, ip)
      SELECT 'MEMBER', ${memberId}, ${store.id}, 'order.create', 'order', ${String(order.id)},
             jsonb_set(${JSON.stringify(audit)}::jsonb, '{order_number}', to_jsonb(n.order_number)),
             ${input.requestId?.slice(0, 64) ?? null}, ${input.ip ?? null}::inet
      FROM numbered n
    ), payment AS (
      INSERT INTO payment_transaction (order_id, store_id, kind, provider, attempt_no,
                                       idempotence_key, status, amount)
      SELECT ${order.id}::int, ${store.id}::int, 'PAYMENT', 'YOOKASSA', 1,
             ${`ctea-${order.id}-create-1`}, 'PENDING', ${toDecimal(quote.finalKopecks)}::numeric
      WHERE ${quote.finalKopecks > 0}::boolean
    ), done AS (
      UPDATE idempotency_record r
      SET status = 'COMPLETED', response_status = 201,
          response_body = jsonb_set(${JSON.stringify(response)}::jsonb, '{order,order_number}',
                                    to_jsonb(n.order_number)),
          resource_type = 'order', resource_id = ${String(order.id)}, updated_at = now()
      FROM numbered n
      WHERE r.id = ${recordId} AND r.status = 'IN_PROGRESS'
      RETURNING r.response_body
    )
    SELECT (SELECT order_number FROM numbered) AS order_number,
           (SELECT response_body FROM done) AS response_body
  `.execute(trx);
  const row = finished.rows[0];
  if (!row?.order_number || !row.response_body) {
    throw new Error('idempotency record was taken over while the checkout ran');
  }
  return row.response_body as PlacedOrderBody;
}

async function insertOrder(
  trx: Db,
  args: {
    body: CheckoutBody;
    cart: PricedCart;
    benefits: Benefits;
    member: { id: number; phone: string; display_name: string };
    day: string;
    quote: ReturnType<typeof toQuote>;
  },
) {
  const { body, cart, benefits, member, quote } = args;
  const paymentMethod =
    benefits.pointsUsed > 0 ? 'POINTS' : quote.finalKopecks > 0 ? 'ONLINE' : 'NONE';
  const delivery = cart.delivery;
  return trx
    .insertInto('order')
    .values({
      // placeholder until step 9: unique, valid for the format CHECK, never a real date
      order_number: `${ORDER_PREFIX}00000000${crypto.randomInt(1e12, 1e13 - 1)}${crypto.randomInt(1e6, 1e7 - 1)}`,
      order_prefix: ORDER_PREFIX,
      local_date: args.day,
      order_type: body.order_type,
      status: 'PENDING',
      member_id: member.id,
      store_id: cart.store!.id,
      customer_name: body.customer_name || member.display_name,
      customer_phone: member.phone,
      subtotal_amount: toDecimal(quote.subtotalKopecks),
      delivery_fee: toDecimal(quote.deliveryFeeKopecks),
      total_amount: toDecimal(quote.totalKopecks),
      discount_amount: toDecimal(quote.discountKopecks),
      final_amount: toDecimal(quote.finalKopecks),
      points_used: benefits.pointsUsed,
      points_discount: toDecimal(benefits.pointsDiscountKopecks),
      coupon_instance_id: benefits.couponInstanceId,
      coupon_discount: toDecimal(benefits.couponDiscountKopecks),
      points_earned: benefits.pointsEarned,
      payment_method: paymentMethod,
      payment_status: quote.finalKopecks > 0 ? 'PENDING' : 'NOT_REQUIRED',
      payment_provider: quote.finalKopecks > 0 ? 'YOOKASSA' : null,
      delivery_address_id: delivery?.addressId ?? null,
      delivery_address: delivery?.addressText ?? null,
      delivery_note: delivery?.note ?? null,
      delivery_latitude: delivery ? delivery.latitude.toFixed(7) : null,
      delivery_longitude: delivery ? delivery.longitude.toFixed(7) : null,
      delivery_zone_id: delivery?.zoneId ?? null,
      delivery_eta_minutes: delivery?.etaMinutes ?? null,
    })
    .returning(['id', 'public_token', 'payment_status'])
    .executeTakeFirstOrThrow();
}

/**
 * The order's lines and their option snapshots as one statement: the lines come back with their
 * ids from the first CTE and the options join them by line number. Columns travel as arrays, so
 * the statement's text (and its prepared plan) is the same for every cart.
 */
async function insertLines(
  trx: Db,
  orderId: number,
  cart: PricedCart,
  benefits: Benefits,
): Promise<void> {
  const lines = cart.lines;
  const options = lines.flatMap((l) => l.optionSnapshots.map((o) => ({ lineNo: l.lineNo, o })));
  await sql`
    WITH items AS (
      INSERT INTO order_item (order_id, product_id, line_no, sku, product_name_ru,
                              product_name_zh, unit_price, options_price, quantity, line_total,
                              discount_amount, is_special_price, iiko_product_id)
      SELECT ${orderId}::int, l.product_id, l.line_no, l.sku, l.name_ru, l.name_zh, l.unit_price,
             l.options_price, l.quantity, l.line_total, l.discount_amount, l.is_special_price,
             l.iiko_product_id
      FROM unnest(
        ${lines.map((l) => l.productId)}::int[],
        ${lines.map((l) => l.lineNo)}::int[],
        ${lines.map((l) => l.sku)}::text[],
        ${lines.map((l) => l.nameRu)}::text[],
        ${lines.map((l) => l.nameZh)}::text[],
        ${lines.map((l) => toDecimal(l.unitPriceKopecks))}::numeric[],
        ${lines.map((l) => toDecimal(l.optionsPriceKopecks))}::numeric[],
        ${lines.map((l) => l.quantity)}::int[],
        ${lines.map((l) => toDecimal(l.lineTotalKopecks))}::numeric[],
        ${lines.map((l) => toDecimal(benefits.lineDiscounts.get(l.lineNo) ?? 0))}::numeric[],
        ${lines.map((l) => l.isSpecialPrice)}::boolean[],
        ${lines.map((l) => l.iikoProductId)}::uuid[]
      ) WITH ORDINALITY AS l (product_id, line_no, sku, name_ru, name_zh, unit_price,
                              options_price, quantity, line_total, discount_amount,
                              is_special_price, iiko_product_id, n)
      ORDER BY l.n
      RETURNING id, line_no
    )
    INSERT INTO order_item_option (order_item_id, option_item_id, group_code, group_name_ru,
                                   item_code, item_name_ru, item_name_zh, price_delta,
                                   iiko_modifier_id, iiko_group_id)
    SELECT i.id, o.option_item_id, o.group_code, o.group_name_ru, o.item_code, o.item_name_ru,
           o.item_name_zh, o.price_delta, o.iiko_modifier_id, o.iiko_group_id
    FROM unnest(
      ${options.map((x) => x.lineNo)}::int[],
      ${options.map((x) => x.o.itemId)}::int[],
      ${options.map((x) => x.o.groupCode)}::text[],
      ${options.map((x) => x.o.groupNameRu)}::text[],
      ${options.map((x) => x.o.itemCode)}::text[],
      ${options.map((x) => x.o.itemNameRu)}::text[],
      ${options.map((x) => x.o.itemNameZh)}::text[],
      ${options.map((x) => toDecimal(x.o.priceDeltaKopecks))}::numeric[],
      ${options.map((x) => x.o.iikoModifierId)}::uuid[],
      ${options.map((x) => x.o.iikoGroupId)}::uuid[]
    ) WITH ORDINALITY AS o (line_no, option_item_id, group_code, group_name_ru, item_code,
                            item_name_ru, item_name_zh, price_delta, iiko_modifier_id,
                            iiko_group_id, n)
    JOIN items i ON i.line_no = o.line_no
    ORDER BY o.n
  `.execute(trx);
}

/** CP-8 usage counter, then CP-11 redemption, then the USED audit row; any miss rolls back. */
async function redeemCoupon(
  trx: Db,
  benefits: Benefits,
  memberId: number,
  orderId: number,
): Promise<void> {
  const counted = await trx
    .updateTable('coupon_template')
    .set({
      current_usage_count: sql<number>`current_usage_count + 1`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', benefits.couponTemplateId!)
    .where((eb) =>
      eb.or([
        eb('max_total_usage', 'is', null),
        eb('current_usage_count', '<', eb.ref('max_total_usage')),
      ]),
    )
    .returning(['id', 'max_total_usage'])
    .executeTakeFirst();
  if (!counted) {
    const limit = await trx
      .selectFrom('coupon_template')
      .select('max_total_usage')
      .where('id', '=', benefits.couponTemplateId!)
      .executeTakeFirst();
    throw new CheckoutError('COUPON_USAGE_LIMIT_REACHED', {
      max_total_usage: limit?.max_total_usage ?? null,
    });
  }
  const redeemed = await trx
    .updateTable('coupon_instance')
    .set({
      status: 'USED',
      used_at: sql<Date>`now()`,
      used_order_id: orderId,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', benefits.couponInstanceId!)
    .where('member_id', '=', memberId)
    .where('status', '=', 'UNUSED')
    .returning('id')
    .executeTakeFirst();
  if (!redeemed) throw new CheckoutError('COUPON_UNAVAILABLE', {});
  await trx
    .insertInto('coupon_audit_log')
    .values({
      coupon_instance_id: benefits.couponInstanceId!,
      action: 'USED',
      from_status: 'UNUSED',
      to_status: 'USED',
      actor_type: 'SYSTEM',
      order_id: orderId,
    })
    .execute();
}

/** PRICE_MISMATCH details: the fresh numbers, as the quote endpoint renders them. */
export function quoteJson(quote: ReturnType<typeof toQuote>): Record<string, unknown> {
  return {
    subtotal_amount: toDecimal(quote.subtotalKopecks),
    delivery_fee: toDecimal(quote.deliveryFeeKopecks),
    total_amount: toDecimal(quote.totalKopecks),
    discount_amount: toDecimal(quote.discountKopecks),
    final_amount: toDecimal(quote.finalKopecks),
  };
}
