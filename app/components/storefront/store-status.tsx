import { Badge } from '~/components/ui/badge';
import type { TodayHours } from '~/features/cart/store-hours';
import { useT } from '~/i18n/use-t';

/** "Open now" / "Closed" and today's hours of a store (computed by the loader in the store's zone). */
export function StoreOpenBadge({ open, today }: { open: boolean; today: TodayHours }) {
  const t = useT();
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Badge tone={open ? 'success' : 'neutral'}>
        {t(open ? 'shop.store.openNow' : 'shop.store.closedNow')}
      </Badge>
      <span className="text-xs text-stone-500">
        {today.kind === 'allDay'
          ? t('shop.store.allDay')
          : today.kind === 'closed'
            ? t('shop.store.closedToday')
            : t('shop.store.todayHours', { open: today.open, close: today.close })}
      </span>
    </span>
  );
}

/** Pickup / delivery availability of a store. */
export function OrderTypeBadges({
  pickupEnabled,
  deliveryEnabled,
}: {
  pickupEnabled: boolean;
  deliveryEnabled: boolean;
}) {
  const t = useT();
  return (
    <span className="inline-flex flex-wrap gap-1.5">
      {pickupEnabled ? <Badge tone="brand">{t('shop.store.pickup')}</Badge> : null}
      {deliveryEnabled ? <Badge tone="info">{t('shop.store.delivery')}</Badge> : null}
    </span>
  );
}
