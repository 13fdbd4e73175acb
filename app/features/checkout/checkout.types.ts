import type { CheckoutErrorCode } from './checkout-errors';

/**
 * The priced checkout (PR, DL, CP, PT): one function computes it for the quote endpoint and for
 * placeOrder (PR-10). Money is integer kopecks; the JSON API renders it as "350.00" strings.
 */

export interface QuoteLineOption {
  itemId: number;
  groupCode: string;
  groupName: string;
  itemCode: string;
  name: string;
  priceDeltaKopecks: number;
}

export interface QuoteLine {
  lineNo: number;
  productId: number;
  sku: string;
  name: string;
  unitPriceKopecks: number;
  optionsPriceKopecks: number;
  quantity: number;
  lineTotalKopecks: number;
  /** Coupon share of this line (CP-5); 0 without a coupon. */
  discountKopecks: number;
  isSpecialPrice: boolean;
  options: QuoteLineOption[];
}

export interface QuoteProblem {
  code: CheckoutErrorCode;
  details: Record<string, unknown>;
}

export interface CheckoutQuote {
  storeId: number;
  orderType: 'PICKUP' | 'DELIVERY';
  lines: QuoteLine[];
  subtotalKopecks: number;
  deliveryFeeKopecks: number;
  totalKopecks: number;
  couponDiscountKopecks: number;
  pointsDiscountKopecks: number;
  discountKopecks: number;
  finalKopecks: number;
  delivery: { zoneId: number; etaMinutes: number | null; minOrderKopecks: number } | null;
  coupon: { instanceId: number; templateName: string; discountKopecks: number } | null;
  points: {
    /** Member balance now (0 when signed out). */
    availablePoints: number;
    /** PT-5: what paying this total with points would cost. */
    requiredPoints: number;
    /** Deducted by this quote (use_points and enough balance), else 0. */
    usedPoints: number;
  };
  /** PT-7 estimate, credited when the order is completed. */
  pointsEarned: number;
  /** Everything that would refuse this checkout, first one first (the quote collects them). */
  problems: QuoteProblem[];
}

/** 201 body of a placed order (and of its replays). */
export interface PlacedOrderBody {
  order: {
    id: number;
    public_token: string;
    order_number: string;
    status: string;
    payment_status: string;
    final_amount: string;
    /** True when the browser must go to next_url to pay (CK-4). */
    payment_required: boolean;
    next_url: string;
  };
}
