import { Alert } from '~/components/ui/alert';
import type { TodayHours } from '~/features/cart/store-hours';
import { useT } from '~/i18n/use-t';
import { ShopIcon } from './shop-icons';
import { OrderTypeBadges, StoreOpenBadge } from './store-status';

export interface BannerStore {
  code: string;
  name: string;
  address: string;
  open: boolean;
  today: TodayHours;
  pickupEnabled: boolean;
  deliveryEnabled: boolean;
}

/** The store a page belongs to: name, address, open now, pickup / delivery; a note when closed. */
export function StoreBanner({
  store,
  heading = 'h1',
}: {
  store: BannerStore;
  heading?: 'h1' | 'p';
}) {
  const t = useT();
  const Title = heading;
  return (
    <div className="space-y-3">
      <div>
        <Title className="text-2xl font-bold tracking-tight text-stone-900">{store.name}</Title>
        <p className="mt-1 flex items-start gap-1.5 text-sm text-stone-600">
          <ShopIcon name="pin" className="mt-0.5 h-4 w-4 shrink-0 text-stone-400" />
          <span>{store.address}</span>
        </p>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <StoreOpenBadge open={store.open} today={store.today} />
          <OrderTypeBadges
            pickupEnabled={store.pickupEnabled}
            deliveryEnabled={store.deliveryEnabled}
          />
        </div>
      </div>
      {!store.open ? <Alert tone="warning">{t('shop.store.closedNotice')}</Alert> : null}
    </div>
  );
}
