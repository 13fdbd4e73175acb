import { Link, useLocation } from '@remix-run/react';
import { cn } from '~/components/ui/cn';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import { Icon } from './icons';

export interface SwitcherStore {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
}

/** The same page in another store: /manage/3/orders → /manage/7/orders. */
export function storePath(pathname: string, storeId: number): string {
  return pathname.replace(/^\/manage\/[^/]+/, `/manage/${storeId}`);
}

/**
 * The current store and, when the user has several, a list of their other stores (only the stores
 * the loader returned, i.e. the user's own — RB-3). A <details> disclosure: no JavaScript needed.
 */
export function StoreSwitcher({
  current,
  stores,
}: {
  current: SwitcherStore;
  stores: SwitcherStore[];
}) {
  const t = useT();
  const lang = useLang();
  const location = useLocation();
  const others = stores.filter((s) => s.id !== current.id);
  const currentBlock = (
    <span className="min-w-0 flex-1 text-left">
      <span className="block text-[11px] font-medium uppercase tracking-wider text-stone-500">
        {t('shell.manage.store')}
      </span>
      <span className="block truncate text-sm font-semibold text-stone-900">
        {pickLocalized(lang, current, 'name')}
      </span>
      <span className="block font-mono text-xs text-stone-500">{current.code}</span>
    </span>
  );

  if (others.length === 0) {
    return (
      <div className="flex rounded-lg border border-stone-200 bg-stone-50 px-3 py-2">
        {currentBlock}
      </div>
    );
  }
  return (
    <details key={location.pathname} className="group relative">
      <summary
        aria-label={t('shell.manage.switchStore')}
        className="flex cursor-pointer list-none items-center gap-2 rounded-lg border border-stone-200 bg-stone-50 px-3 py-2 hover:bg-stone-100 [&::-webkit-details-marker]:hidden"
      >
        {currentBlock}
        <Icon name="chevronUpDown" className="h-4 w-4 shrink-0 text-stone-400" />
      </summary>
      <div className="absolute inset-x-0 z-20 mt-1 overflow-hidden rounded-lg border border-stone-200 bg-white shadow-lg">
        <p className="border-b border-stone-100 px-3 py-2 text-xs font-medium text-stone-500">
          {t('shell.manage.switchStore')}
        </p>
        <ul className="max-h-72 overflow-y-auto py-1">
          {stores.map((store) => {
            const isCurrent = store.id === current.id;
            return (
              <li key={store.id}>
                <Link
                  to={storePath(location.pathname, store.id)}
                  aria-current={isCurrent ? 'true' : undefined}
                  className={cn(
                    'flex items-center gap-2 px-3 py-1.5 text-sm hover:bg-stone-50',
                    isCurrent ? 'font-medium text-brand-700' : 'text-stone-700',
                  )}
                >
                  <span className="min-w-0 flex-1 truncate">
                    {pickLocalized(lang, store, 'name')}
                  </span>
                  <span className="font-mono text-xs text-stone-400">{store.code}</span>
                  {isCurrent ? <Icon name="check" className="h-4 w-4 text-brand-600" /> : null}
                </Link>
              </li>
            );
          })}
        </ul>
        <Link
          to="/manage"
          className="block border-t border-stone-100 px-3 py-2 text-xs font-medium text-stone-600 hover:bg-stone-50"
        >
          {t('shell.manage.allStores')}
        </Link>
      </div>
    </details>
  );
}
