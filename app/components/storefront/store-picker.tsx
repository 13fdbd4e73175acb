import { Link } from '@remix-run/react';
import { useMemo, useState } from 'react';
import { buttonClasses } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { distanceMeters, type LatLngPoint } from '~/features/cart/geo';
import type { TodayHours } from '~/features/cart/store-hours';
import type { Lang } from '~/i18n/languages';
import { useLang, useT } from '~/i18n/use-t';
import { ShopIcon } from './shop-icons';
import { OrderTypeBadges, StoreOpenBadge } from './store-status';

export interface PickerStore {
  code: string;
  name: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  open: boolean;
  today: TodayHours;
  pickupEnabled: boolean;
  deliveryEnabled: boolean;
}

type Locating = 'idle' | 'locating' | 'located' | 'denied' | 'unavailable';

const LOCALES: Record<Lang, string> = { ru: 'ru-RU', zh: 'zh-CN', en: 'en-US' };

function formatDistance(meters: number, lang: Lang): string {
  const locale = LOCALES[lang];
  if (meters < 1000) {
    const rounded = Math.max(10, Math.round(meters / 10) * 10);
    return new Intl.NumberFormat(locale, { style: 'unit', unit: 'meter' }).format(rounded);
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'kilometer',
    maximumFractionDigits: meters < 10_000 ? 1 : 0,
  }).format(meters / 1000);
}

/**
 * The list of stores. Distances appear only after the visitor asks for them: the browser's
 * location is requested on a button press, stays in the page and is never sent to the server.
 */
export function StorePicker({ stores }: { stores: PickerStore[] }) {
  const t = useT();
  const lang = useLang();
  const [position, setPosition] = useState<LatLngPoint | null>(null);
  const [locating, setLocating] = useState<Locating>('idle');

  function locate() {
    if (typeof navigator === 'undefined' || !('geolocation' in navigator)) {
      setLocating('unavailable');
      return;
    }
    setLocating('locating');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setPosition({ lat: pos.coords.latitude, lng: pos.coords.longitude });
        setLocating('located');
      },
      (err) => setLocating(err.code === err.PERMISSION_DENIED ? 'denied' : 'unavailable'),
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 300_000 },
    );
  }

  const rows = useMemo(() => {
    const withDistance = stores.map((store) => ({
      store,
      distance:
        position && store.latitude !== null && store.longitude !== null
          ? distanceMeters(position, { lat: store.latitude, lng: store.longitude })
          : null,
    }));
    if (!position) return withDistance;
    // nearest first; stores without coordinates keep their order at the end
    return [...withDistance].sort(
      (a, b) => (a.distance ?? Number.POSITIVE_INFINITY) - (b.distance ?? Number.POSITIVE_INFINITY),
    );
  }, [stores, position]);

  return (
    <section aria-labelledby="stores-heading" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="stores-heading" className="text-lg font-semibold text-stone-900">
          {t('shop.picker.heading')}
        </h2>
        <button
          type="button"
          onClick={locate}
          disabled={locating === 'locating'}
          className={buttonClasses({ variant: 'secondary', size: 'sm' })}
        >
          <ShopIcon name="locate" className="h-4 w-4" />
          {t(locating === 'locating' ? 'shop.picker.locating' : 'shop.picker.showDistance')}
        </button>
      </div>
      {locating === 'denied' || locating === 'unavailable' ? (
        <p role="status" className="text-sm text-stone-500">
          {t(
            locating === 'denied'
              ? 'shop.picker.locationDenied'
              : 'shop.picker.locationUnavailable',
          )}
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white px-4 py-8 text-center text-sm text-stone-500">
          {t('shop.picker.empty')}
        </p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2">
          {rows.map(({ store, distance }) => (
            <li key={store.code}>
              <Card className="flex h-full flex-col p-4">
                <div className="flex items-start justify-between gap-3">
                  <h3 className="text-base font-semibold text-stone-900">
                    <Link
                      to={`/menu/${store.code}`}
                      className="hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
                    >
                      {store.name}
                    </Link>
                  </h3>
                  {distance !== null ? (
                    <span className="shrink-0 text-sm font-medium text-stone-700">
                      {formatDistance(distance, lang)}
                    </span>
                  ) : null}
                </div>
                <p className="mt-1 flex items-start gap-1.5 text-sm text-stone-600">
                  <ShopIcon name="pin" className="mt-0.5 h-4 w-4 shrink-0 text-stone-400" />
                  <span>{store.address}</span>
                </p>
                <div className="mt-3 flex flex-wrap items-center gap-2">
                  <StoreOpenBadge open={store.open} today={store.today} />
                </div>
                <div className="mt-2">
                  <OrderTypeBadges
                    pickupEnabled={store.pickupEnabled}
                    deliveryEnabled={store.deliveryEnabled}
                  />
                </div>
                <div className="mt-4 flex flex-1 items-end">
                  <Link
                    to={`/menu/${store.code}`}
                    className={buttonClasses({ variant: 'primary', className: 'w-full' })}
                    aria-label={t('shop.picker.openMenuOf', { store: store.name })}
                  >
                    {t('shop.picker.openMenu')}
                  </Link>
                </div>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
