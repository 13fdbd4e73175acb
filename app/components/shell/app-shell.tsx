import { useLocation } from '@remix-run/react';
import type { ReactNode } from 'react';
import { useT } from '~/i18n/use-t';
import type { MessageKey } from '~/i18n/translate';
import { Icon } from './icons';
import type { NavGroup } from './nav-items';
import { SidebarNav } from './sidebar-nav';
import { TopBar } from './top-bar';

export function SkipLink() {
  const t = useT();
  return (
    <a
      href="#main"
      className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:shadow"
    >
      {t('shell.skipToContent')}
    </a>
  );
}

/**
 * The back-office frame: top bar, and when `nav` is given a sidebar (a collapsible panel on narrow
 * screens, a <details> element so it also works without JavaScript). `sidebarTop` sits above the
 * links (the store switcher).
 */
export function AppShell({
  space,
  nav,
  navLabel,
  sidebarTop,
  children,
}: {
  space?: MessageKey;
  nav?: NavGroup[];
  navLabel?: MessageKey;
  sidebarTop?: ReactNode;
  children: ReactNode;
}) {
  const t = useT();
  const location = useLocation();
  const label = t(navLabel ?? 'nav.admin.label');
  return (
    <div className="flex min-h-screen flex-col">
      <SkipLink />
      <TopBar space={space} />
      <div className="flex flex-1">
        {nav ? (
          <aside className="hidden w-60 shrink-0 border-r border-stone-200 bg-white lg:block">
            <div className="sticky top-14 max-h-[calc(100vh-3.5rem)] space-y-5 overflow-y-auto px-3 py-5">
              {sidebarTop}
              <SidebarNav groups={nav} label={label} idPrefix="sidebar" />
            </div>
          </aside>
        ) : null}
        <main
          id="main"
          tabIndex={-1}
          className="min-w-0 flex-1 px-4 py-6 focus:outline-none sm:px-6 lg:px-8"
        >
          {nav ? (
            // keyed by path: the panel closes after each navigation
            <details
              key={location.pathname}
              className="group mb-5 rounded-lg border border-stone-200 bg-white lg:hidden"
            >
              <summary className="flex cursor-pointer list-none items-center gap-2 px-3 py-2 text-sm font-medium text-stone-700 [&::-webkit-details-marker]:hidden">
                <Icon name="bars" className="h-5 w-5 text-stone-500" />
                {t('nav.toggle')}
                <Icon
                  name="chevronDown"
                  className="ml-auto h-4 w-4 text-stone-400 transition-transform group-open:rotate-180"
                />
              </summary>
              <div className="space-y-4 border-t border-stone-200 p-3">
                {sidebarTop}
                <SidebarNav groups={nav} label={label} idPrefix="mobile-nav" />
              </div>
            </details>
          ) : null}
          <div className="mx-auto max-w-7xl">{children}</div>
        </main>
      </div>
    </div>
  );
}
