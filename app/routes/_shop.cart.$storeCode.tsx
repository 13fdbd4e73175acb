import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { isSameOriginRequest } from '~/auth/csrf.server';
import { getOptionalMember } from '~/auth/member.server';
import { CartLines } from '~/components/storefront/cart-lines';
import { ShopIcon } from '~/components/storefront/shop-icons';
import { Alert } from '~/components/ui/alert';
import { ButtonLink } from '~/components/ui/button';
import { storeLines } from '~/features/cart/cart';
import { CART_INTENTS, changeCart, type CartIntent } from '~/features/cart/cart-actions.server';
import { readCart } from '~/features/cart/cart-cookie.server';
import { buildCartView } from '~/features/cart/cart-view.server';
import { detailParams } from '~/features/cart/format';
import { storeMeta } from '~/features/cart/shop-meta';
import { loadShopStore } from '~/features/cart/shop-page.server';
import type { MessageKey } from '~/i18n/translate';
import { useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  storeMeta(matches, data?.store.name ?? null, 'cart.title');

/** The store's cart, priced by the checkout quote; works before sign-in. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { store, banner, lang } = await loadShopStore(request, context.db, params.storeCode);
  const [member, cart] = await Promise.all([
    getOptionalMember(request, context),
    readCart(request),
  ]);
  const view = await buildCartView(context.db, {
    store,
    lines: storeLines(cart, store.id),
    memberId: member?.id ?? null,
    lang,
  });
  return json({
    store: { code: banner.code, name: banner.name },
    signedIn: member !== null,
    ...view,
  });
}

/** quantity / remove / clear, then back here (post/redirect/get). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  if (!isSameOriginRequest(request)) throw new Response('Forbidden', { status: 403 });
  const { store } = await loadShopStore(request, context.db, params.storeCode);
  const form = await request.formData();
  const intent = form.get('intent');
  if (typeof intent !== 'string' || !(CART_INTENTS as readonly string[]).includes(intent)) {
    return json(
      { error: { code: 'UNKNOWN_INTENT', message_key: 'cart.error.invalid', details: {} } },
      { status: 400 },
    );
  }
  const outcome = await changeCart({
    request,
    form,
    storeId: store.id,
    intent: intent as CartIntent,
  });
  if (!outcome.ok) return json({ error: outcome.error }, { status: outcome.status });
  return redirect(`/cart/${store.code}`, { headers: outcome.headers });
}

export default function CartRoute() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const checkoutHref = `/checkout/${data.store.code}`;

  return (
    <div className="space-y-5">
      <Link
        to={`/menu/${data.store.code}`}
        className="inline-flex items-center gap-1.5 text-sm text-stone-600 hover:text-stone-900"
      >
        <ShopIcon name="arrowLeft" className="h-4 w-4" />
        {t('shop.product.backToMenu', { store: data.store.name })}
      </Link>
      <h1 className="text-2xl font-bold tracking-tight text-stone-900">{t('cart.title')}</h1>

      {result?.error ? (
        <Alert tone="danger">
          {t(result.error.message_key as MessageKey, detailParams(result.error.details, lang))}
        </Alert>
      ) : null}

      {data.lines.length === 0 ? (
        <div className="rounded-lg border border-dashed border-stone-300 bg-white px-6 py-10 text-center">
          <p className="text-sm font-medium text-stone-900">{t('cart.empty.title')}</p>
          <p className="mt-1 text-sm text-stone-500">{t('cart.empty.body')}</p>
          <ButtonLink to={`/menu/${data.store.code}`} variant="primary" className="mt-5">
            {t('cart.empty.toMenu')}
          </ButtonLink>
        </div>
      ) : (
        <>
          {data.problems.map((p) => (
            <Alert key={p.code} tone="warning">
              {t(p.message_key as MessageKey, detailParams(p.details, lang))}
            </Alert>
          ))}
          <CartLines lines={data.lines} />
          <div className="flex items-center justify-between rounded-lg bg-white px-4 py-3 ring-1 ring-inset ring-stone-200">
            <span className="text-sm text-stone-600">{t('cart.subtotal')}</span>
            <span className="text-lg font-semibold text-stone-900" data-testid="cart-subtotal">
              {formatRub(data.subtotalKopecks, lang)}
            </span>
          </div>
          <div className="flex flex-col-reverse gap-3 sm:flex-row sm:items-center sm:justify-between">
            <Form method="post" preventScrollReset>
              <input type="hidden" name="intent" value="clear" />
              <button
                type="submit"
                className="inline-flex items-center gap-1.5 text-sm text-stone-600 hover:text-red-700"
              >
                <ShopIcon name="trash" className="h-4 w-4" />
                {t('cart.clear')}
              </button>
            </Form>
            <div className="flex flex-col items-stretch gap-1 sm:items-end">
              {data.ready ? (
                <ButtonLink to={checkoutHref} variant="primary" className="h-11 px-6 text-base">
                  {t('cart.toCheckout')}
                  <ShopIcon name="arrowRight" className="h-4 w-4" />
                </ButtonLink>
              ) : (
                <p className="text-sm text-red-700">{t('cart.fixLines')}</p>
              )}
              {!data.signedIn && data.ready ? (
                <p className="text-xs text-stone-500">{t('cart.signInHint')}</p>
              ) : null}
            </div>
          </div>
        </>
      )}
    </div>
  );
}
