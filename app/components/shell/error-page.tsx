import { isRouteErrorResponse, Link, useLocation } from '@remix-run/react';
import { homePathFor } from '~/auth/permissions';
import { buttonClasses } from '~/components/ui/button';
import { useT } from '~/i18n/use-t';
import type { MessageKey } from '~/i18n/translate';
import { Icon, type IconName } from './icons';
import { useRootData } from './root-data';
import { SkipLink } from './app-shell';
import { TopBar } from './top-bar';

interface Described {
  icon: IconName;
  status?: number;
  title: MessageKey;
  body: MessageKey;
  unexpected: boolean;
}

function describe(error: unknown): Described {
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      return {
        icon: 'search',
        status: 404,
        title: 'error.notFound',
        body: 'shell.error.notFoundBody',
        unexpected: false,
      };
    }
    if (error.status === 403) {
      return {
        icon: 'lock',
        status: 403,
        title: 'error.forbidden',
        body: 'shell.error.forbiddenBody',
        unexpected: false,
      };
    }
    if (error.status >= 400 && error.status < 500) {
      return {
        icon: 'warning',
        status: error.status,
        title: 'shell.error.badRequestTitle',
        body: 'shell.error.badRequestBody',
        unexpected: false,
      };
    }
    return {
      icon: 'warning',
      status: error.status,
      title: 'error.title',
      body: 'error.generic',
      unexpected: true,
    };
  }
  return { icon: 'warning', title: 'error.title', body: 'error.generic', unexpected: true };
}

/**
 * The body of every error page: a friendly page for 404 / 403 / other 4xx, and for anything
 * unexpected the generic message with the request id. Works when the root loader failed too (then
 * in Russian, without user or request id). Never shows a stack trace outside development.
 */
export function ErrorContent({ error }: { error: unknown }) {
  const t = useT();
  const root = useRootData();
  const location = useLocation();
  const d = describe(error);
  const home = root?.user ? homePathFor(root.user) : '/';
  // The id belongs to the document request; after a client-side navigation the failing data
  // request had another id, so showing this one would send support to the wrong log line.
  const requestId = d.unexpected && location.key === 'default' ? root?.requestId : null;
  const devDetails =
    process.env.NODE_ENV === 'development' && error instanceof Error
      ? (error.stack ?? error.message)
      : null;

  return (
    <div className="mx-auto flex max-w-lg flex-col items-center py-16 text-center">
      <div className="mb-4 flex h-12 w-12 items-center justify-center rounded-full bg-stone-100 text-stone-500">
        <Icon name={d.icon} className="h-6 w-6" />
      </div>
      {d.status ? (
        <p className="text-sm font-semibold text-brand-600">
          {t('shell.error.status', { status: d.status })}
        </p>
      ) : null}
      <h1 className="mt-1 text-2xl font-semibold tracking-tight text-stone-900">{t(d.title)}</h1>
      <p className="mt-2 text-sm text-stone-600">{t(d.body)}</p>
      {d.unexpected ? (
        <>
          {requestId ? (
            <p className="mt-4 rounded-md bg-stone-100 px-3 py-1.5 font-mono text-xs text-stone-700">
              {t('error.requestId', { id: requestId })}
            </p>
          ) : null}
          <p className="mt-3 text-xs text-stone-500">{t('shell.error.reloadHint')}</p>
        </>
      ) : null}
      <div className="mt-6 flex flex-wrap justify-center gap-2">
        {d.unexpected ? (
          // a real <a>: a full document request, which also gets a fresh request id
          <a
            href={`${location.pathname}${location.search}`}
            className={buttonClasses({ variant: 'secondary' })}
          >
            {t('shell.error.reload')}
          </a>
        ) : null}
        <Link to={home} className={buttonClasses({ variant: 'primary' })}>
          {t('error.goHome')}
        </Link>
      </div>
      {devDetails ? (
        <details className="mt-8 w-full text-left">
          <summary className="cursor-pointer text-xs text-stone-500">
            {t('shell.error.details')}
          </summary>
          <pre className="mt-2 max-h-80 overflow-auto rounded-md bg-stone-900 p-3 text-xs text-stone-100">
            {devDetails}
          </pre>
        </details>
      ) : null}
    </div>
  );
}

/** A whole error page (top bar without navigation), for boundaries that cannot show a sidebar. */
export function StandaloneErrorPage({ error }: { error: unknown }) {
  return (
    <div className="flex min-h-screen flex-col">
      <SkipLink />
      <TopBar />
      <main id="main" tabIndex={-1} className="flex-1 px-4 focus:outline-none">
        <ErrorContent error={error} />
      </main>
    </div>
  );
}
