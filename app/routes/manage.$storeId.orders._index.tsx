import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireStoreAccess } from '~/auth/guards.server';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { ActionNotice } from '~/features/order-board/components/action-notice';
import { OrderBoard } from '~/features/order-board/components/order-board';
import { OrderSearch } from '~/features/order-board/components/order-search';
import { handleOrderAction } from '~/features/order-board/order-board-action.server';
import { getBoard, getStoreTimeZone } from '~/features/order-board/order-board.server';
import { scopeForActor } from '~/features/order-board/order-board.service.server';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.manage.orders');

/** The store's board (RB-1 "Orders: view own stores"): only this verified store's orders. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, storeId } = await requireStoreAccess(request, params.storeId);
  const [board, timeZone] = await Promise.all([
    getBoard(context.db, { scope: scopeForActor(user, storeId) }),
    getStoreTimeZone(context.db, storeId),
  ]);
  return json({
    board,
    role: user.role,
    storeId,
    timeZone: timeZone ?? 'Europe/Moscow',
    generatedAt: new Date().toISOString(),
  });
}

/** Status buttons of the cards (RB-1 "Orders: status changes, own stores"). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, storeId } = await requireStoreAccess(request, params.storeId);
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  return handleOrderAction(context.db, {
    formData,
    user,
    storeId,
    requestId: context.requestId,
    ip: context.clientIp,
  });
}

export default function ManageStoreOrdersBoardRoute() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const base = `/manage/${data.storeId}/orders`;
  return (
    <>
      <PageHeader
        title={t('nav.manage.orders')}
        description={t('orderBoard.board.description')}
        actions={
          <>
            <OrderSearch historyPath={`${base}/history`} />
            <ButtonLink to={`${base}/history`} variant="secondary">
              {t('orderBoard.board.history')}
            </ButtonLink>
          </>
        }
      />
      {actionData ? <ActionNotice data={actionData} className="mb-4" /> : null}
      <OrderBoard
        board={data.board}
        role={data.role}
        basePath={base}
        showStore={false}
        generatedAt={data.generatedAt}
        timeZone={data.timeZone}
      />
    </>
  );
}
