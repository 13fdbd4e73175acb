/**
 * Checkout and ordering error codes (domain §2.16) with their HTTP status. The JSON body is always
 * `{"error":{"code","message_key","details"}}`; message_key resolves in the `checkout` message
 * catalogue as `checkout.error.<CODE>`.
 */
export const CHECKOUT_ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  CART_EMPTY: 400,
  QUANTITY_INVALID: 400,
  PRODUCT_UNAVAILABLE: 409,
  OPTION_REQUIRED: 400,
  OPTION_INVALID: 400,
  PRICE_MISMATCH: 409,
  STORE_CLOSED: 409,
  ORDER_TYPE_UNAVAILABLE: 409,
  DELIVERY_NOT_AVAILABLE: 400,
  BELOW_DELIVERY_MINIMUM: 400,
  POINTS_COUPON_CONFLICT: 400,
  INSUFFICIENT_POINTS: 400,
  COUPON_NOT_FOUND: 404,
  COUPON_UNAVAILABLE: 409,
  COUPON_NOT_STARTED: 400,
  COUPON_EXPIRED: 400,
  COUPON_NOT_APPLICABLE: 400,
  COUPON_MIN_ORDER_NOT_MET: 400,
  COUPON_USER_LIMIT_REACHED: 409,
  COUPON_USAGE_LIMIT_REACHED: 409,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_IN_PROGRESS: 409,
  INVALID_TRANSITION: 409,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  INVALID_PHONE: 400,
  INVALID_CODE: 400,
  CODE_EXPIRED: 400,
  TOO_MANY_ATTEMPTS: 400,
  /** The SMS gateway failed or is not configured; the code may be requested again later. */
  SMS_UNAVAILABLE: 503,
} as const;

export type CheckoutErrorCode = keyof typeof CHECKOUT_ERROR_STATUS;

export interface ApiErrorBody {
  error: { code: CheckoutErrorCode; message_key: string; details: Record<string, unknown> };
}

/** A domain refusal: thrown inside the checkout transaction (which then rolls back). */
export class CheckoutError extends Error {
  readonly status: number;
  constructor(
    readonly code: CheckoutErrorCode,
    readonly details: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'CheckoutError';
    this.status = CHECKOUT_ERROR_STATUS[code];
  }

  toBody(): ApiErrorBody {
    return errorBody(this.code, this.details);
  }
}

export function errorBody(
  code: CheckoutErrorCode,
  details: Record<string, unknown> = {},
): ApiErrorBody {
  return { error: { code, message_key: `checkout.error.${code}`, details } };
}

export function isCheckoutError(e: unknown): e is CheckoutError {
  return e instanceof CheckoutError;
}
