import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { requireStoreAccess } from '~/auth/guards.server';
import { metaTitle } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.manage.orders');

/** Layout of /manage/$storeId/orders/* (board, history, order page); each child guards itself. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStoreAccess(request, params.storeId);
  return null;
}

export default function ManageStoreOrdersLayout() {
  return <Outlet />;
}
