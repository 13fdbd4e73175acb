import { NavLink } from '@remix-run/react';
import { cn } from '~/components/ui/cn';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';

const TABS: { to: string; label: MessageKey; end?: boolean }[] = [
  { to: '/admin/menu', label: 'menu.tabs.products', end: true },
  { to: '/admin/menu/categories', label: 'menu.tabs.categories' },
  { to: '/admin/menu/options', label: 'menu.tabs.options' },
  { to: '/admin/menu/stores', label: 'menu.tabs.stores' },
];

export function MenuTabs() {
  const t = useT();
  return (
    <nav aria-label={t('menu.tabs.label')} className="mb-6 border-b border-stone-200">
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
