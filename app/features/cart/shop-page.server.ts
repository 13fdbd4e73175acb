import type { Db } from '~db/database.server';
import type { Lang } from '~/i18n/languages';
import { shopLang } from './shop-lang.server';
import { isStoreOpen, todayHours, type TodayHours } from './store-hours';
import { getShopStore, type ShopStore } from './storefront.server';

/** What every store page (/menu/<storeCode>, /cart/<storeCode>, /checkout/<storeCode>) starts with: the active store, or a thrown 404. */

export interface StoreBannerData {
  id: number;
  code: string;
  name: string;
  address: string;
  open: boolean;
  today: TodayHours;
  pickupEnabled: boolean;
  deliveryEnabled: boolean;
}

const POSITIVE_INT = /^[1-9][0-9]{0,9}$/;

/** A route param that must be a positive 32-bit id (product ids); null otherwise. */
export function parseId(param: string | undefined): number | null {
  if (param === undefined || !POSITIVE_INT.test(param)) return null;
  const value = Number(param);
  return value <= 2_147_483_647 ? value : null;
}

export function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' });
}

export async function loadShopStore(
  request: Request,
  db: Db,
  storeCode: string | undefined,
  now: Date = new Date(),
): Promise<{ store: ShopStore; banner: StoreBannerData; lang: Lang }> {
  const lang = shopLang(request);
  const store = storeCode ? await getShopStore(db, storeCode, lang) : null;
  if (!store) throw notFound();
  return {
    store,
    lang,
    banner: {
      id: store.id,
      code: store.code,
      name: store.name,
      address: store.address,
      open: isStoreOpen(store.openingHours, store.timezone, now),
      today: todayHours(store.openingHours, store.timezone, now),
      pickupEnabled: store.pickupEnabled,
      deliveryEnabled: store.deliveryEnabled,
    },
  };
}
