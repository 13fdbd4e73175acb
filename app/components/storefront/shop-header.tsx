import { Link, useLocation } from '@remix-run/react';
import { LanguageSwitch } from '~/components/shell/language-switch';
import { Logo } from '~/components/shell/top-bar';
import { cn } from '~/components/ui/cn';
import { useT } from '~/i18n/use-t';
import { ShopIcon } from './shop-icons';

export interface ShopHeaderProps {
  member: { displayName: string } | null;
  /** The cart of the store being browsed (or the one with items when no store is in the URL). */
  cart: { storeCode: string; count: number } | null;
}

const ICON_LINK =
  'relative inline-flex h-9 items-center gap-1.5 rounded-md px-2 text-sm font-medium text-stone-700 hover:bg-stone-100 hover:text-stone-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600';

/** CTEA logo (home), language switch, cart with its item count, sign-in or account. */
export function ShopHeader({ member, cart }: ShopHeaderProps) {
  const t = useT();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  const signInHref =
    here === '/' ? '/signin' : `/signin?${new URLSearchParams({ redirectTo: here })}`;
  return (
    <header className="sticky top-0 z-30 border-b border-stone-200 bg-white/95 backdrop-blur supports-[backdrop-filter]:bg-white/80">
      <div className="mx-auto flex h-14 w-full max-w-3xl items-center gap-2 px-4 sm:px-6">
        <Link
          to="/"
          className="flex items-center gap-2 rounded-md font-semibold text-stone-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
        >
          <Logo />
          <span>{t('app.name')}</span>
        </Link>
        <div className="ml-auto flex items-center gap-1 sm:gap-2">
          <LanguageSwitch />
          {cart ? (
            <Link
              to={`/cart/${cart.storeCode}`}
              className={ICON_LINK}
              aria-label={t('shop.header.cartCount', { count: cart.count })}
            >
              <ShopIcon name="cart" />
              <span className="hidden sm:inline">{t('shop.header.cart')}</span>
              <span
                className={cn(
                  'min-w-[1.25rem] rounded-full px-1.5 text-center text-xs font-semibold leading-5',
                  cart.count > 0 ? 'bg-brand-600 text-white' : 'bg-stone-100 text-stone-600',
                )}
                data-testid="cart-count"
              >
                {cart.count}
              </span>
            </Link>
          ) : null}
          {member ? (
            <Link to="/account" className={ICON_LINK}>
              <ShopIcon name="user" />
              <span className="hidden max-w-[8rem] truncate sm:inline">{member.displayName}</span>
              <span className="sr-only sm:hidden">{t('shop.header.account')}</span>
            </Link>
          ) : (
            <Link to={signInHref} className={ICON_LINK}>
              <ShopIcon name="user" />
              <span className="sr-only sm:not-sr-only">{t('shop.header.signIn')}</span>
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
