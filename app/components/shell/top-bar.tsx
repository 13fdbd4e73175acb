import { Link } from '@remix-run/react';
import { homePathFor } from '~/auth/permissions';
import { useT } from '~/i18n/use-t';
import type { MessageKey } from '~/i18n/translate';
import { LanguageSwitch } from './language-switch';
import { useOptionalStaff } from './root-data';
import { UserMenu } from './user-menu';

export function Logo() {
  return (
    <span
      aria-hidden="true"
      className="flex h-7 w-7 items-center justify-center rounded-md bg-brand-600 text-[11px] font-bold tracking-tight text-white"
    >
      CT
    </span>
  );
}

/** App name (links to the user's home), the area being worked in, language switch, user menu. */
export function TopBar({ space }: { space?: MessageKey }) {
  const t = useT();
  const user = useOptionalStaff();
  const home = user ? homePathFor(user) : '/';
  return (
    <header className="sticky top-0 z-30 border-b border-stone-200 bg-white/95 backdrop-blur supports-[backdrop-filter]:bg-white/80">
      <div className="flex h-14 items-center gap-3 px-4 sm:px-6">
        <Link
          to={home}
          className="flex items-center gap-2 rounded-md font-semibold text-stone-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
        >
          <Logo />
          <span>{t('app.name')}</span>
        </Link>
        {space ? (
          <>
            <span aria-hidden="true" className="hidden text-stone-300 sm:inline">
              /
            </span>
            <span className="hidden truncate text-sm text-stone-600 sm:inline">{t(space)}</span>
          </>
        ) : null}
        <div className="ml-auto flex items-center gap-2 sm:gap-4">
          <LanguageSwitch />
          {user ? <UserMenu user={user} /> : null}
        </div>
      </div>
    </header>
  );
}
