import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import {
  Outlet,
  useRouteError,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from '@remix-run/react';
import type { ReactNode } from 'react';
import { requireRole } from '~/auth/guards.server';
import { AppShell } from '~/components/shell/app-shell';
import { ErrorContent, StandaloneErrorPage } from '~/components/shell/error-page';
import { ADMIN_NAV } from '~/components/shell/nav-items';
import { currentAlertStates } from '~/features/alerts/alert-state.server';
import { reuseRecent } from '~/features/dashboards/reuse.server';
import { AlertIndicator } from '~/features/alerts/components/alert-indicator';
import { useOptionalStaff } from '~/components/shell/root-data';
import { metaTitle } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'shell.space.admin');

// Guards only this layout's own data: every child route calls requireRole itself.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  // DA-3: firing alerts in the header of every admin page
  // the evaluator changes them at most once a minute: reused for a few seconds like the
  // dashboards' data (ADR 0016)
  const alerts = (await reuseRecent('alert states', () => currentAlertStates(context.db)))
    .filter((a) => a.firing)
    .map((a) => ({ rule: a.rule, severity: a.severity }));
  return { alerts };
}

// the alert indicator stays current while moving between admin pages on the client
export const shouldRevalidate: ShouldRevalidateFunction = () => true;

function AdminShell({ children }: { children: ReactNode }) {
  // undefined in the error boundary when this loader failed
  const data = useRouteLoaderData<typeof loader>('routes/admin');
  return (
    <AppShell space="shell.space.admin" nav={ADMIN_NAV} navLabel="nav.admin.label">
      <AlertIndicator alerts={data?.alerts ?? []} />
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
