import { NavLink } from '@remix-run/react';
import { cn } from './cn';

export interface TabNavItem {
  to: string;
  /** Already translated. */
  label: string;
  /** Active only on an exact match (the section's index page). */
  end?: boolean;
}

/** The sub-navigation of a back-office section: links styled as tabs, the current one marked. */
export function TabNav({ label, tabs }: { label: string; tabs: readonly TabNavItem[] }) {
  return (
    <nav aria-label={label} className="mb-6 border-b border-stone-200">
      <ul className="-mb-px flex flex-wrap gap-1">
        {tabs.map((tab) => (
          <li key={tab.to}>
            <NavLink
              to={tab.to}
              end={tab.end}
              prefetch="intent"
              className={({ isActive }) =>
                cn(
                  'inline-block border-b-2 px-3 py-2 text-sm font-medium',
                  isActive
                    ? 'border-brand-600 text-brand-700'
                    : 'border-transparent text-stone-500 hover:text-stone-800',
                )
              }
            >
              {tab.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
