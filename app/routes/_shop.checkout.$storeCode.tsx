import crypto from 'node:crypto';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import {
  Link,
  useActionData,
  useLoaderData,
  type ShouldRevalidateFunction,
} from '@remix-run/react';
import { requireMember, requireMemberCsrf } from '~/auth/member.server';
import { CheckoutForm } from '~/components/storefront/checkout-form';
import { ShopIcon } from '~/components/storefront/shop-icons';
import { clearStore, storeLines } from '~/features/cart/cart';
import { commitCart, readCart } from '~/features/cart/cart-cookie.server';
import { checkoutBodyFromForm, NEW_ADDRESS } from '~/features/cart/checkout-form';
import { listCheckoutCoupons, listSavedAddresses } from '~/features/cart/checkout-options.server';
import { QUOTE_API_PATH } from '~/features/cart/quote-api';
import { quoteToJson } from '~/features/cart/quote-json';
import { storeMeta } from '~/features/cart/shop-meta';
import { loadShopStore } from '~/features/cart/shop-page.server';
import { errorBody } from '~/features/checkout/checkout-errors';
import { quoteBodySchema } from '~/features/checkout/checkout.schema';
import { placeOrder } from '~/features/checkout/place-order.service.server';
import {
  DATABASE_RETRY_AFTER_S,
  markDatabaseUnavailable,
  recordDatabaseUnavailable,
  serviceUnavailableBody,
} from '~/utils/database-unavailable.server';
import { isDatabaseUnavailable } from '~/utils/pg-errors';
import { quoteCheckout } from '~/features/checkout/pricing.server';
import { listZones } from '~/features/delivery/delivery.server';
import { consumeCheckoutLimit } from '~/features/ratelimit/rate-limit.server';
import { pickLocalized, useT } from '~/i18n/use-t';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  storeMeta(matches, data?.storeName ?? null, 'checkout.title');

