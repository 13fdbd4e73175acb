import { NavLink } from '@remix-run/react';
import { cn } from '~/components/ui/cn';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';

const TABS: { to: string; label: MessageKey; end?: boolean }[] = [
  { to: '/admin/dashboards', label: 'dashboards.tabs.overview', end: true },
  { to: '/admin/dashboards/payments', label: 'dashboards.tabs.payments' },
  { to: '/admin/dashboards/iiko', label: 'dashboards.tabs.iiko' },
];

export function DashboardTabs() {
  const t = useT();
  return (
    <nav aria-label={t('dashboards.tabs.label')} className="mb-6 border-b border-stone-200">
      <ul className="-mb-px flex flex-wrap gap-4">
        {TABS.map((tab) => (
          <li key={tab.to}>
            <NavLink
              to={tab.to}
              end={tab.end}
              className={({ isActive }) =>
                cn(
                  'inline-block border-b-2 px-1 pb-2 text-sm font-medium',
                  isActive
                    ? 'border-brand-600 text-brand-700'
                    : 'border-transparent text-stone-500 hover:text-stone-800',
                )
              }
            >
              {t(tab.label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
