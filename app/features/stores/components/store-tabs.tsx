import { NavLink } from '@remix-run/react';
import { cn } from '~/components/ui/cn';
import { useT } from '~/i18n/use-t';

export function StoreTabs({ storeId }: { storeId: number }) {
  const t = useT();
  const tabs = [
    { to: `/admin/stores/${storeId}`, label: t('stores.tabs.details'), end: true },
    { to: `/admin/stores/${storeId}/zones`, label: t('stores.tabs.zones'), end: false },
  ];
  return (
    <nav aria-label={t('stores.tabs.label')} className="mb-6 flex gap-1 border-b border-stone-200">
      {tabs.map((tab) => (
        <NavLink
          key={tab.to}
          to={tab.to}
          end={tab.end}
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
