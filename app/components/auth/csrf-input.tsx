import { useRouteLoaderData } from '@remix-run/react';

/** The name of the form field `requireCsrf` checks (mirrors CSRF_FIELD of auth/csrf.server.ts). */
export const CSRF_FIELD_NAME = 'csrf';

/**
 * Hidden per-session CSRF token (AU-9) for back-office forms. The root loader exposes the signed-in
 * user, whose `csrfToken` comes from `requireUser` / `getOptionalUser`.
 */
export function CsrfInput() {
  const data = useRouteLoaderData<{ user?: { csrfToken?: string } | null }>('root');
  const token = data?.user?.csrfToken;
  if (!token) return null;
  return <input type="hidden" name={CSRF_FIELD_NAME} value={token} />;
}
