import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import {
  Outlet,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from '@remix-run/react';
import { getOptionalMember } from '~/auth/member.server';
import { SkipLink } from '~/components/shell/app-shell';
import { ErrorContent } from '~/components/shell/error-page';
import { ShopFooter } from '~/components/storefront/shop-footer';
import { ShopHeader, type ShopHeaderProps } from '~/components/storefront/shop-header';
import { ToastMessage } from '~/components/storefront/toast';
import { cartStoreIds, itemCount } from '~/features/cart/cart';
import { readCart } from '~/features/cart/cart-cookie.server';
import { readFlashToast } from '~/features/cart/flash.server';
import { getShopStore, getStoreCodes } from '~/features/cart/storefront.server';
import { QUOTE_API_PATH } from '~/features/cart/quote-api';

/**
 * The public storefront frame (pathless layout): header with the CTEA logo, language switch, cart
 * and sign-in / account, the page, a footer with the staff entrance, and the flashed toast. It
 * guards nothing: every child checks its own access (a member page calls requireMember itself).
 */

async function headerCart(
  request: Request,
  db: Parameters<typeof getShopStore>[0],
  storeCode: string | undefined,
): Promise<ShopHeaderProps['cart']> {
  const cart = await readCart(request);
  if (storeCode) {
    const store = await getShopStore(db, storeCode, 'ru');
    if (store) return { storeCode: store.code, count: itemCount(cart, store.id) };
  }
  // outside a store: the cart of the first store that has one, if any
  const ids = cartStoreIds(cart);
  if (ids.length === 0) return null;
  const codes = await getStoreCodes(db, ids);
  const first = ids.find((id) => codes.has(id));
  return first === undefined
    ? null
    : { storeCode: codes.get(first)!, count: itemCount(cart, first) };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const [member, cart, flash] = await Promise.all([
    getOptionalMember(request, context),
    headerCart(request, context.db, params.storeCode),
    readFlashToast(request),
  ]);
  return json(
    {
      // only what the header shows; never the session or the phone
      member: member ? { displayName: member.displayName } : null,
      cart,
      toast: flash.toast,
    },
    flash.clearHeader ? { headers: { 'Set-Cookie': flash.clearHeader } } : undefined,
  );
}

/** A live re-quote on the checkout page changes nothing the header shows. */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  formAction,
  defaultShouldRevalidate,
}) => (formAction === QUOTE_API_PATH ? false : defaultShouldRevalidate);

function Frame({ data, children }: { data: Partial<ShopHeaderProps>; children: React.ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col bg-stone-50">
      <SkipLink />
      <ShopHeader member={data.member ?? null} cart={data.cart ?? null} />
      <main
        id="main"
        tabIndex={-1}
        className="mx-auto w-full max-w-3xl flex-1 px-4 pb-24 pt-5 focus:outline-none sm:px-6"
      >
        {children}
      </main>
      <ShopFooter />
    </div>
  );
}

export default function ShopLayout() {
  const data = useLoaderData<typeof loader>();
  return (
    <Frame data={data}>
      <Outlet />
      <ToastMessage toast={data.toast} />
    </Frame>
  );
}

export function ErrorBoundary() {
  // undefined when this layout's own loader failed
  const data = useRouteLoaderData<typeof loader>('routes/_shop');
  return (
    <Frame data={data ?? {}}>
      <ErrorContent error={useRouteError()} />
    </Frame>
  );
}
