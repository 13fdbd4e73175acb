import { NavLink, useLocation } from '@remix-run/react';
import { cn } from '~/components/ui/cn';
import { useT } from '~/i18n/use-t';

/** Sub-navigation of /admin/iiko: jobs (also the job pages), import now, override conflicts. */
export function IikoTabs() {
  const t = useT();
  const { pathname } = useLocation();
  // a job's page belongs to the jobs tab although its URL is not under /admin/iiko exactly
  const onJob = pathname.startsWith('/admin/iiko/jobs/');
  const tabs = [
    { to: '/admin/iiko', label: t('iikoAdmin.tabs.jobs'), end: !onJob },
    { to: '/admin/iiko/import', label: t('iikoAdmin.tabs.import'), end: false },
    { to: '/admin/iiko/conflicts', label: t('iikoAdmin.tabs.conflicts'), end: false },
  ];
  return (
    <nav
      aria-label={t('iikoAdmin.tabs.label')}
      className="mb-6 flex gap-1 border-b border-stone-200"
    >
      {tabs.map((tab) => (
        <NavLink
          key={tab.to}
          to={tab.to}
          end={tab.end}
          prefetch="intent"
          className={({ isActive }) =>
            cn(
              '-mb-px border-b-2 px-3 py-2 text-sm font-medium',
              isActive
                ? 'border-brand-600 text-brand-700'
                : 'border-transparent text-stone-500 hover:text-stone-800',
            )
          }
        >
          {tab.label}
        </NavLink>
      ))}
    </nav>
  );
}
