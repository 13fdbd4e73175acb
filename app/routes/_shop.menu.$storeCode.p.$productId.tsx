import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { isSameOriginRequest } from '~/auth/csrf.server';
import { ProductSheet } from '~/components/storefront/product-sheet';
import { ShopIcon } from '~/components/storefront/shop-icons';
import { addToCart } from '~/features/cart/cart-actions.server';
import { storeMeta } from '~/features/cart/shop-meta';
import { loadShopStore, notFound, parseId } from '~/features/cart/shop-page.server';
import { getStoreMenu } from '~/features/menu/store-menu.server';
import { useT } from '~/i18n/use-t';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  storeMeta(matches, data?.product.name ?? null, 'shop.product.title');

const INTENT_ADD = 'add';

/** One product of a store's menu with its option groups; sold-out products have no sheet. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { store, banner, lang } = await loadShopStore(request, context.db, params.storeCode);
  const productId = parseId(params.productId);
  const menu = await getStoreMenu(context.db, { storeId: store.id, lang });
  const product = menu?.categories.flatMap((c) => c.products).find((p) => p.id === productId);
  if (!product || !product.sellable) throw notFound();
  return json({ store: { code: banner.code, name: banner.name }, product });
}

/** Add to cart (anonymous too), then back to the menu with a confirmation toast. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  if (!isSameOriginRequest(request)) throw new Response('Forbidden', { status: 403 });
  const { store, lang } = await loadShopStore(request, context.db, params.storeCode);
  const productId = parseId(params.productId);
  if (productId === null) throw notFound();
  const form = await request.formData();
  if (form.get('intent') !== INTENT_ADD) {
    return json(
      { error: { code: 'UNKNOWN_INTENT', message_key: 'cart.error.invalid', details: {} } },
      { status: 400 },
    );
  }
  const outcome = await addToCart(context.db, {
    request,
    form,
    storeId: store.id,
    productId,
    lang,
  });
  if (!outcome.ok) return json({ error: outcome.error }, { status: outcome.status });
  return redirect(`/menu/${store.code}`, { headers: outcome.headers });
}

export default function ProductRoute() {
  const { store, product } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="space-y-4">
      <Link
        to={`/menu/${store.code}`}
        className="inline-flex items-center gap-1.5 text-sm text-stone-600 hover:text-stone-900"
      >
        <ShopIcon name="arrowLeft" className="h-4 w-4" />
        {t('shop.product.backToMenu', { store: store.name })}
      </Link>
      <div className="rounded-xl border border-stone-200 bg-white p-4 shadow-sm sm:p-6">
        <ProductSheet product={product} error={result?.error ?? null} />
      </div>
    </div>
  );
}
