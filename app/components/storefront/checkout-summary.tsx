import { formatDecimalRub, formatPoints } from '~/features/cart/format';
import type { QuoteJson } from '~/features/cart/quote-json';
import { fromDecimal } from '~/utils/money';
import { useLang, useT } from '~/i18n/use-t';
import { OrderLines } from './order-lines';

function isPositive(amount: string): boolean {
  try {
    return fromDecimal(amount) > 0;
  } catch {
    return false;
  }
}

/**
 * The order summary as the server priced it: lines, subtotal, delivery fee, the coupon discount
 * ("Скидка по купону −X ₽"), the points line, and the total to pay.
 */
export function CheckoutSummary({ quote, busy }: { quote: QuoteJson; busy: boolean }) {
  const t = useT();
  const lang = useLang();
  const rub = (amount: string) => formatDecimalRub(amount, lang);
  return (
    <section
      aria-labelledby="summary-heading"
      aria-busy={busy}
      className="space-y-3 rounded-lg border border-stone-200 bg-white p-4"
      data-testid="checkout-summary"
    >
      <h2 id="summary-heading" className="text-base font-semibold text-stone-900">
        {t('checkout.summary.title')}
      </h2>
      <OrderLines
        lines={quote.lines.map((line) => ({
          key: line.line_no,
          name: line.name,
          quantity: line.quantity,
          optionNames: line.options.map((o) => o.name),
          total: rub(line.line_total),
        }))}
      />
      <dl className="space-y-1.5 border-t border-stone-200 pt-3 text-sm">
        <div className="flex justify-between gap-3">
          <dt className="text-stone-600">{t('checkout.summary.subtotal')}</dt>
          <dd className="text-stone-900">{rub(quote.subtotal_amount)}</dd>
        </div>
        {quote.order_type === 'DELIVERY' ? (
          <div className="flex justify-between gap-3">
            <dt className="text-stone-600">{t('checkout.summary.deliveryFee')}</dt>
            <dd className="text-stone-900">{rub(quote.delivery_fee)}</dd>
          </div>
        ) : null}
        {isPositive(quote.coupon_discount) ? (
          <div
            className="flex justify-between gap-3 text-emerald-700"
            data-testid="coupon-discount"
          >
            <dt>{t('checkout.summary.couponDiscount')}</dt>
            <dd>{t('checkout.summary.minus', { amount: rub(quote.coupon_discount) })}</dd>
          </div>
        ) : null}
        {isPositive(quote.points_discount) ? (
          <div
            className="flex justify-between gap-3 text-emerald-700"
            data-testid="points-discount"
          >
            <dt>
              {t('checkout.summary.pointsDiscount', {
                points: formatPoints(quote.points.used_points, lang),
              })}
            </dt>
            <dd>{t('checkout.summary.minus', { amount: rub(quote.points_discount) })}</dd>
          </div>
        ) : null}
        <div className="flex justify-between gap-3 border-t border-stone-200 pt-2 text-base font-semibold">
          <dt className="text-stone-900">{t('checkout.summary.total')}</dt>
          <dd className="text-stone-900" data-testid="checkout-total">
            {rub(quote.final_amount)}
          </dd>
        </div>
        {quote.points_earned > 0 ? (
          <p className="text-xs text-stone-500">
            {t('checkout.summary.pointsEarned', {
              points: formatPoints(quote.points_earned, lang),
            })}
          </p>
        ) : null}
      </dl>
    </section>
  );
}
