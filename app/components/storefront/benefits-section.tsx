import { Alert } from '~/components/ui/alert';
import { cn } from '~/components/ui/cn';
import { formatPoints } from '~/features/cart/format';
import { useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';
import { ShopIcon } from './shop-icons';

export interface PickerCoupon {
  id: number;
  name: string;
  description: string | null;
  discount:
    { kind: 'percent'; percent: string } | { kind: 'fixed'; kopecks: number } | { kind: 'rule' };
  minOrderKopecks: number | null;
  validUntil: string;
}

export interface PointsState {
  available: number;
  required: number;
  /** INSUFFICIENT_POINTS from the quote: exact numbers for the hint. */
  insufficient: { required: number; available: number } | null;
}

/**
 * Coupon XOR points (CK-2, PT-6, CP-10). A chosen coupon disables the points switch, with a hint
 * shown on hover and focus and read by screen readers; with points on, the coupon picker shows the
 * same rule and its choices are disabled. The server refuses both together anyway
 * (POINTS_COUPON_CONFLICT).
 */
export function BenefitsSection({
  coupons,
  couponId,
  onCouponChange,
  usePoints,
  onUsePointsChange,
  points,
}: {
  coupons: PickerCoupon[];
  couponId: string;
  onCouponChange: (id: string) => void;
  usePoints: boolean;
  onUsePointsChange: (on: boolean) => void;
  points: PointsState;
}) {
  const t = useT();
  const lang = useLang();
  const couponChosen = couponId !== '';
  const chosen = coupons.find((c) => String(c.id) === couponId) ?? null;
  const dateFormat = new Intl.DateTimeFormat(
    lang === 'zh' ? 'zh-CN' : lang === 'en' ? 'en-GB' : 'ru-RU',
    {
      dateStyle: 'medium',
    },
  );

  const headline = (c: PickerCoupon) =>
    c.discount.kind === 'percent'
      ? t('checkout.coupon.percent', { percent: c.discount.percent })
      : c.discount.kind === 'fixed'
        ? t('checkout.coupon.fixed', { amount: formatRub(c.discount.kopecks, lang) })
        : (c.description ?? '');

  return (
    <section
      aria-labelledby="benefits-heading"
      className="space-y-4 rounded-lg border border-stone-200 bg-white p-4"
    >
      <h2 id="benefits-heading" className="text-base font-semibold text-stone-900">
        {t('checkout.benefits.title')}
      </h2>

      {/* coupon picker */}
      <details
        className="group/coupons rounded-md ring-1 ring-inset ring-stone-200"
        data-testid="coupon-picker"
      >
        <summary className="flex cursor-pointer list-none items-center justify-between gap-3 px-3 py-2.5 text-sm">
          <span className="flex items-center gap-2 font-medium text-stone-900">
            <ShopIcon name="ticket" className="h-4 w-4 text-stone-500" />
            {chosen
              ? t('checkout.coupon.chosen', { name: chosen.name })
              : t('checkout.coupon.open', { count: coupons.length })}
          </span>
          <span className="text-xs text-stone-500 group-open/coupons:hidden">
            {t('checkout.coupon.show')}
          </span>
        </summary>
        <div className="space-y-2 border-t border-stone-200 p-3">
          {usePoints ? (
            <Alert tone="warning" className="text-xs">
              {t('checkout.benefits.exclusiveCoupon')}
            </Alert>
          ) : null}
          {coupons.length === 0 ? (
            <p className="text-sm text-stone-500">{t('checkout.coupon.none')}</p>
          ) : (
            <fieldset disabled={usePoints} className="space-y-2">
              <legend className="sr-only">{t('checkout.coupon.legend')}</legend>
              <CouponOption
                value=""
                checked={!couponChosen}
                onChange={onCouponChange}
                title={t('checkout.coupon.withoutCoupon')}
              />
              {coupons.map((c) => (
                <CouponOption
                  key={c.id}
                  value={String(c.id)}
                  checked={couponId === String(c.id)}
                  onChange={onCouponChange}
                  title={c.name}
                  lines={[
                    headline(c),
                    c.minOrderKopecks !== null && c.minOrderKopecks > 0
                      ? t('checkout.coupon.minOrder', {
                          amount: formatRub(c.minOrderKopecks, lang),
                        })
                      : null,
                    t('checkout.coupon.validUntil', {
                      date: dateFormat.format(new Date(c.validUntil)),
                    }),
                  ]}
                />
              ))}
            </fieldset>
          )}
        </div>
      </details>

      {/* points switch */}
      <div className="group relative">
        <div className="flex items-center justify-between gap-3">
          <div>
            <p id="points-label" className="text-sm font-medium text-stone-900">
              {t('checkout.points.label')}
            </p>
            <p className="text-xs text-stone-500">
              {t('checkout.points.balance', {
                available: formatPoints(points.available, lang),
                required: formatPoints(points.required, lang),
              })}
            </p>
          </div>
          <button
            type="button"
            role="switch"
            aria-checked={usePoints}
            aria-labelledby="points-label"
            aria-disabled={couponChosen}
            aria-describedby={couponChosen ? 'points-exclusive-hint' : undefined}
            onClick={() => {
              if (!couponChosen) onUsePointsChange(!usePoints);
            }}
            className={cn(
              'relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors',
              'focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600',
              usePoints ? 'bg-brand-600' : 'bg-stone-300',
              couponChosen && 'cursor-not-allowed opacity-50',
            )}
            data-testid="points-switch"
          >
            <span
              aria-hidden="true"
              className={cn(
                'inline-block h-5 w-5 rounded-full bg-white shadow transition-transform',
                usePoints ? 'translate-x-5' : 'translate-x-0.5',
              )}
            />
          </button>
          {usePoints ? <input type="hidden" name="use_points" value="on" /> : null}
        </div>
        {couponChosen ? (
          <p
            id="points-exclusive-hint"
            role="tooltip"
            className="invisible absolute right-0 top-full z-10 mt-2 max-w-xs rounded-md bg-stone-900 px-3 py-2 text-xs text-white opacity-0 shadow-lg transition-opacity group-focus-within:visible group-focus-within:opacity-100 group-hover:visible group-hover:opacity-100"
          >
            {t('checkout.benefits.exclusivePoints')}
          </p>
        ) : null}
        {usePoints && points.insufficient ? (
          <p
            role="alert"
            className="mt-2 text-sm font-medium text-red-700"
            data-testid="insufficient-points"
            data-required-points={points.insufficient.required}
            data-available-points={points.insufficient.available}
          >
            {t('checkout.points.insufficient', {
              required: formatPoints(points.insufficient.required, lang),
              available: formatPoints(points.insufficient.available, lang),
            })}
          </p>
        ) : null}
      </div>
    </section>
  );
}

function CouponOption({
  value,
  checked,
  onChange,
  title,
  lines = [],
}: {
  value: string;
  checked: boolean;
  onChange: (value: string) => void;
  title: string;
  lines?: (string | null)[];
}) {
  return (
    <label
      className={cn(
        'flex cursor-pointer items-start gap-3 rounded-md border px-3 py-2 text-sm',
        'group-disabled:cursor-not-allowed',
        checked ? 'border-brand-600 ring-1 ring-brand-600' : 'border-stone-200',
      )}
    >
      <input
        type="radio"
        name="coupon_instance_id"
        value={value}
        checked={checked}
        onChange={() => onChange(value)}
        className="mt-0.5 h-4 w-4 accent-brand-600 disabled:cursor-not-allowed"
      />
      <span className="min-w-0">
        <span className="block font-medium text-stone-900">{title}</span>
        {lines
          .filter((l): l is string => Boolean(l))
          .map((line) => (
            <span key={line} className="block text-xs text-stone-500">
              {line}
            </span>
          ))}
      </span>
    </label>
  );
}
