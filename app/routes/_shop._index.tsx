import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { StorePicker } from '~/components/storefront/store-picker';
import { shopLang } from '~/features/cart/shop-lang.server';
import { isStoreOpen, todayHours } from '~/features/cart/store-hours';
import { listShopStores } from '~/features/cart/storefront.server';
import { DEFAULT_LANG, isLang } from '~/i18n/languages';
import { translate } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => {
  const value = (matches.find((m) => m.id === 'root')?.data as { lang?: unknown } | undefined)
    ?.lang;
  const lang = isLang(value) ? value : DEFAULT_LANG;
  return [
    { title: translate(lang, 'shell.landing.title') },
    { name: 'description', content: translate(lang, 'shop.picker.intro') },
  ];
};

/** The home page: every active store, open or closed now in its own time zone, with a menu link. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const lang = shopLang(request);
  const now = new Date();
  const stores = await listShopStores(context.db, lang);
  return json({
    stores: stores.map((store) => ({
      code: store.code,
      name: store.name,
      address: store.address,
      latitude: store.latitude,
      longitude: store.longitude,
      open: isStoreOpen(store.openingHours, store.timezone, now),
      today: todayHours(store.openingHours, store.timezone, now),
      pickupEnabled: store.pickupEnabled,
      deliveryEnabled: store.deliveryEnabled,
    })),
  });
}

export default function StorePickerRoute() {
  const { stores } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="space-y-8">
      <section className="pt-2">
        <h1 className="text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">
          {t('shell.landing.title')}
        </h1>
        <p className="mt-2 max-w-xl text-sm leading-relaxed text-stone-600">
          {t('shop.picker.intro')}
        </p>
      </section>
      <StorePicker stores={stores} />
    </div>
  );
}
