import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { Alert } from '~/components/ui/alert';
import { Button, ButtonLink } from '~/components/ui/button';
import { Label, Select } from '~/components/ui/input';
import { PageHeader } from '~/components/ui/page-header';
import { ActionNotice } from '~/features/order-board/components/action-notice';
import { OrderBoard } from '~/features/order-board/components/order-board';
import { OrderSearch } from '~/features/order-board/components/order-search';
import { handleOrderAction } from '~/features/order-board/order-board-action.server';
import { BOARD_PARAMS } from '~/features/order-board/order-board.schema';
import {
  BOARD_LIMIT,
  countRefundPending,
  getBoard,
} from '~/features/order-board/order-board.server';
import { scopeForActor } from '~/features/order-board/order-board.service.server';
import { listVisibleStores } from '~/features/stores/store-scope.server';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.orders');

/** The chain-wide board (RB-1 "Orders: view all"), optionally one store's. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const { filters } = BOARD_PARAMS.parse(request);
  const scope = scopeForActor(user);
  const [board, stores, refundPending] = await Promise.all([
    getBoard(context.db, { scope, storeId: filters.store }),
    listVisibleStores(context.db, user),
    countRefundPending(context.db, scope),
  ]);
  return json({
    board,
    stores: stores.map((s) => ({ id: s.id, code: s.code })),
    store: filters.store ?? null,
    refundPending,
    role: user.role,
    limited: board.active.length + board.refundPending.length >= BOARD_LIMIT,
    generatedAt: new Date().toISOString(),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  return handleOrderAction(context.db, {
    formData,
    user,
    requestId: context.requestId,
    ip: context.clientIp,
  });
}

export default function AdminOrdersBoardRoute() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  return (
    <>
      <PageHeader
        title={t('nav.admin.orders')}
        description={t('orderBoard.board.adminDescription')}
        actions={
          <>
            <OrderSearch historyPath="/admin/orders/history" storeId={data.store ?? undefined} />
            <ButtonLink to="/admin/orders/history" variant="secondary">
              {t('orderBoard.board.history')}
            </ButtonLink>
          </>
        }
      />
      <Form method="get" className="mb-4 flex flex-wrap items-end gap-3">
        <div className="space-y-1.5">
          <Label htmlFor="board-store">{t('orderBoard.board.store')}</Label>
          <Select id="board-store" name="store" defaultValue={data.store ?? ''} className="w-56">
            <option value="">{t('orderBoard.board.allStores')}</option>
            {data.stores.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code}
              </option>
            ))}
          </Select>
        </div>
        <Button type="submit" variant="secondary">
          {t('orderBoard.board.show')}
        </Button>
      </Form>
      {data.refundPending > 0 ? (
        <Alert tone="warning" className="mb-4">
          <Link to="/admin/orders/history?refund=pending" className="font-medium underline">
            {t('orderBoard.board.refundPendingBanner', { count: data.refundPending })}
          </Link>
        </Alert>
      ) : null}
      {data.limited ? (
        <Alert tone="info" className="mb-4">
          {t('orderBoard.board.limited', { count: data.board.active.length })}
        </Alert>
      ) : null}
      {actionData ? <ActionNotice data={actionData} className="mb-4" /> : null}
      <OrderBoard
        board={data.board}
        role={data.role}
        basePath="/admin/orders"
        showStore={data.store === null}
        generatedAt={data.generatedAt}
        timeZone="Europe/Moscow"
      />
    </>
  );
}
