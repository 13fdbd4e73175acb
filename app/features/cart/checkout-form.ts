/**
 * The checkout page's form → the checkout body of CK-1. The same form is posted to the page's
 * action (placeOrder) and, on every change, to the quote API, so both see exactly the same body.
 * Nothing is validated here: placeOrder and the quote parse the result with the checkout schema.
 * Isomorphic.
 */

export const CHECKOUT_FIELD = {
  storeId: 'store_id',
  /** The cart lines the page was rendered with, as JSON (what the customer saw is what is ordered). */
  lines: 'lines',
  orderType: 'order_type',
  /** A saved address id, or NEW_ADDRESS for the fields below. */
  addressId: 'address_id',
  addressLine: 'address_line',
  apartment: 'apartment',
  entrance: 'entrance',
  floor: 'floor',
  intercom: 'intercom',
  comment: 'comment',
  latitude: 'latitude',
  longitude: 'longitude',
  couponInstanceId: 'coupon_instance_id',
  usePoints: 'use_points',
  customerName: 'customer_name',
  expectedFinalAmount: 'expected_final_amount',
  idempotencyKey: 'idempotency_key',
} as const;

export const NEW_ADDRESS = 'new';

const ADDRESS_FIELDS = [
  'address_line',
  'apartment',
  'entrance',
  'floor',
  'intercom',
  'comment',
  'latitude',
  'longitude',
] as const;

function text(form: FormData, name: string): string | null {
  const value = form.get(name);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function parseLines(value: string | null): unknown {
  if (value === null) return [];
  try {
    return JSON.parse(value) as unknown;
  } catch {
    // a broken value is an empty cart for the schema and pricing to refuse
    return [];
  }
}

export function checkoutBodyFromForm(form: FormData): Record<string, unknown> {
  const orderType = text(form, CHECKOUT_FIELD.orderType);
  const body: Record<string, unknown> = {
    store_id: text(form, CHECKOUT_FIELD.storeId),
    order_type: orderType,
    lines: parseLines(text(form, CHECKOUT_FIELD.lines)),
    coupon_instance_id: text(form, CHECKOUT_FIELD.couponInstanceId),
    use_points: ['on', 'true', '1'].includes(text(form, CHECKOUT_FIELD.usePoints) ?? ''),
    customer_name: text(form, CHECKOUT_FIELD.customerName),
  };
  const expected = text(form, CHECKOUT_FIELD.expectedFinalAmount);
  if (expected !== null) body.expected_final_amount = expected;

  if (orderType === 'DELIVERY') {
    const addressId = text(form, CHECKOUT_FIELD.addressId);
    if (addressId !== null && addressId !== NEW_ADDRESS) {
      body.delivery = { address_id: addressId };
    } else {
      const delivery: Record<string, string> = {};
      for (const field of ADDRESS_FIELDS) {
        const value = text(form, field);
        // empty fields are left out: "" would read as 0 for a coordinate
        if (value !== null) delivery[field] = value;
      }
      body.delivery = delivery;
    }
  }
  return body;
}
