import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Outlet, useLoaderData, useRouteError } from '@remix-run/react';
import type { ReactNode } from 'react';
import { requireStoreAccess } from '~/auth/guards.server';
import { AppShell } from '~/components/shell/app-shell';
import { ErrorContent, StandaloneErrorPage } from '~/components/shell/error-page';
import { useManageStore, type ManageStoreData } from '~/components/shell/manage-store-data';
import { managerNav } from '~/components/shell/nav-items';
import { StoreSwitcher } from '~/components/shell/store-switcher';
import { getStoreSummary, listVisibleStores } from '~/features/stores/store-scope.server';
import { metaTitle } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'shell.space.manage');

/** The store being worked in and the user's other stores for the switcher (only theirs, RB-3). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, storeId } = await requireStoreAccess(request, params.storeId);
  const [store, stores] = await Promise.all([
    getStoreSummary(context.db, storeId),
    listVisibleStores(context.db, user),
  ]);
  if (!store) throw new Response('Not Found', { status: 404, statusText: 'Not Found' });
  return json({ store, stores });
}

function StoreShell({ data, children }: { data: ManageStoreData; children: ReactNode }) {
  return (
    <AppShell
      space="shell.space.manage"
      nav={managerNav(data.store.id)}
      navLabel="nav.manage.label"
      sidebarTop={<StoreSwitcher current={data.store} stores={data.stores} />}
    >
      {children}
    </AppShell>
  );
}

export default function ManageStoreLayoutRoute() {
  const data = useLoaderData<typeof loader>();
  return (
    <StoreShell data={data}>
      <Outlet />
    </StoreShell>
  );
}

/** A failing child keeps the store frame; when access itself failed there is no frame to show. */
export function ErrorBoundary() {
  const error = useRouteError();
  const data = useManageStore();
  if (!data) return <StandaloneErrorPage error={error} />;
  return (
    <StoreShell data={data}>
      <ErrorContent error={error} />
    </StoreShell>
  );
}
