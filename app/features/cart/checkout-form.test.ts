import { describe, expect, it } from 'vitest';
import { checkoutBodySchema, quoteBodySchema } from '~/features/checkout/checkout.schema';
import { checkoutBodyFromForm, NEW_ADDRESS } from './checkout-form';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

const lines = JSON.stringify([{ product_id: 5, quantity: 2, option_item_ids: [11, 21] }]);

describe('checkoutBodyFromForm', () => {
  it('builds a pickup checkout body the checkout schema accepts', () => {
    const body = checkoutBodyFromForm(
      form({
        store_id: '7',
        lines,
        order_type: 'PICKUP',
        coupon_instance_id: '42',
        customer_name: '  Анна ',
        expected_final_amount: '630.00',
        idempotency_key: '0d7f3d4e-1d2c-4c55-9d1e-1a2b3c4d5e6f',
      }),
    );
    const parsed = checkoutBodySchema.parse(body);
    expect(parsed).toEqual({
      store_id: 7,
      order_type: 'PICKUP',
      lines: [{ product_id: 5, quantity: 2, option_item_ids: [11, 21] }],
      coupon_instance_id: 42,
      use_points: false,
      customer_name: 'Анна',
      expected_final_amount: '630.00',
    });
  });

  it('reads the points switch and an empty coupon choice', () => {
    const body = checkoutBodyFromForm(
      form({
        store_id: '7',
        lines,
        order_type: 'PICKUP',
        coupon_instance_id: '',
        use_points: 'on',
      }),
    );
    expect(quoteBodySchema.parse(body)).toMatchObject({
      use_points: true,
      coupon_instance_id: null,
    });
  });

  it('sends a saved address by id, ignoring the new-address fields', () => {
    const body = checkoutBodyFromForm(
      form({ store_id: '7', lines, order_type: 'DELIVERY', address_id: '3', address_line: 'x' }),
    );
    expect(body.delivery).toEqual({ address_id: '3' });
  });

  it('sends a new address without empty fields, so no coordinate reads as 0', () => {
    const body = checkoutBodyFromForm(
      form({
        store_id: '7',
        lines,
        order_type: 'DELIVERY',
        address_id: NEW_ADDRESS,
        address_line: 'Тверская, 1',
        apartment: '',
        latitude: '55.75',
        longitude: '',
      }),
    );
    expect(body.delivery).toEqual({ address_line: 'Тверская, 1', latitude: '55.75' });
    expect(quoteBodySchema.parse(body).delivery).toEqual({
      address_line: 'Тверская, 1',
      latitude: 55.75,
    });
  });

  it('leaves delivery out of a pickup order', () => {
    const body = checkoutBodyFromForm(
      form({ store_id: '7', lines, order_type: 'PICKUP', address_line: 'x', latitude: '1' }),
    );
    expect(body).not.toHaveProperty('delivery');
  });

  it('turns broken lines into an empty list for the schema and pricing to refuse', () => {
    expect(checkoutBodyFromForm(form({ lines: '[{' })).lines).toEqual([]);
    expect(checkoutBodyFromForm(form({})).lines).toEqual([]);
    expect(quoteBodySchema.safeParse(checkoutBodyFromForm(form({ lines: '"x"' }))).success).toBe(
      false,
    );
  });
});
