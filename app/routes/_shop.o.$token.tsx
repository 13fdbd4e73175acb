import type {
  ActionFunctionArgs,
  AppLoadContext,
  LoaderFunctionArgs,
  MetaFunction,
} from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { getOptionalMember, requireMember, requireMemberCsrf } from '~/auth/member.server';
import { CSRF_FIELD_NAME } from '~/components/auth/csrf-input';
import { OrderDetails } from '~/components/storefront/order-details';
import { Alert } from '~/components/ui/alert';
import { Button, ButtonLink } from '~/components/ui/button';
import { flashToastHeader } from '~/features/cart/flash.server';
import { detailParams } from '~/features/cart/format';
import { getPublicOrder, type PublicOrderRecord } from '~/features/cart/order-view.server';
import { shopLang } from '~/features/cart/shop-lang.server';
import { notFound } from '~/features/cart/shop-page.server';
import { useLiveOrder } from '~/components/storefront/use-live-order';
import {
  cancelOrderByMember,
  refreshPaymentFromProvider,
} from '~/features/payments/payments.service.server';
import { getOptionalYooKassaClient } from '~/integrations/yookassa/yookassa-client.server';
import { DEFAULT_LANG, isLang, type Lang } from '~/i18n/languages';
import { translate, type MessageKey } from '~/i18n/translate';
import { useLang, useT } from '~/i18n/use-t';
import { logger } from '~/utils/logger.server';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const value = (matches.find((m) => m.id === 'root')?.data as { lang?: unknown } | undefined)
    ?.lang;
  const lang = isLang(value) ? value : DEFAULT_LANG;
  const number = data?.order.orderNumber;
  const page = number
    ? translate(lang, 'shop.order.title', { number })
    : translate(lang, 'shop.order.titleGeneric');
  return [{ title: `${page} · ${translate(lang, 'app.name')}` }];
};

const INTENT_CANCEL = 'cancel';
/** OR-6: a member may cancel their own order while no hold exists. */
const CANCELLABLE_PAYMENT = new Set(['PENDING', 'FAILED']);

/**
 * The YooKassa return_url lands here before the notification may have arrived: a pending payment
 * the provider knows about is re-fetched once, so the page is right at once. A failure there only
 * means the page shows what the database says; the webhook and the reconciler converge later.
 */
async function refreshed(
  db: AppLoadContext['db'],
  record: PublicOrderRecord,
  token: string,
  lang: Lang,
  requestId: string | undefined,
): Promise<PublicOrderRecord> {
  const { order } = record;
  if (
    order.status !== 'PENDING' ||
    order.paymentStatus !== 'PENDING' ||
    !record.hasLiveProviderPayment
  )
    return record;
  const client = getOptionalYooKassaClient();
  if (!client) return record;
  try {
    await refreshPaymentFromProvider(db, client, record.orderId, { requestId });
  } catch (err) {
    logger.warn({ err, requestId, orderId: record.orderId }, 'order page: payment refresh failed');
    return record;
  }
  return (await getPublicOrder(db, token, lang)) ?? record;
}

/** OR-5: anyone holding the token sees number, store, lines, totals and status; never contacts. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const lang = shopLang(request);
  const token = params.token ?? '';
  const found = await getPublicOrder(context.db, token, lang);
  if (!found) throw notFound();
  const record = await refreshed(context.db, found, token, lang, context.requestId);
  const member = await getOptionalMember(request, context);
  const owner = member !== null && record.memberId === member.id;
  const { order } = record;
  const open = order.status === 'PENDING' && CANCELLABLE_PAYMENT.has(order.paymentStatus);
  return json(
    {
      order,
      canCancel: owner && open,
      canPay: owner && open && order.finalKopecks > 0,
      csrfToken: owner ? member.csrfToken : null,
    },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}

/** The owner cancels a PENDING order without a hold (OR-6). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const member = await requireMember(request, context);
  const form = await request.formData();
  requireMemberCsrf(request, form, member);
  if (form.get('intent') !== INTENT_CANCEL) {
    return json(
      { error: { code: 'UNKNOWN_INTENT', message_key: 'cart.error.invalid', details: {} } },
      { status: 400 },
    );
  }
  const token = params.token ?? '';
  const record = await getPublicOrder(context.db, token, DEFAULT_LANG);
  // someone else's order is as unknown as a wrong token
  if (!record || record.memberId !== member.id) throw notFound();
  const result = await cancelOrderByMember(
    context.db,
    { order: { orderId: record.orderId }, memberId: member.id },
    { requestId: context.requestId, ip: context.clientIp ?? null },
  );
  if (!result.ok) {
    return json(
      { error: { code: result.code, message_key: `checkout.error.${result.code}`, details: {} } },
      { status: 409 },
    );
  }
  return redirect(`/o/${record.order.publicToken}`, {
    headers: { 'Set-Cookie': await flashToastHeader('shop.order.toast.cancelled') },
  });
}

export default function OrderRoute() {
  const { order, canCancel, canPay, csrfToken } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const lang = useLang();
  useLiveOrder(order.status);

  return (
    <div className="space-y-5">
      {result?.error ? (
        <Alert tone="danger">
          {t(result.error.message_key as MessageKey, detailParams(result.error.details, lang))}
        </Alert>
      ) : null}
      <OrderDetails order={order} />
      {canPay || canCancel ? (
        <div className="flex flex-col gap-3 sm:flex-row sm:justify-end">
          {canCancel && csrfToken ? (
            <Form method="post">
              <input type="hidden" name={CSRF_FIELD_NAME} value={csrfToken} />
              <input type="hidden" name="intent" value={INTENT_CANCEL} />
              <Button
                type="submit"
                variant="secondary"
                className="h-11 w-full sm:w-auto"
                disabled={navigation.state !== 'idle'}
              >
                {t('shop.order.cancel')}
              </Button>
            </Form>
          ) : null}
          {canPay ? (
            <ButtonLink
              to={`/o/${order.publicToken}/pay`}
              reloadDocument
              variant="primary"
              className="h-11 px-6 text-base"
            >
              {t(order.paymentStatus === 'FAILED' ? 'shop.order.payAgain' : 'shop.order.pay')}
            </ButtonLink>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
