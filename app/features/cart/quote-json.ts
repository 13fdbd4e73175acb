import type { CheckoutQuote } from '~/features/checkout/checkout.types';
import { toDecimal } from '~/utils/money';

/**
 * The quote as the JSON API renders it (CK-6): snake_case like the checkout body, money as
 * "350.00" strings (C-4), each problem with the message key of its code. The checkout page reads
 * the same shape, whether it came from its loader or from a live re-quote.
 */

export interface QuoteProblemJson {
  code: string;
  message_key: string;
  details: Record<string, unknown>;
}

export interface QuoteJson {
  store_id: number;
  order_type: 'PICKUP' | 'DELIVERY';
  lines: {
    line_no: number;
    product_id: number;
    sku: string;
    name: string;
    unit_price: string;
    options_price: string;
    quantity: number;
    line_total: string;
    discount_amount: string;
    is_special_price: boolean;
    options: {
      item_id: number;
      group_code: string;
      group_name: string;
      item_code: string;
      name: string;
      price_delta: string;
    }[];
  }[];
  subtotal_amount: string;
  delivery_fee: string;
  total_amount: string;
  coupon_discount: string;
  points_discount: string;
  discount_amount: string;
  final_amount: string;
  delivery: { zone_id: number; eta_minutes: number | null; min_order_amount: string } | null;
  coupon: { coupon_instance_id: number; name: string; discount_amount: string } | null;
  points: { available_points: number; required_points: number; used_points: number };
  points_earned: number;
  problems: QuoteProblemJson[];
}

export function quoteToJson(quote: CheckoutQuote): QuoteJson {
  return {
    store_id: quote.storeId,
    order_type: quote.orderType,
    lines: quote.lines.map((l) => ({
      line_no: l.lineNo,
      product_id: l.productId,
      sku: l.sku,
      name: l.name,
      unit_price: toDecimal(l.unitPriceKopecks),
      options_price: toDecimal(l.optionsPriceKopecks),
      quantity: l.quantity,
      line_total: toDecimal(l.lineTotalKopecks),
      discount_amount: toDecimal(l.discountKopecks),
      is_special_price: l.isSpecialPrice,
      options: l.options.map((o) => ({
        item_id: o.itemId,
        group_code: o.groupCode,
        group_name: o.groupName,
        item_code: o.itemCode,
        name: o.name,
        price_delta: toDecimal(o.priceDeltaKopecks),
      })),
    })),
    subtotal_amount: toDecimal(quote.subtotalKopecks),
    delivery_fee: toDecimal(quote.deliveryFeeKopecks),
    total_amount: toDecimal(quote.totalKopecks),
    coupon_discount: toDecimal(quote.couponDiscountKopecks),
    points_discount: toDecimal(quote.pointsDiscountKopecks),
    discount_amount: toDecimal(quote.discountKopecks),
    final_amount: toDecimal(quote.finalKopecks),
    delivery: quote.delivery
      ? {
          zone_id: quote.delivery.zoneId,
          eta_minutes: quote.delivery.etaMinutes,
          min_order_amount: toDecimal(quote.delivery.minOrderKopecks),
        }
      : null,
    coupon: quote.coupon
      ? {
          coupon_instance_id: quote.coupon.instanceId,
          name: quote.coupon.templateName,
          discount_amount: toDecimal(quote.coupon.discountKopecks),
        }
      : null,
    points: {
      available_points: quote.points.availablePoints,
      required_points: quote.points.requiredPoints,
      used_points: quote.points.usedPoints,
    },
    points_earned: quote.pointsEarned,
    problems: quote.problems.map((p) => ({
      code: p.code,
      message_key: `checkout.error.${p.code}`,
      details: p.details,
    })),
  };
}
