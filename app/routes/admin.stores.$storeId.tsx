import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Outlet, useLoaderData } from '@remix-run/react';
import { parseStoreId, requireRole } from '~/auth/guards.server';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { StoreTabs } from '~/features/stores/components/store-tabs';
import { getStoreSummary } from '~/features/stores/store-scope.server';
import { metaTitle, pickLocalized, useLang, useT } from '~/i18n/use-t';
import { Badge } from '~/components/ui/badge';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.stores');

/** Layout of one store's admin pages: heading and tabs. Each child guards itself too. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const storeId = parseStoreId(params.storeId);
  const store = storeId === null ? null : await getStoreSummary(context.db, storeId);
  if (!store) throw new Response('Not Found', { status: 404, statusText: 'Not Found' });
  return json({ store });
}

export default function AdminStoreLayout() {
  const { store } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  return (
    <>
      <PageHeader
        eyebrow={
          <span className="flex items-center gap-2">
            <span className="font-mono text-xs text-stone-500">{store.code}</span>
            {store.is_active ? null : <Badge tone="warning">{t('stores.status.inactive')}</Badge>}
          </span>
        }
        title={pickLocalized(lang, store, 'name')}
        actions={
          <ButtonLink to="/admin/stores" variant="ghost">
            {t('common.back')}
          </ButtonLink>
        }
      />
      <StoreTabs storeId={store.id} />
      <Outlet />
    </>
  );
}
