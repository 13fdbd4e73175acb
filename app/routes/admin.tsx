import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Outlet, useRouteError } from '@remix-run/react';
import type { ReactNode } from 'react';
import { requireRole } from '~/auth/guards.server';
import { AppShell } from '~/components/shell/app-shell';
import { ErrorContent, StandaloneErrorPage } from '~/components/shell/error-page';
import { ADMIN_NAV } from '~/components/shell/nav-items';
import { useOptionalStaff } from '~/components/shell/root-data';
import { metaTitle } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'shell.space.admin');

// Guards only this layout's own data: every child route calls requireRole itself.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  return null;
}

function AdminShell({ children }: { children: ReactNode }) {
  return (
    <AppShell space="shell.space.admin" nav={ADMIN_NAV} navLabel="nav.admin.label">
      {children}
    </AppShell>
  );
}

export default function AdminLayoutRoute() {
  return (
    <AdminShell>
      <Outlet />
    </AdminShell>
  );
}

/** Errors inside /admin keep the sidebar for admins; anyone else never sees admin navigation (RB-3). */
export function ErrorBoundary() {
  const error = useRouteError();
  const user = useOptionalStaff();
  if (user?.role !== 'ADMIN') return <StandaloneErrorPage error={error} />;
  return (
    <AdminShell>
      <ErrorContent error={error} />
    </AdminShell>
  );
}
