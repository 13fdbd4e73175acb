import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { Icon } from '~/components/shell/icons';
import { ADMIN_NAV } from '~/components/shell/nav-items';
import { useOptionalStaff } from '~/components/shell/root-data';
import { Badge } from '~/components/ui/badge';
import { PageHeader } from '~/components/ui/page-header';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.overview');

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  return null;
}

/** Head-office home: every area, grouped as in the sidebar, with what it is for. */
export default function AdminOverviewRoute() {
  const t = useT();
  const user = useOptionalStaff();
  const groups = ADMIN_NAV.map((group) => ({
    ...group,
    items: group.items.filter((item) => item.description),
  })).filter((group) => group.items.length > 0);

  return (
    <>
      <PageHeader
        eyebrow={
          user ? (
            <p className="text-sm text-stone-500">
              {t('shell.admin.welcome', { name: user.displayName })}
            </p>
          ) : null
        }
        title={t('nav.admin.overview')}
        description={t('shell.admin.overviewDescription')}
      />
      <div className="space-y-8">
        {groups.map((group) => (
          <section
            key={group.id}
            aria-labelledby={group.label ? `overview-${group.id}` : undefined}
          >
            {group.label ? (
              <h2 id={`overview-${group.id}`} className="mb-3 text-sm font-semibold text-stone-700">
                {t(group.label)}
              </h2>
            ) : null}
            <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
              {group.items.map((item) => {
                return (
                  <li key={item.to}>
                    <Link
                      to={item.to}
                      prefetch="intent"
                      className="group flex h-full flex-col rounded-lg border border-stone-200 bg-white p-4 shadow-sm transition hover:border-brand-500/40 hover:shadow focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
                    >
                      <span className="flex items-center gap-2">
                        <span className="flex h-8 w-8 items-center justify-center rounded-md bg-brand-50 text-brand-600">
                          <Icon name={item.icon} className="h-[18px] w-[18px]" />
                        </span>
                        <span className="text-sm font-semibold text-stone-900">
                          {t(item.label)}
                        </span>
                        <Badge className="ml-auto">{t('shell.soon.badge')}</Badge>
                      </span>
                      {item.description ? (
                        <span className="mt-2 text-sm text-stone-500">{t(item.description)}</span>
                      ) : null}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </div>
    </>
  );
}
