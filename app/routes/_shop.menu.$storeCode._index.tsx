import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { ButtonLink } from '~/components/ui/button';
import { ProductCard } from '~/components/storefront/product-card';
import { ShopIcon } from '~/components/storefront/shop-icons';
import { StoreBanner } from '~/components/storefront/store-banner';
import { storeMeta } from '~/features/cart/shop-meta';
import { loadShopStore } from '~/features/cart/shop-page.server';
import { getStoreMenu } from '~/features/menu/store-menu.server';
import { useT } from '~/i18n/use-t';
import { publicPageHeaders } from '~/utils/shared-cache.server';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  storeMeta(matches, data?.store.name ?? null, 'shop.menu.title');

/**
 * Anonymous visitors all see the same menu: a shared cache may keep it for a few seconds
 * (ADR 0022). Availability and prices are checked again by the cart and the checkout.
 */
export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const kept: Record<string, string> = {};
  for (const name of ['Cache-Control', 'Vary']) {
    const value = loaderHeaders.get(name);
    if (value) kept[name] = value;
  }
  return kept;
};

/** A store's menu by category (PR-1 availability, PR-2 prices), products open the product sheet. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { store, banner, lang } = await loadShopStore(request, context.db, params.storeCode);
  const menu = await getStoreMenu(context.db, { storeId: store.id, lang });
  if (!menu) throw new Response('Not Found', { status: 404, statusText: 'Not Found' });
  return json(
    {
      store: banner,
      categories: menu.categories.map((category) => ({
        key: category.id === null ? 'other' : String(category.id),
        name: category.name,
        products: category.products.map((p) => ({
          id: p.id,
          name: p.name,
          description: p.description,
          imageUrl: p.imageUrl,
          priceKopecks: p.priceKopecks,
          fromPrice: p.optionGroups.some((g) => g.items.some((i) => i.priceDeltaKopecks > 0)),
          stockStatus: p.stockStatus,
          sellable: p.sellable,
          isSpecialPrice: p.isSpecialPrice,
        })),
      })),
    },
    { headers: publicPageHeaders(request) },
  );
}

export default function StoreMenuRoute() {
  const { store, categories } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="space-y-6">
      <StoreBanner store={store} />

      {categories.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white px-4 py-8 text-center text-sm text-stone-500">
          {t('shop.menu.empty')}
        </p>
      ) : (
        <>
          <nav
            aria-label={t('shop.menu.categories')}
            className="sticky top-14 z-20 -mx-4 overflow-x-auto border-b border-stone-200 bg-stone-50/95 px-4 py-2 backdrop-blur sm:-mx-6 sm:px-6"
          >
            <ul className="flex gap-2 whitespace-nowrap">
              {categories.map((category) => (
                <li key={category.key}>
                  <a
                    href={`#category-${category.key}`}
                    className="inline-block rounded-full bg-white px-3 py-1 text-sm text-stone-700 ring-1 ring-inset ring-stone-200 hover:bg-stone-100"
                  >
                    {category.name ?? t('shop.menu.otherCategory')}
                  </a>
                </li>
              ))}
            </ul>
          </nav>

          {categories.map((category) => (
            <section
              key={category.key}
              id={`category-${category.key}`}
              aria-labelledby={`category-${category.key}-heading`}
              className="scroll-mt-28 space-y-3"
            >
              <h2
                id={`category-${category.key}-heading`}
                className="text-lg font-semibold text-stone-900"
              >
                {category.name ?? t('shop.menu.otherCategory')}
              </h2>
              <ul className="grid gap-3 sm:grid-cols-2">
                {category.products.map((product) => (
                  <li key={product.id}>
                    <ProductCard storeCode={store.code} product={product} />
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </>
      )}

      <div className="flex flex-wrap justify-between gap-3 border-t border-stone-200 pt-4">
        <Link
          to="/"
          className="inline-flex items-center gap-1.5 text-sm text-stone-600 hover:text-stone-900"
        >
          <ShopIcon name="arrowLeft" className="h-4 w-4" />
          {t('shop.menu.allStores')}
        </Link>
        <ButtonLink to={`/cart/${store.code}`} variant="primary">
          <ShopIcon name="cart" className="h-4 w-4" />
          {t('shop.menu.toCart')}
        </ButtonLink>
      </div>
    </div>
  );
}
