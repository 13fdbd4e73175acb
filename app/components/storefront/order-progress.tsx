import { cn } from '~/components/ui/cn';
import { useT } from '~/i18n/use-t';
import type { OrderPaymentStatus, OrderStatus } from '~/utils/vocabularies';
import { ShopIcon } from './shop-icons';

const PICKUP_STEPS: OrderStatus[] = ['PENDING', 'CONFIRMED', 'PREPARING', 'READY', 'COMPLETED'];
const DELIVERY_STEPS: OrderStatus[] = [
  'PENDING',
  'CONFIRMED',
  'PREPARING',
  'READY',
  'DELIVERING',
  'COMPLETED',
];

/** The headline of an order's state: a PENDING order is "awaiting payment" until it is paid. */
export function orderHeadlineKey(status: OrderStatus, payment: OrderPaymentStatus) {
  if (status === 'PENDING' && (payment === 'PENDING' || payment === 'FAILED'))
    return 'shop.order.awaitingPayment' as const;
  return `shop.orderStatus.${status}` as const;
}

/**
 * Where the order is on its way (OR-1): the fulfilment chain as steps, the current one marked.
 * Cancelled, voided and refunded orders are not on the chain; the page says so instead.
 */
export function OrderProgress({
  status,
  orderType,
}: {
  status: OrderStatus;
  orderType: 'PICKUP' | 'DELIVERY';
}) {
  const t = useT();
  const steps = orderType === 'DELIVERY' ? DELIVERY_STEPS : PICKUP_STEPS;
  const current = steps.indexOf(status);
  if (current < 0) return null;
  return (
    <ol
      className="grid gap-2 sm:flex sm:items-start sm:gap-0"
      aria-label={t('shop.order.progress')}
    >
      {steps.map((step, index) => {
        const done = index < current || status === 'COMPLETED';
        const active = index === current && status !== 'COMPLETED';
        return (
          <li
            key={step}
            aria-current={index === current ? 'step' : undefined}
            className="flex items-center gap-2 sm:flex-1 sm:flex-col sm:text-center"
          >
            <span
              className={cn(
                'flex h-7 w-7 shrink-0 items-center justify-center rounded-full text-xs font-semibold',
                done && 'bg-emerald-600 text-white',
                active && 'bg-brand-600 text-white ring-4 ring-brand-100',
                !done && !active && 'bg-stone-200 text-stone-500',
              )}
            >
              {done ? <ShopIcon name="check" className="h-4 w-4" /> : index + 1}
            </span>
            <span
              className={cn(
                'text-xs',
                active
                  ? 'font-semibold text-stone-900'
                  : done
                    ? 'text-stone-700'
                    : 'text-stone-400',
              )}
            >
              {t(`shop.orderStatus.${step}`)}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
