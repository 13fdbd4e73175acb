import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { parseStoreId as parseId, requireStoreAccess } from '~/auth/guards.server';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { ActionNotice } from '~/features/order-board/components/action-notice';
import { OrderStatusBadge } from '~/features/order-board/components/order-badges';
import { OrderDetailView } from '~/features/order-board/components/order-detail';
import { handleOrderAction } from '~/features/order-board/order-board-action.server';
import { getOrderDetail } from '~/features/order-board/order-board.server';
import { scopeForActor } from '~/features/order-board/order-board.service.server';
import { formatLocalDate } from '~/features/order-board/order-format';
import type { MessageKey } from '~/i18n/translate';
import { metaTitle, useLang, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.manage.orders');

function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' });
}

/** One order of this store; an order of another store is not found here (RB-2). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, storeId } = await requireStoreAccess(request, params.storeId);
  const orderId = parseId(params.orderId);
  const order =
    orderId === null
      ? null
      : await getOrderDetail(context.db, { scope: scopeForActor(user, storeId), orderId });
  if (!order) throw notFound();
  return json({ order, role: user.role, storeId });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, storeId } = await requireStoreAccess(request, params.storeId);
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const orderId = parseId(params.orderId);
  if (orderId === null) throw notFound();
  return handleOrderAction(context.db, {
    formData,
    user,
    storeId,
    orderId,
    requestId: context.requestId,
    ip: context.clientIp,
  });
}

export default function ManageStoreOrderRoute() {
  const { order, role, storeId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  return (
    <>
      <PageHeader
        eyebrow={<OrderStatusBadge status={order.status} />}
        title={t('orderBoard.detail.title', { number: order.orderNumber })}
        description={`${formatLocalDate(order.localDate, lang)} · ${t(`orderBoard.type.${order.orderType}` as MessageKey)}`}
        actions={
          <ButtonLink to={`/manage/${storeId}/orders`} variant="ghost">
            {t('orderBoard.detail.back')}
          </ButtonLink>
        }
      />
      {actionData ? <ActionNotice data={actionData} className="mb-4" /> : null}
      <OrderDetailView order={order} role={role} />
    </>
  );
}
