import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireUser } from '~/auth/guards.server';
import { AppShell } from '~/components/shell/app-shell';
import { Icon } from '~/components/shell/icons';
import { EmptyState } from '~/components/ui/empty-state';
import { PageHeader } from '~/components/ui/page-header';
import { listVisibleStores } from '~/features/stores/store-scope.server';
import { metaTitle, pickLocalized, useLang, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'shell.manage.pickTitle');

/** ADMIN: every active store; STORE_MANAGER: their store_staff stores, possibly none (RB-3). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const stores = await listVisibleStores(context.db, user);
  return json({ stores });
}

export default function ManageIndexRoute() {
  const { stores } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();

  return (
    <AppShell space="shell.space.manage">
      <div className="mx-auto max-w-3xl">
        {stores.length === 0 ? (
          <>
            <PageHeader title={t('shell.manage.pickTitle')} />
            <EmptyState
              icon={<Icon name="stores" />}
              title={t('shell.manage.noStoresTitle')}
              description={t('shell.manage.noStoresBody')}
            />
          </>
        ) : (
          <>
            <PageHeader
              title={t('shell.manage.pickTitle')}
              description={t('shell.manage.pickDescription')}
            />
            <ul className="divide-y divide-stone-200 overflow-hidden rounded-lg border border-stone-200 bg-white shadow-sm">
              {stores.map((store) => (
                <li key={store.id}>
                  <Link
                    to={`/manage/${store.id}`}
                    className="flex items-center gap-3 px-4 py-3 hover:bg-stone-50 focus-visible:bg-stone-50 focus-visible:outline-none"
                  >
                    <span className="flex h-9 w-9 shrink-0 items-center justify-center rounded-md bg-brand-50 text-brand-600">
                      <Icon name="stores" className="h-5 w-5" />
                    </span>
                    <span className="min-w-0 flex-1">
                      <span className="block truncate text-sm font-medium text-stone-900">
                        {pickLocalized(lang, store, 'name')}
                      </span>
                      <span className="block font-mono text-xs text-stone-500">{store.code}</span>
                    </span>
                    <Icon name="arrowRight" className="h-4 w-4 text-stone-400" />
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </AppShell>
  );
}
