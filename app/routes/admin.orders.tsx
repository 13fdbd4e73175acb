import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { metaTitle } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.orders');

/** Layout of /admin/orders/* (board, history, order page); each child guards itself. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  return null;
}

export default function AdminOrdersLayout() {
  return <Outlet />;
}
