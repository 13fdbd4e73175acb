import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { DashboardTabs } from '~/features/dashboards/components/dashboard-tabs';
import { metaTitle } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.dashboards');

/** Layout of /admin/dashboards/*: the tabs. Each child guards its own loader. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  return null;
}

export default function AdminDashboardsLayout() {
  return (
    <>
      <DashboardTabs />
      <Outlet />
    </>
  );
}
