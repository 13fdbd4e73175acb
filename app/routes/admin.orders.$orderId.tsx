import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { parseStoreId as parseId, requireRole } from '~/auth/guards.server';
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

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.orders');

function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const orderId = parseId(params.orderId);
  const order =
    orderId === null
      ? null
      : await getOrderDetail(context.db, { scope: scopeForActor(user), orderId });
  if (!order) throw notFound();
  return json({ order, role: user.role });
}

/** Status changes, cancel, the refund of a completed order and refund retries (ADMIN). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const orderId = parseId(params.orderId);
  if (orderId === null) throw notFound();
  return handleOrderAction(context.db, {
    formData,
    user,
    orderId,
    requestId: context.requestId,
    ip: context.clientIp,
  });
}

export default function AdminOrderRoute() {
  const { order, role } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  return (
    <>
      <PageHeader
        eyebrow={
          <span className="flex items-center gap-2">
            <span className="font-mono text-xs text-stone-500">{order.storeCode}</span>
            <OrderStatusBadge status={order.status} />
          </span>
        }
        title={t('orderBoard.detail.title', { number: order.orderNumber })}
        description={`${formatLocalDate(order.localDate, lang)} · ${t(`orderBoard.type.${order.orderType}` as MessageKey)}`}
        actions={
          <ButtonLink to="/admin/orders" variant="ghost">
            {t('orderBoard.detail.back')}
          </ButtonLink>
        }
      />
      {actionData ? <ActionNotice data={actionData} className="mb-4" /> : null}
      <OrderDetailView order={order} role={role} />
    </>
  );
}
