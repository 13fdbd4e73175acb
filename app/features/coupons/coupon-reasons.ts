import type { Lang } from '~/i18n/languages';
import { translate, type MessageKey } from '~/i18n/translate';
import { fromDecimal, formatRub } from '~/utils/money';

/**
 * Why a coupon does not apply (CP-3 … CP-9), with the HTTP status of domain §2.16. The checkout
 * answers `{ error: { code: reason, message_key, details } }`; the texts live in
 * app/i18n/messages/coupons-engine.ts under `couponEngine.reason.<CODE>`.
 */
export const COUPON_REASONS = [
  'COUPON_NOT_FOUND',
  'COUPON_UNAVAILABLE',
  'COUPON_NOT_STARTED',
  'COUPON_EXPIRED',
  'COUPON_USER_LIMIT_REACHED',
  'COUPON_USAGE_LIMIT_REACHED',
  'COUPON_NOT_APPLICABLE',
  'COUPON_MIN_ORDER_NOT_MET',
] as const;
export type CouponReason = (typeof COUPON_REASONS)[number];

export const COUPON_REASON_HTTP_STATUS = {
  COUPON_NOT_FOUND: 404,
  COUPON_UNAVAILABLE: 409,
  COUPON_NOT_STARTED: 400,
  COUPON_EXPIRED: 400,
  COUPON_USER_LIMIT_REACHED: 409,
  COUPON_USAGE_LIMIT_REACHED: 409,
  COUPON_NOT_APPLICABLE: 400,
  COUPON_MIN_ORDER_NOT_MET: 400,
} as const satisfies Record<CouponReason, number>;

/** Refinement of COUPON_NOT_APPLICABLE, so the customer learns what to change. */
export const NOT_APPLICABLE_CAUSES = [
  'STORE',
  'NO_ELIGIBLE_ITEMS',
  'BELOW_THRESHOLD',
  'NOT_ENOUGH_ITEMS',
  'ZERO_DISCOUNT',
] as const;
export type NotApplicableCause = (typeof NOT_APPLICABLE_CAUSES)[number];

/**
 * Details per reason, JSON-ready (snake_case as in the API body; money as 2-decimal strings,
 * instants as ISO strings).
 */
export type CouponRejection =
  | { reason: 'COUPON_NOT_FOUND'; details: Record<string, never> }
  | {
      reason: 'COUPON_UNAVAILABLE';
      /** The instance status when it is not UNUSED, or INACTIVE when the template is switched off. */
      details: { status: 'USED' | 'FROZEN' | 'REVOKED' | 'INACTIVE' };
    }
  | { reason: 'COUPON_NOT_STARTED'; details: { valid_from: string } }
  | { reason: 'COUPON_EXPIRED'; details: { valid_until: string } }
  | { reason: 'COUPON_USER_LIMIT_REACHED'; details: { max_usage_per_user: number } }
  | { reason: 'COUPON_USAGE_LIMIT_REACHED'; details: { max_total_usage: number } }
  | { reason: 'COUPON_MIN_ORDER_NOT_MET'; details: { min_order_amount: string } }
  | { reason: 'COUPON_NOT_APPLICABLE'; details: NotApplicableDetails };

export type NotApplicableDetails =
  | { cause: 'STORE' }
  | { cause: 'NO_ELIGIBLE_ITEMS' }
  /** THRESHOLD_OFF below its lowest tier: `missing_amount` more in scope reaches it. */
  | { cause: 'BELOW_THRESHOLD'; min_amount: string; missing_amount: string }
  /** Unit types: fewer qualifying units than one application needs. */
  | { cause: 'NOT_ENOUGH_ITEMS'; buy_quantity: number; get_quantity: number }
  | { cause: 'ZERO_DISCOUNT' };

export function couponReasonMessageKey(reason: CouponReason): MessageKey {
  return `couponEngine.reason.${reason}`;
}

export function notApplicableMessageKey(cause: NotApplicableCause): MessageKey {
  return `couponEngine.notApplicable.${cause}`;
}

/**
 * The customer-readable sentence for a rejection, in `lang`. Dates are shown in `timeZone`
 * (the store's, C-3).
 */
export function describeCouponRejection(
  rejection: CouponRejection,
  lang: Lang,
  timeZone = 'Europe/Moscow',
): string {
  switch (rejection.reason) {
    case 'COUPON_NOT_STARTED':
      return translate(lang, couponReasonMessageKey(rejection.reason), {
        date: formatInstant(rejection.details.valid_from, lang, timeZone),
      });
    case 'COUPON_EXPIRED':
      return translate(lang, couponReasonMessageKey(rejection.reason), {
        date: formatInstant(rejection.details.valid_until, lang, timeZone),
      });
    case 'COUPON_MIN_ORDER_NOT_MET':
      return translate(lang, couponReasonMessageKey(rejection.reason), {
        amount: formatRub(fromDecimal(rejection.details.min_order_amount), lang),
      });
    case 'COUPON_USER_LIMIT_REACHED':
      return translate(lang, couponReasonMessageKey(rejection.reason), {
        count: rejection.details.max_usage_per_user,
      });
    case 'COUPON_NOT_APPLICABLE': {
      const details = rejection.details;
      const key = notApplicableMessageKey(details.cause);
      if (details.cause === 'BELOW_THRESHOLD') {
        return translate(lang, key, {
          amount: formatRub(fromDecimal(details.missing_amount), lang),
          threshold: formatRub(fromDecimal(details.min_amount), lang),
        });
      }
      if (details.cause === 'NOT_ENOUGH_ITEMS') {
        return translate(lang, key, { buy: details.buy_quantity, get: details.get_quantity });
      }
      return translate(lang, key);
    }
    default:
      return translate(lang, couponReasonMessageKey(rejection.reason));
  }
}

const LOCALES: Record<Lang, string> = { ru: 'ru-RU', zh: 'zh-CN', en: 'en-GB' };

function formatInstant(iso: string, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(iso));
}
