import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { metaTitle } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.coupons');

/** Layout of /admin/coupons/*. Each child guards its own loader and action. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  return null;
}

export default function AdminCouponsLayout() {
  return <Outlet />;
}
