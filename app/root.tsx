import { useNonce } from '~/components/nonce';
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react';
import { getOptionalUser } from '~/auth/guards.server';
import { StandaloneErrorPage } from '~/components/shell/error-page';
import { resolveRequestLanguage } from '~/i18n/language.server';
import { DEFAULT_LANG } from '~/i18n/languages';
import stylesheet from '~/tailwind.css';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export const meta: MetaFunction = () => [{ title: 'CTEA' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const { lang, setCookie } = resolveRequestLanguage(request, user?.savedLanguage ?? null);
  return json(
    {
      lang,
      // only what the UI shows, plus the per-session CSRF token forms must echo; never the session
      user: user
        ? {
            id: user.id,
            displayName: user.displayName,
            email: user.email,
            role: user.role,
            csrfToken: user.csrfToken,
            storeIds: user.storeIds,
          }
        : null,
      requestId: context.requestId ?? null,
    },
    setCookie ? { headers: { 'Set-Cookie': setCookie } } : undefined,
  );
}

/** Renders around the route and around the root error boundary (when the loader may have failed). */
export function Layout({ children }: { children: React.ReactNode }) {
  const lang = useRouteLoaderData<typeof loader>('root')?.lang ?? DEFAULT_LANG;
  const nonce = useNonce();
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen bg-stone-50 text-stone-900 antialiased">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <StandaloneErrorPage error={useRouteError()} />;
}
