import { useState } from 'react';
import { Input, Label } from '~/components/ui/input';
import { cn } from '~/components/ui/cn';
import { NEW_ADDRESS } from '~/features/cart/checkout-form';
import { useT } from '~/i18n/use-t';
import type { MessageKey } from '~/i18n/translate';
import { LocationPicker, type LatLngPair, type PickerZone } from './location-picker';
import { ShopIcon } from './shop-icons';

export interface CheckoutAddress {
  id: number;
  label: string | null;
  addressLine: string;
  apartment: string | null;
  isDefault: boolean;
}

export type DeliveryNote =
  | { kind: 'zone'; fee: string; minOrder: string | null; etaMinutes: number | null }
  | { kind: 'problem'; message: MessageKey; params: Record<string, string | number> }
  | null;

const OPTION_CARD =
  'flex cursor-pointer items-center gap-3 rounded-md border px-3 py-2.5 text-sm has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-50';

/**
 * Pickup at the store or delivery: a saved address of the member, or a new one (address text and a
 * point picked on the map or typed as coordinates; no geocoding in v1, DL-4). The zone's fee,
 * minimum and ETA — or "we don't deliver there" — come from the live quote.
 */
export function DeliverySection({
  store,
  orderType,
  onOrderTypeChange,
  addresses,
  addressId,
  onAddressChange,
  point,
  onPointChange,
  zones,
  note,
}: {
  store: {
    address: string;
    pickupEnabled: boolean;
    deliveryEnabled: boolean;
    point: LatLngPair | null;
  };
  orderType: 'PICKUP' | 'DELIVERY';
  onOrderTypeChange: (value: 'PICKUP' | 'DELIVERY') => void;
  addresses: CheckoutAddress[];
  addressId: string;
  onAddressChange: (value: string) => void;
  point: { lat: string; lng: string };
  onPointChange: (value: { lat: string; lng: string }) => void;
  zones: PickerZone[];
  note: DeliveryNote;
}) {
  const t = useT();
  const [locating, setLocating] = useState(false);
  const newAddress = addressId === NEW_ADDRESS;
  const picked =
    point.lat !== '' &&
    point.lng !== '' &&
    Number.isFinite(Number(point.lat)) &&
    Number.isFinite(Number(point.lng))
      ? ([Number(point.lat), Number(point.lng)] as const)
      : null;

  function locate() {
    if (typeof navigator === 'undefined' || !('geolocation' in navigator)) return;
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        onPointChange({
          lat: pos.coords.latitude.toFixed(6),
          lng: pos.coords.longitude.toFixed(6),
        });
      },
      () => setLocating(false),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  }

  return (
    <section
      aria-labelledby="fulfilment-heading"
      className="space-y-4 rounded-lg border border-stone-200 bg-white p-4"
    >
      <h2 id="fulfilment-heading" className="text-base font-semibold text-stone-900">
        {t('checkout.fulfilment.title')}
      </h2>
      <fieldset className="grid gap-2 sm:grid-cols-2">
        <legend className="sr-only">{t('checkout.fulfilment.title')}</legend>
        {(['PICKUP', 'DELIVERY'] as const).map((type) => {
          const enabled = type === 'PICKUP' ? store.pickupEnabled : store.deliveryEnabled;
          return (
            <label
              key={type}
              className={cn(
                OPTION_CARD,
                orderType === type ? 'border-brand-600 ring-1 ring-brand-600' : 'border-stone-200',
              )}
            >
              <input
                type="radio"
                name="order_type"
                value={type}
                checked={orderType === type}
                disabled={!enabled}
                onChange={() => onOrderTypeChange(type)}
                className="h-4 w-4 accent-brand-600"
              />
              <ShopIcon
                name={type === 'PICKUP' ? 'bag' : 'truck'}
                className="h-5 w-5 text-stone-500"
              />
              <span className="flex-1">
                <span className="block font-medium text-stone-900">
                  {t(
                    type === 'PICKUP'
                      ? 'checkout.fulfilment.pickup'
                      : 'checkout.fulfilment.delivery',
                  )}
                </span>
                {!enabled ? (
                  <span className="block text-xs text-stone-500">
                    {t('checkout.fulfilment.unavailable')}
                  </span>
                ) : null}
              </span>
            </label>
          );
        })}
      </fieldset>

      {orderType === 'PICKUP' ? (
        <p className="flex items-start gap-1.5 text-sm text-stone-600">
          <ShopIcon name="pin" className="mt-0.5 h-4 w-4 shrink-0 text-stone-400" />
          {t('checkout.fulfilment.pickupAt', { address: store.address })}
        </p>
      ) : (
        <div className="space-y-4">
          {addresses.length > 0 ? (
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium text-stone-800">
                {t('checkout.delivery.savedAddresses')}
              </legend>
              {addresses.map((a) => (
                <label
                  key={a.id}
                  className={cn(
                    OPTION_CARD,
                    addressId === String(a.id)
                      ? 'border-brand-600 ring-1 ring-brand-600'
                      : 'border-stone-200',
                  )}
                >
                  <input
                    type="radio"
                    name="address_id"
                    value={a.id}
                    checked={addressId === String(a.id)}
                    onChange={() => onAddressChange(String(a.id))}
                    className="h-4 w-4 accent-brand-600"
                  />
                  <span className="min-w-0">
                    {a.label ? (
                      <span className="block font-medium text-stone-900">{a.label}</span>
                    ) : null}
                    <span className="block text-stone-700">
                      {[a.addressLine, a.apartment].filter(Boolean).join(', ')}
                    </span>
                  </span>
                </label>
              ))}
              <label
                className={cn(
                  OPTION_CARD,
                  newAddress ? 'border-brand-600 ring-1 ring-brand-600' : 'border-stone-200',
                )}
              >
                <input
                  type="radio"
                  name="address_id"
                  value={NEW_ADDRESS}
                  checked={newAddress}
                  onChange={() => onAddressChange(NEW_ADDRESS)}
                  className="h-4 w-4 accent-brand-600"
                />
                <span className="font-medium text-stone-900">
                  {t('checkout.delivery.newAddress')}
                </span>
              </label>
            </fieldset>
          ) : (
            <input type="hidden" name="address_id" value={NEW_ADDRESS} />
          )}

          {newAddress ? (
            <div className="space-y-3">
              <div className="space-y-1.5">
                <Label htmlFor="address_line">{t('checkout.delivery.addressLine')}</Label>
                <Input
                  id="address_line"
                  name="address_line"
                  autoComplete="street-address"
                  maxLength={500}
                  required
                />
              </div>
              <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
                {(['apartment', 'entrance', 'floor', 'intercom'] as const).map((field) => (
                  <div key={field} className="space-y-1.5">
                    <Label htmlFor={field}>{t(`checkout.delivery.${field}`)}</Label>
                    <Input id={field} name={field} maxLength={20} />
                  </div>
                ))}
              </div>
              <div className="space-y-1.5">
                <Label htmlFor="comment">{t('checkout.delivery.comment')}</Label>
                <Input id="comment" name="comment" maxLength={500} />
              </div>
              <LocationPicker
                zones={zones}
                store={store.point}
                point={picked}
                onPick={([lat, lng]) => onPointChange({ lat: lat.toFixed(6), lng: lng.toFixed(6) })}
              />
              <div className="grid grid-cols-2 items-end gap-3 sm:grid-cols-3">
                <div className="space-y-1.5">
                  <Label htmlFor="latitude">{t('checkout.delivery.latitude')}</Label>
                  <Input
                    id="latitude"
                    name="latitude"
                    inputMode="decimal"
                    value={point.lat}
                    onChange={(e) => onPointChange({ ...point, lat: e.target.value })}
                  />
                </div>
                <div className="space-y-1.5">
                  <Label htmlFor="longitude">{t('checkout.delivery.longitude')}</Label>
                  <Input
                    id="longitude"
                    name="longitude"
                    inputMode="decimal"
                    value={point.lng}
                    onChange={(e) => onPointChange({ ...point, lng: e.target.value })}
                  />
                </div>
                <button
                  type="button"
                  onClick={locate}
                  disabled={locating}
                  className="col-span-2 inline-flex h-9 items-center justify-center gap-1.5 rounded-md text-sm text-stone-700 ring-1 ring-inset ring-stone-300 hover:bg-stone-50 sm:col-span-1"
                >
                  <ShopIcon name="locate" className="h-4 w-4" />
                  {t('checkout.delivery.useMyLocation')}
                </button>
              </div>
            </div>
          ) : null}

          {note ? (
            note.kind === 'zone' ? (
              <p
                role="status"
                className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900"
                data-testid="delivery-zone"
              >
                {t('checkout.delivery.zone', { fee: note.fee })}
                {note.minOrder
                  ? ` ${t('checkout.delivery.zoneMinimum', { amount: note.minOrder })}`
                  : ''}
                {note.etaMinutes
                  ? ` ${t('checkout.delivery.zoneEta', { minutes: note.etaMinutes })}`
                  : ''}
              </p>
            ) : (
              <p
                role="alert"
                className="rounded-md bg-amber-50 px-3 py-2 text-sm font-medium text-amber-900"
                data-testid="delivery-problem"
              >
                {t(note.message, note.params)}
              </p>
            )
          ) : null}
        </div>
      )}
    </section>
  );
}
