import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.generated';
import {
  attachOptionGroup,
  createCouponInstance,
  createCouponTemplate,
  createDeliveryZone,
  createMember,
  createOptionGroup,
  createOptionItem,
  createProduct,
  createStore,
  createStoreProduct,
} from '../factories';
import { placeOrder, type PlaceOrderResult } from '~/features/checkout/place-order.service.server';
import { quoteCheckout } from '~/features/checkout/pricing.server';
import type { CheckoutBody } from '~/features/checkout/checkout.schema';
import { toDecimal } from '~/utils/money';

/**
 * A store a customer can order from right now: open 24 h every day, pickup and delivery, one zone
 * (fee 150.00, minimum 300.00), a 150.00 drink with a required sugar choice and a paid topping,
 * and a 450.00 drink without options.
 */
export async function createShop(db: Kysely<DB>) {
  const allDay = { open: '00:00', close: '00:00' };
  const store = await createStore(db, {
    delivery_enabled: true,
    pickup_enabled: true,
    timezone: 'Europe/Moscow',
    opening_hours: JSON.stringify({
      mon: allDay,
      tue: allDay,
      wed: allDay,
      thu: allDay,
      fri: allDay,
      sat: allDay,
      sun: allDay,
    }),
  });
  const zone = await createDeliveryZone(db, store.id, { min_order_amount: '300.00' });
  const sugar = await createOptionGroup(db, { group_type: 'SUGAR' });
  const sugarHalf = await createOptionItem(db, sugar.id, { code: 'HALF' });
  const sugarFull = await createOptionItem(db, sugar.id, { code: 'FULL' });
  const topping = await createOptionGroup(db, { group_type: 'TOPPING' });
  const pearls = await createOptionItem(db, topping.id, { code: 'PEARLS', price_delta: '50.00' });
  const cheap = await createProduct(db, { base_price: '150.00' });
  await attachOptionGroup(db, cheap.id, sugar.id, { default_item_id: sugarHalf.id });
  await attachOptionGroup(db, cheap.id, topping.id);
  await createStoreProduct(db, store.id, cheap.id);
  const dear = await createProduct(db, { base_price: '450.00' });
  await createStoreProduct(db, store.id, dear.id);
  return { store, zone, sugar, sugarHalf, sugarFull, topping, pearls, cheap, dear };
}
export type Shop = Awaited<ReturnType<typeof createShop>>;

/** A pickup body: `cheap` lines get the default sugar. */
export function pickupBody(
  shop: Shop,
  lines: { product: 'cheap' | 'dear'; quantity?: number; pearls?: boolean }[],
  extra: Partial<CheckoutBody> = {},
): Omit<CheckoutBody, 'expected_final_amount'> & { expected_final_amount?: string } {
  return {
    store_id: shop.store.id,
    order_type: 'PICKUP',
    use_points: false,
    lines: lines.map((l) => ({
      product_id: shop[l.product].id,
      quantity: l.quantity ?? 1,
      option_item_ids:
        l.product === 'cheap' ? [shop.sugarHalf.id, ...(l.pearls ? [shop.pearls.id] : [])] : [],
    })),
    ...extra,
  };
}

/** Quotes the body, then places it with the quoted final amount and a fresh key (unless given). */
export async function checkout(
  db: Kysely<DB>,
  memberId: number,
  body: ReturnType<typeof pickupBody>,
  key: string = crypto.randomUUID(),
): Promise<PlaceOrderResult> {
  const expected =
    body.expected_final_amount ??
    toDecimal(
      (await quoteCheckout(db, { memberId, body: body as CheckoutBody, lang: 'ru' })).finalKopecks,
    );
  return placeOrder(db, {
    memberId,
    body: { ...body, expected_final_amount: expected },
    idempotencyKey: key,
  });
}

export async function memberWithCoupon(
  db: Kysely<DB>,
  templateOverrides: Parameters<typeof createCouponTemplate>[1] = {},
) {
  const member = await createMember(db);
  const template = await createCouponTemplate(db, templateOverrides);
  const instance = await createCouponInstance(db, {
    template_id: template.id,
    member_id: member.id,
  });
  return { member, template, instance };
}

export function errorCode(result: PlaceOrderResult): string | null {
  return 'error' in result.body ? result.body.error.code : null;
}
