import { describe, expect, it } from 'vitest';
import {
  COUPON_REASONS,
  COUPON_REASON_HTTP_STATUS,
  NOT_APPLICABLE_CAUSES,
  couponReasonMessageKey,
  describeCouponRejection,
  notApplicableMessageKey,
  type CouponRejection,
} from './coupon-reasons';
import { catalog } from '~/i18n/catalog';
import { LANGUAGES } from '~/i18n/languages';

const examples: CouponRejection[] = [
  { reason: 'COUPON_NOT_FOUND', details: {} },
  { reason: 'COUPON_UNAVAILABLE', details: { status: 'USED' } },
  { reason: 'COUPON_NOT_STARTED', details: { valid_from: '2026-06-01T09:00:00.000Z' } },
  { reason: 'COUPON_EXPIRED', details: { valid_until: '2026-07-01T00:00:00.000Z' } },
  { reason: 'COUPON_USER_LIMIT_REACHED', details: { max_usage_per_user: 2 } },
  { reason: 'COUPON_USAGE_LIMIT_REACHED', details: { max_total_usage: 100 } },
  { reason: 'COUPON_MIN_ORDER_NOT_MET', details: { min_order_amount: '500.00' } },
  { reason: 'COUPON_NOT_APPLICABLE', details: { cause: 'STORE' } },
  { reason: 'COUPON_NOT_APPLICABLE', details: { cause: 'NO_ELIGIBLE_ITEMS' } },
  {
    reason: 'COUPON_NOT_APPLICABLE',
    details: { cause: 'BELOW_THRESHOLD', min_amount: '300.00', missing_amount: '45.50' },
  },
  {
    reason: 'COUPON_NOT_APPLICABLE',
    details: { cause: 'NOT_ENOUGH_ITEMS', buy_quantity: 1, get_quantity: 1 },
  },
  { reason: 'COUPON_NOT_APPLICABLE', details: { cause: 'ZERO_DISCOUNT' } },
];

describe('coupon reasons', () => {
  it('have a text in every language, for every reason and cause', () => {
    for (const lang of LANGUAGES) {
      for (const reason of COUPON_REASONS) {
        expect(catalog[lang][couponReasonMessageKey(reason)], `${lang} ${reason}`).toBeTruthy();
      }
      for (const cause of NOT_APPLICABLE_CAUSES) {
        expect(catalog[lang][notApplicableMessageKey(cause)], `${lang} ${cause}`).toBeTruthy();
      }
    }
  });

  it('fill every placeholder', () => {
    for (const lang of LANGUAGES) {
      for (const rejection of examples) {
        const text = describeCouponRejection(rejection, lang);
        expect(text, `${lang} ${JSON.stringify(rejection)}`).not.toMatch(/[{}]|couponEngine\./);
      }
    }
  });

  it('format money and dates for the customer', () => {
    expect(describeCouponRejection(examples[6]!, 'ru')).toBe(
      'Купон действует при заказе от 500,00 ₽',
    );
    expect(describeCouponRejection(examples[9]!, 'en')).toBe(
      'The discount starts at 300.00 ₽: add 45.50 ₽ more of the promotion items',
    );
    // 09:00 UTC is 12:00 in Moscow
    expect(describeCouponRejection(examples[2]!, 'ru')).toContain('12:00');
    expect(describeCouponRejection(examples[2]!, 'en', 'UTC')).toContain('09:00');
  });

  it('map to the HTTP statuses of domain §2.16', () => {
    expect(COUPON_REASON_HTTP_STATUS).toEqual({
      COUPON_NOT_FOUND: 404,
      COUPON_UNAVAILABLE: 409,
      COUPON_NOT_STARTED: 400,
      COUPON_EXPIRED: 400,
      COUPON_USER_LIMIT_REACHED: 409,
      COUPON_USAGE_LIMIT_REACHED: 409,
      COUPON_NOT_APPLICABLE: 400,
      COUPON_MIN_ORDER_NOT_MET: 400,
    });
  });
});
