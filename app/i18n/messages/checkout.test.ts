import { describe, expect, it } from 'vitest';
import { CHECKOUT_ERROR_STATUS } from '~/features/checkout/checkout-errors';
import { catalog } from '../catalog';
import { LANGUAGES } from '../languages';
import { translate } from '../translate';

describe('checkout error messages', () => {
  it('has checkout.error.<CODE> for every error code, in every language', () => {
    for (const code of Object.keys(CHECKOUT_ERROR_STATUS)) {
      for (const lang of LANGUAGES) {
        expect(catalog[lang][`checkout.error.${code}`], `${lang}: ${code}`).toBeTruthy();
      }
    }
  });

  it('names the exact numbers of an insufficient balance', () => {
    expect(
      translate('ru', 'checkout.error.INSUFFICIENT_POINTS', {
        required_points: '45 000',
        available_points: '20 000',
      }),
    ).toBe('Недостаточно баллов: нужно 45 000, доступно 20 000.');
  });
});
