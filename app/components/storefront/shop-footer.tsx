import { Link } from '@remix-run/react';
import { homePathFor } from '~/auth/permissions';
import { useOptionalStaff } from '~/components/shell/root-data';
import { useT } from '~/i18n/use-t';

/** The chain's line and the way in for staff (the back office lives at /login). */
export function ShopFooter() {
  const t = useT();
  const staff = useOptionalStaff();
  return (
    <footer className="border-t border-stone-200 bg-white">
      <div className="mx-auto flex w-full max-w-3xl flex-wrap items-center justify-between gap-3 px-4 py-5 text-xs text-stone-500 sm:px-6">
        <p>
          {t('app.name')} · {t('app.tagline')}
        </p>
        {staff ? (
          <Link
            to={homePathFor(staff)}
            className="underline-offset-2 hover:text-stone-800 hover:underline"
          >
            {t(staff.role === 'ADMIN' ? 'shell.landing.openAdmin' : 'shell.landing.openManage')}
          </Link>
        ) : (
          <Link to="/login" className="underline-offset-2 hover:text-stone-800 hover:underline">
            {t('shell.landing.staffSignIn')}
          </Link>
        )}
      </div>
    </footer>
  );
}