/**
 * Checkout (CK-1): a signed-in member chooses pickup or delivery, a coupon or points, sees the
 * server's quote, and places the order through placeOrder. Lines come from the cart as the page
 * rendered them; the Idempotency-Key is made here, once per render of the page.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const member = await requireMember(request, context);
  const { store, banner, lang } = await loadShopStore(request, context.db, params.storeCode);
  const lines = storeLines(await readCart(request), store.id);
  if (lines.length === 0) throw redirect(`/cart/${store.code}`);

  const [addresses, coupons, zones] = await Promise.all([
    listSavedAddresses(context.db, member.id),
    listCheckoutCoupons(context.db, { memberId: member.id, storeId: store.id, lang }),
    store.deliveryEnabled ? listZones(context.db, store.id, { activeOnly: true }) : [],
  ]);
  const orderType: 'PICKUP' | 'DELIVERY' =
    store.pickupEnabled || !store.deliveryEnabled ? 'PICKUP' : 'DELIVERY';
  const defaultAddress = addresses[0];
  const addressId = defaultAddress ? String(defaultAddress.id) : NEW_ADDRESS;
  const quote = await quoteCheckout(context.db, {
    memberId: member.id,
    lang,
    body: quoteBodySchema.parse({
      store_id: store.id,
      order_type: orderType,
      lines,
      use_points: false,
      delivery:
        orderType === 'DELIVERY' && defaultAddress ? { address_id: defaultAddress.id } : null,
    }),
  });

  return json(
    {
      storeName: banner.name,
      storeCode: store.code,
      form: {
        store: {
          id: store.id,
          address: store.address,
          pickupEnabled: store.pickupEnabled,
          deliveryEnabled: store.deliveryEnabled,
          point:
            store.latitude !== null && store.longitude !== null
              ? ([store.latitude, store.longitude] as const)
              : null,
        },
        member: { displayName: member.displayName, csrfToken: member.csrfToken },
        linesJson: JSON.stringify(lines),
        addresses: addresses.map((a) => ({
          id: a.id,
          label: a.label,
          addressLine: a.addressLine,
          apartment: a.apartment,
          isDefault: a.isDefault,
        })),
        coupons,
        zones: zones.map((z) => ({
          id: z.id,
          name: pickLocalized(lang, z, 'name'),
          polygon: z.polygon,
        })),
        quote: quoteToJson(quote),
        initial: { orderType, addressId },
        // CK-1: a UUID v4 per rendering of the page; a retry of the same submission reuses it
        idempotencyKey: crypto.randomUUID(),
      },
    },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}

/** Places the order; success clears this store's cart and goes on to payment or the order page. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const member = await requireMember(request, context);
  const form = await request.formData();
  requireMemberCsrf(request, form, member);
  // per member and per client address, across instances (ADR 0020); refused before anything else
  const limit = await consumeCheckoutLimit(context.db, {
    memberId: member.id,
    ip: context.clientIp ?? null,
  });
  if (!limit.ok) {
    const refused = errorBody('RATE_LIMITED', { retry_after_s: limit.retryAfterS });
    return json(
      { error: refused.error },
      { status: 429, headers: { 'Retry-After': String(limit.retryAfterS) } },
    );
  }
  const { store, lang } = await loadShopStore(request, context.db, params.storeCode);

  const body = { ...checkoutBodyFromForm(form), store_id: store.id };
  const key = form.get('idempotency_key');
  let result: Awaited<ReturnType<typeof placeOrder>>;
  try {
    result = await placeOrder(context.db, {
      memberId: member.id,
      body,
      idempotencyKey: typeof key === 'string' && key !== '' ? key : null,
      lang,
      requestId: context.requestId,
      ip: context.clientIp ?? null,
    });
  } catch (err) {
    // A document post (no JavaScript) gets the 503 page like any other outage: its re-render
    // would run the loader anyway.
    if (!isDatabaseUnavailable(err) || !context.dataRequest) throw err;
    // The order may or may not have committed. Answer on the same page with the same
    // Idempotency-Key (no revalidation, see shouldRevalidate): pressing "Pay" again replays a
    // committed order or places it once — a reload would render a new key and could order twice.
    if (markDatabaseUnavailable(context)) {
      recordDatabaseUnavailable(err, {
        requestId: context.requestId,
        method: request.method,
        path: new URL(request.url).pathname,
      });
    }
    return json(serviceUnavailableBody(), {
      status: 503,
      headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_S), 'Cache-Control': 'no-store' },
    });
  }

  if ('order' in result.body) {
    const { order } = result.body;
    const headers = new Headers();
    const committed = await commitCart(clearStore(await readCart(request), store.id), store.id);
    if (committed) headers.append('Set-Cookie', committed.header);
    const next = order.payment_required
      ? `/o/${order.public_token}/pay`
      : `/o/${order.public_token}`;
    return redirect(next, { headers });
  }
  return json({ error: result.body.error }, { status: result.status });
}

/** Live re-quotes post to the quote API; they change nothing this loader reads. */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  formAction,
  actionResult,
  defaultShouldRevalidate,
}) => {
  if (formAction === QUOTE_API_PATH) return false;
  // after a 503 the page keeps its Idempotency-Key: a new one could place the order twice
  const code = (actionResult as { error?: { code?: unknown } } | undefined)?.error?.code;
  if (code === 'SERVICE_UNAVAILABLE') return false; // runs in the browser: no .server import
  return defaultShouldRevalidate;
};

export default function CheckoutRoute() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="space-y-5">
      <Link
        to={`/cart/${data.storeCode}`}
        className="inline-flex items-center gap-1.5 text-sm text-stone-600 hover:text-stone-900"
      >
        <ShopIcon name="arrowLeft" className="h-4 w-4" />
        {t('checkout.backToCart')}
      </Link>
      <div>
        <h1 className="text-2xl font-bold tracking-tight text-stone-900">{t('checkout.title')}</h1>
        <p className="mt-1 text-sm text-stone-600">{data.storeName}</p>
      </div>
      <CheckoutForm data={data.form} actionError={result?.error ?? null} />
    </div>
  );
}
