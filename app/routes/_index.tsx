import type { MetaFunction } from '@remix-run/node';
import { Link } from '@remix-run/react';
import { homePathFor } from '~/auth/permissions';
import { Icon } from '~/components/shell/icons';
import { LanguageSwitch } from '~/components/shell/language-switch';
import { useOptionalStaff } from '~/components/shell/root-data';
import { Logo } from '~/components/shell/top-bar';
import { Badge } from '~/components/ui/badge';
import { buttonClasses } from '~/components/ui/button';
import { Card, CardBody } from '~/components/ui/card';
import { DEFAULT_LANG, isLang } from '~/i18n/languages';
import { translate } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => {
  const lang = (matches.find((m) => m.id === 'root')?.data as { lang?: unknown } | undefined)?.lang;
  const title = translate(isLang(lang) ? lang : DEFAULT_LANG, 'shell.landing.title');
  return [
    { title },
    {
      name: 'description',
      content: translate(isLang(lang) ? lang : DEFAULT_LANG, 'shell.landing.intro'),
    },
  ];
};

/** The public landing page. Customer ordering arrives with its own issue; staff find their way in. */
export default function IndexRoute() {
  const t = useT();
  const user = useOptionalStaff();

  return (
    <div className="flex min-h-screen flex-col bg-gradient-to-b from-brand-50 via-stone-50 to-stone-50">
      <header className="mx-auto flex w-full max-w-5xl items-center gap-2 px-4 py-4 sm:px-6">
        <Logo />
        <span className="font-semibold text-stone-900">{t('app.name')}</span>
        <LanguageSwitch className="ml-auto" />
      </header>

      <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 pb-16 pt-10 sm:px-6 sm:pt-20">
        <div className="grid gap-10 lg:grid-cols-[1.4fr_1fr] lg:items-center">
          <section>
            <Badge tone="brand">{t('shell.landing.orderingSoon')}</Badge>
            <h1 className="mt-4 text-4xl font-bold tracking-tight text-stone-900 sm:text-5xl">
              {t('shell.landing.title')}
            </h1>
            <p className="mt-6 max-w-xl text-base leading-relaxed text-stone-600">
              {t('shell.landing.intro')}
            </p>
          </section>

          <Card>
            <CardBody className="space-y-4 p-6">
              <div className="flex items-center gap-3">
                <span className="flex h-10 w-10 items-center justify-center rounded-full bg-stone-100 text-stone-600">
                  <Icon name="stores" />
                </span>
                <div>
                  <h2 className="text-base font-semibold text-stone-900">
                    {t('shell.landing.staffTitle')}
                  </h2>
                  <p className="text-sm text-stone-500">{t('shell.landing.staffBody')}</p>
                </div>
              </div>
              {user ? (
                <>
                  <p className="text-sm text-stone-600">
                    {t('shell.landing.signedInAs', { name: user.displayName })}
                  </p>
                  <Link
                    to={homePathFor(user)}
                    className={buttonClasses({ variant: 'primary', className: 'w-full' })}
                  >
                    {t(
                      user.role === 'ADMIN'
                        ? 'shell.landing.openAdmin'
                        : 'shell.landing.openManage',
                    )}
                    <Icon name="arrowRight" className="h-4 w-4" />
                  </Link>
                </>
              ) : (
                <Link
                  to="/login"
                  className={buttonClasses({ variant: 'primary', className: 'w-full' })}
                >
                  {t('shell.landing.staffSignIn')}
                  <Icon name="arrowRight" className="h-4 w-4" />
                </Link>
              )}
            </CardBody>
          </Card>
        </div>
      </main>
    </div>
  );
}
