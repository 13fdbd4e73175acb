import { Badge, type BadgeTone } from '~/components/ui/badge';
import type { PublicOrder } from '~/features/cart/order-view.server';
import { formatDateTime, formatPoints } from '~/features/cart/format';
import { useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';
import type { OrderStatus } from '~/utils/vocabularies';
import { OrderProgress, orderHeadlineKey } from './order-progress';
import { OrderLines } from './order-lines';
import { ShopIcon } from './shop-icons';

const STATUS_TONE: Record<OrderStatus, BadgeTone> = {
  PENDING: 'warning',
  CONFIRMED: 'success',
  PREPARING: 'info',
  READY: 'success',
  DELIVERING: 'info',
  COMPLETED: 'neutral',
  CANCELLED: 'danger',
  VOIDED: 'danger',
  REFUNDED: 'neutral',
};

const TERMINAL = new Set<OrderStatus>(['CANCELLED', 'VOIDED', 'REFUNDED']);

/** The public order (OR-5): number, store, status with progress, lines with options, totals. */
export function OrderDetails({ order }: { order: PublicOrder }) {
  const t = useT();
  const lang = useLang();
  const rub = (kopecks: number) => formatRub(kopecks, lang);
  return (
    <div className="space-y-5">
      <header className="space-y-2">
        <p className="text-sm text-stone-500">{t('shop.order.numberLabel')}</p>
        <h1
          className="font-mono text-2xl font-bold tracking-tight text-stone-900"
          data-testid="order-number"
        >
          {order.orderNumber}
        </h1>
        <p className="flex items-start gap-1.5 text-sm text-stone-600">
          <ShopIcon name="pin" className="mt-0.5 h-4 w-4 shrink-0 text-stone-400" />
          <span>
            {order.store.name} · {order.store.address}
          </span>
        </p>
        <p className="text-xs text-stone-500">
          {t(
            order.orderType === 'DELIVERY'
              ? 'checkout.fulfilment.delivery'
              : 'checkout.fulfilment.pickup',
          )}
          {' · '}
          {formatDateTime(order.createdAt, lang)}
        </p>
      </header>

      <section
        aria-labelledby="order-status-heading"
        aria-live="polite"
        className="space-y-4 rounded-lg border border-stone-200 bg-white p-4"
      >
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="order-status-heading" className="text-base font-semibold text-stone-900">
            {t(orderHeadlineKey(order.status, order.paymentStatus))}
          </h2>
          <Badge tone={STATUS_TONE[order.status]} data-testid="order-status">
            {t(`shop.orderStatus.${order.status}`)}
          </Badge>
        </div>
        {TERMINAL.has(order.status) ? (
          <p className="text-sm text-stone-600">
            {t(`shop.order.terminal.${order.status as 'CANCELLED' | 'VOIDED' | 'REFUNDED'}`)}
          </p>
        ) : (
          <OrderProgress status={order.status} orderType={order.orderType} />
        )}
        <p className="text-xs text-stone-500">
          {t('shop.order.payment', { status: t(`shop.paymentStatus.${order.paymentStatus}`) })}
          {order.deliveryEtaMinutes && order.orderType === 'DELIVERY'
            ? ` · ${t('shop.order.eta', { minutes: order.deliveryEtaMinutes })}`
            : ''}
        </p>
      </section>

      <section
        aria-labelledby="order-lines-heading"
        className="rounded-lg border border-stone-200 bg-white p-4"
      >
        <h2 id="order-lines-heading" className="text-base font-semibold text-stone-900">
          {t('shop.order.lines')}
        </h2>
        <OrderLines
          className="mt-2"
          lines={order.lines.map((line) => ({
            key: line.lineNo,
            name: line.name,
            quantity: line.quantity,
            optionNames: line.options.map((o) => o.name),
            total: rub(line.lineTotalKopecks),
          }))}
        />
        <dl className="mt-2 space-y-1.5 border-t border-stone-200 pt-3 text-sm">
          <div className="flex justify-between gap-3">
            <dt className="text-stone-600">{t('checkout.summary.subtotal')}</dt>
            <dd>{rub(order.subtotalKopecks)}</dd>
          </div>
          {order.orderType === 'DELIVERY' ? (
            <div className="flex justify-between gap-3">
              <dt className="text-stone-600">{t('checkout.summary.deliveryFee')}</dt>
              <dd>{rub(order.deliveryFeeKopecks)}</dd>
            </div>
          ) : null}
          {order.couponDiscountKopecks > 0 ? (
            <div className="flex justify-between gap-3 text-emerald-700">
              <dt>{t('checkout.summary.couponDiscount')}</dt>
              <dd>{t('checkout.summary.minus', { amount: rub(order.couponDiscountKopecks) })}</dd>
            </div>
          ) : null}
          {order.pointsDiscountKopecks > 0 ? (
            <div className="flex justify-between gap-3 text-emerald-700">
              <dt>
                {t('checkout.summary.pointsDiscount', {
                  points: formatPoints(order.pointsUsed, lang),
                })}
              </dt>
              <dd>{t('checkout.summary.minus', { amount: rub(order.pointsDiscountKopecks) })}</dd>
            </div>
          ) : null}
          <div className="flex justify-between gap-3 border-t border-stone-200 pt-2 text-base font-semibold">
            <dt>{t('shop.order.total')}</dt>
            <dd data-testid="order-total">{rub(order.finalKopecks)}</dd>
          </div>
          {order.pointsEarned > 0 && !TERMINAL.has(order.status) ? (
            <p className="text-xs text-stone-500">
              {t(
                order.status === 'COMPLETED'
                  ? 'shop.order.pointsCredited'
                  : 'shop.order.pointsToEarn',
                {
                  points: formatPoints(order.pointsEarned, lang),
                },
              )}
            </p>
          ) : null}
        </dl>
      </section>
    </div>
  );
}
