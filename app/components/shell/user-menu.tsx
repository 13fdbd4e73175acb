import { Form } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { buttonClasses } from '~/components/ui/button';
import { useT } from '~/i18n/use-t';
import { Icon } from './icons';
import type { RootStaff } from './root-data';

function initials(name: string): string {
  const letters = name
    .replace(/\(.*?\)/g, '')
    .trim()
    .split(/\s+/)
    .map((part) => Array.from(part)[0] ?? '')
    .join('');
  return Array.from(letters).slice(0, 2).join('').toUpperCase() || '·';
}

/** Who is signed in, in which role, and the sign-out button (POST /logout with the CSRF token). */
export function UserMenu({ user }: { user: RootStaff }) {
  const t = useT();
  return (
    <div className="flex items-center gap-3" aria-label={t('shell.account')} role="group">
      <div className="flex items-center gap-2">
        <span
          aria-hidden="true"
          className="flex h-8 w-8 items-center justify-center rounded-full bg-brand-100 text-xs font-semibold text-brand-700"
        >
          {initials(user.displayName)}
        </span>
        <div className="hidden leading-tight md:block">
          <p className="max-w-[14rem] truncate text-sm font-medium text-stone-900">
            {user.displayName}
          </p>
          <p className="text-xs text-stone-500">{t(`shell.role.${user.role}`)}</p>
        </div>
      </div>
      <Form method="post" action="/logout">
        <CsrfInput />
        <button type="submit" className={buttonClasses({ variant: 'ghost', size: 'sm' })}>
          <Icon name="signOut" className="h-4 w-4" />
          <span className="sr-only sm:not-sr-only">{t('shell.signOut')}</span>
        </button>
      </Form>
    </div>
  );
}
