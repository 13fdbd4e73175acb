import { NavLink } from '@remix-run/react';
import { cn } from '~/components/ui/cn';
import { useT } from '~/i18n/use-t';
import { Icon } from './icons';
import type { NavGroup } from './nav-items';

/** The grouped list of section links; the current one is marked with aria-current="page". */
export function SidebarNav({
  groups,
  label,
  idPrefix,
}: {
  groups: NavGroup[];
  label: string;
  idPrefix: string;
}) {
  const t = useT();
  return (
    <nav aria-label={label} className="space-y-5">
      {groups.map((group) => {
        const headingId = `${idPrefix}-${group.id}`;
        return (
          <div key={group.id}>
            {group.label ? (
              <p
                id={headingId}
                className="mb-1 px-2 text-[11px] font-semibold uppercase tracking-wider text-stone-500"
              >
                {t(group.label)}
              </p>
            ) : null}
            <ul className="space-y-0.5" aria-labelledby={group.label ? headingId : undefined}>
              {group.items.map((item) => (
                <li key={item.to}>
                  <NavLink
                    to={item.to}
                    end={item.end}
                    prefetch="intent"
                    className={({ isActive }) =>
                      cn(
                        'group flex items-center gap-2.5 rounded-md px-2 py-1.5 text-sm font-medium transition-colors',
                        'focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600',
                        isActive
                          ? 'bg-brand-50 text-brand-700'
                          : 'text-stone-700 hover:bg-stone-100 hover:text-stone-900',
                      )
                    }
                  >
                    {({ isActive }) => (
                      <>
                        <Icon
                          name={item.icon}
                          className={cn(
                            'h-[18px] w-[18px] shrink-0',
                            isActive
                              ? 'text-brand-600'
                              : 'text-stone-400 group-hover:text-stone-600',
                          )}
                        />
                        <span className="truncate">{t(item.label)}</span>
                      </>
                    )}
                  </NavLink>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}
