import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link } from '@remix-run/react';
import { requireStoreAccess } from '~/auth/guards.server';
import { Icon } from '~/components/shell/icons';
import { useManageStore } from '~/components/shell/manage-store-data';
import { managerNav } from '~/components/shell/nav-items';
import { Badge } from '~/components/ui/badge';
import { PageHeader } from '~/components/ui/page-header';
import { metaTitle, pickLocalized, useLang, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.manage.overview');

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStoreAccess(request, params.storeId);
  return null;
}

export default function ManageStoreOverviewRoute() {
  const t = useT();
  const lang = useLang();
  const data = useManageStore();
  if (!data) return null;
  const areas = managerNav(data.store.id).flatMap((group) =>
    group.items.filter((item) => item.description),
  );

  return (
    <>
      <PageHeader
        eyebrow={<span className="font-mono text-xs text-stone-500">{data.store.code}</span>}
        title={pickLocalized(lang, data.store, 'name')}
        description={t('shell.manage.overviewDescription')}
      />
      <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
        {areas.map((item) => (
          <li key={item.to}>
            <Link
              to={item.to}
              prefetch="intent"
              className="flex h-full flex-col rounded-lg border border-stone-200 bg-white p-4 shadow-sm transition hover:border-brand-500/40 hover:shadow focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
            >
              <span className="flex items-center gap-2">
                <span className="flex h-8 w-8 items-center justify-center rounded-md bg-brand-50 text-brand-600">
                  <Icon name={item.icon} className="h-[18px] w-[18px]" />
                </span>
                <span className="text-sm font-semibold text-stone-900">{t(item.label)}</span>
                <Badge className="ml-auto">{t('shell.soon.badge')}</Badge>
              </span>
              {item.description ? (
                <span className="mt-2 text-sm text-stone-500">{t(item.description)}</span>
              ) : null}
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
