import { Form, useLocation } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { cn } from '~/components/ui/cn';
import { LANGUAGES, LANGUAGE_NAMES, type Lang } from '~/i18n/languages';
import { useLang, useT } from '~/i18n/use-t';

// A language is labelled in its own script, never translated (like LANGUAGE_NAMES).
const SHORT_NAMES: Record<Lang, string> = { ru: 'RU', zh: '中文', en: 'EN' };

/**
 * ru / 中文 / en as a plain POST form to /language, so it works before (or without) JavaScript. The
 * action sets the cookie, saves the preference of a signed-in staff member and redirects back here.
 */
export function LanguageSwitch({ className }: { className?: string }) {
  const t = useT();
  const current = useLang();
  const location = useLocation();
  return (
    <Form method="post" action="/language" preventScrollReset className={className}>
      <CsrfInput />
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <div
        role="group"
        aria-label={t('shell.language')}
        className="inline-flex rounded-md bg-stone-100 p-0.5 ring-1 ring-inset ring-stone-200"
      >
        {LANGUAGES.map((lang) => (
          <button
            key={lang}
            type="submit"
            name="lang"
            value={lang}
            lang={lang}
            title={LANGUAGE_NAMES[lang]}
            aria-pressed={lang === current}
            className={cn(
              'min-w-[2.5rem] rounded px-2 py-1 text-xs font-medium transition-colors',
              'focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600',
              lang === current
                ? 'bg-white text-stone-900 shadow-sm'
                : 'text-stone-600 hover:text-stone-900',
            )}
          >
            {SHORT_NAMES[lang]}
          </button>
        ))}
      </div>
    </Form>
  );
}
