import { describe, expect, it } from 'vitest';
import { summarize } from '~/integrations/iiko/iiko-client.server';
import { buildDeliveryOrder, type PushData } from './order-push.server';

const base: PushData = {
  order: {
    iiko_order_id: '6f1c9b52-3f43-4b8e-9a53-1d2c3b4a5e6f',
    order_number: 'MSK01-20261126-0007',
    order_type: 'PICKUP',
    customer_phone: '+79161234567',
    customer_name: 'Анна',
    final_amount: '430.00',
    discount_amount: '0.00',
    delivery_address: null,
    delivery_note: null,
    delivery_latitude: null,
    delivery_longitude: null,
    campaign_code: null,
  },
  items: [
    {
      id: 1,
      line_no: 1,
      iiko_product_id: 'p-1',
      quantity: 2,
      unit_price: '190.00',
      position_id: 'pos-1',
    },
  ],
  options: [
    {
      order_item_id: 1,
      iiko_modifier_id: 'm-1',
      iiko_group_id: 'g-1',
      price_delta: '25.50',
      item_code: 'PEARLS',
    },
  ],
  paymentTypeId: 'pay-type',
  discountTypeId: 'disc-type',
};

describe('buildDeliveryOrder (IK-10)', () => {
  it('pickup: DeliveryByClient, prices in rubles, one External payment, no discount', () => {
    const built = buildDeliveryOrder(base);
    expect(built).toEqual({
      ok: true,
      order: {
        id: base.order.iiko_order_id,
        externalNumber: base.order.order_number,
        phone: '+79161234567',
        orderServiceType: 'DeliveryByClient',
        customer: { type: 'one-time', name: 'Анна' },
        items: [
          {
            type: 'Product',
            productId: 'p-1',
            amount: 2,
            price: 190,
            positionId: 'pos-1',
            modifiers: [{ productId: 'm-1', amount: 1, productGroupId: 'g-1', price: 25.5 }],
          },
        ],
        payments: [
          {
            paymentTypeKind: 'External',
            sum: 430,
            paymentTypeId: 'pay-type',
            isProcessedExternally: true,
          },
        ],
        externalData: [{ key: 'ctea_order_number', value: base.order.order_number }],
      },
    });
  });

  it('delivery with a discount and an attributed campaign code', () => {
    const built = buildDeliveryOrder({
      ...base,
      order: {
        ...base.order,
        order_type: 'DELIVERY',
        discount_amount: '50.00',
        delivery_address: 'ул. Тверская, 1, кв. 5',
        delivery_latitude: '55.7600000',
        delivery_longitude: '37.6100000',
        campaign_code: 'A1234',
      },
    });
    if (!built.ok) throw new Error(built.message);
    expect(built.order.orderServiceType).toBe('DeliveryByCourier');
    expect(built.order.deliveryPoint).toMatchObject({
      coordinates: { latitude: 55.76, longitude: 37.61 },
      address: { line1: 'ул. Тверская, 1, кв. 5' },
    });
    expect(built.order.discountsInfo).toEqual({
      discounts: [{ type: 'RMS', discountTypeId: 'disc-type', sum: 50 }],
    });
    expect(built.order.externalData).toContainEqual({ key: 'campaign_code', value: 'A1234' });
  });

  it('a free order has no payments', () => {
    const built = buildDeliveryOrder({
      ...base,
      order: { ...base.order, final_amount: '0.00' },
      paymentTypeId: null,
    });
    expect(built.ok && built.order.payments).toBeUndefined();
  });

  it('refuses unmapped lines or options, and missing payment or discount types', () => {
    expect(
      buildDeliveryOrder({ ...base, items: [{ ...base.items[0]!, iiko_product_id: null }] }),
    ).toMatchObject({ ok: false, code: 'IIKO_MAPPING_MISSING' });
    expect(
      buildDeliveryOrder({ ...base, options: [{ ...base.options[0]!, iiko_modifier_id: null }] }),
    ).toMatchObject({ ok: false, code: 'IIKO_MAPPING_MISSING' });
    expect(buildDeliveryOrder({ ...base, paymentTypeId: null })).toMatchObject({
      ok: false,
      code: 'IIKO_PAYMENT_TYPE_MISSING',
    });
    expect(
      buildDeliveryOrder({
        ...base,
        order: { ...base.order, discount_amount: '10.00' },
        discountTypeId: null,
      }),
    ).toMatchObject({ ok: false, code: 'IIKO_DISCOUNT_TYPE_MISSING' });
  });
});

describe('summarize (IK-4 log summaries)', () => {
  it('masks the login and phones and shortens long arrays', () => {
    const text = summarize('POST /api/1/x', {
      apiLogin: 'secret-login',
      order: { phone: '+79161234567', items: Array.from({ length: 20 }, (_, i) => i) },
    });
    expect(text).not.toContain('secret-login');
    expect(text).not.toContain('+79161234567');
    expect(text).toContain('[20 items]');
    expect(text.startsWith('POST /api/1/x {')).toBe(true);
  });
});
