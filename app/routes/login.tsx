import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { AuthError, authenticateStaff } from '~/auth/auth.server';
import { isSameOriginRequest } from '~/auth/csrf.server';
import { getOptionalUser } from '~/auth/guards.server';
import { homePathFor } from '~/auth/permissions';
import { clientInfo } from '~/auth/session.server';
import { signInStaff } from '~/auth/sign-in.service.server';
import { LoginForm, type LoginFormProps } from '~/components/auth/login-form';
import { LanguageSwitch } from '~/components/shell/language-switch';
import { Card } from '~/components/ui/card';
import { consumeStaffLoginLimit, retryAfterMinutes } from '~/features/ratelimit/rate-limit.server';
import { getActiveStaffProfile } from '~/features/users/users.server';
import { safeRedirectPath } from '~/i18n/language.server';
import type { MessageKey } from '~/i18n/translate';
import { metaTitle, useT } from '~/i18n/use-t';
import { logger } from '~/utils/logger.server';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'auth.login.title');

/** Only same-site relative paths are honoured ("//evil.com", "https://evil.com" are dropped). */
function redirectTarget(value: unknown): string | null {
  return safeRedirectPath(value, '') || null;
}

const FIELD_MESSAGES = new Set<string>([
  'auth.error.emailRequired',
  'auth.error.emailInvalid',
  'auth.error.passwordRequired',
  'auth.error.invalidCredentials',
]);

function failure(err: AuthError, values: { email: string; redirectTo: string | null }) {
  const fieldErrors: NonNullable<LoginFormProps['fieldErrors']> = {};
  for (const [field, key] of Object.entries(err.fields) as [keyof typeof fieldErrors, string][]) {
    fieldErrors[field] = (
      FIELD_MESSAGES.has(key) ? key : 'auth.error.invalidCredentials'
    ) as MessageKey;
  }
  const formError: LoginFormProps['formError'] =
    err.code === 'ACCOUNT_LOCKED'
      ? { key: 'auth.error.accountLocked', params: { minutes: err.details.lockoutMinutes ?? 15 } }
      : err.code === 'INVALID_CREDENTIALS'
        ? { key: 'auth.error.invalidCredentials' }
        : null;
  return json({ error: { code: err.code, formError, fieldErrors }, values }, { status: 400 });
}

/** Too many sign-in POSTs from this client address (ADR 0020): nothing was checked. */
function rateLimited(retryAfterS: number, values: { email: string; redirectTo: string | null }) {
  const formError: LoginFormProps['formError'] = {
    key: 'auth.error.rateLimited',
    params: { minutes: retryAfterMinutes(retryAfterS) },
  };
  return json(
    { error: { code: 'RATE_LIMITED' as const, formError, fieldErrors: {} }, values },
    { status: 429, headers: { 'Retry-After': String(retryAfterS) } },
  );
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  if (user) throw redirect(homePathFor(user));
  return json({ redirectTo: redirectTarget(new URL(request.url).searchParams.get('redirectTo')) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') throw new Response('Method Not Allowed', { status: 405 });
  if (!isSameOriginRequest(request))
    throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' });

  // authenticateStaff consumes the body; the echoed values come from a copy
  const form = await request.clone().formData();
  const values = {
    email: String(form.get('email') ?? '').slice(0, 254),
    redirectTo: redirectTarget(form.get('redirectTo')),
  };

  // before the credential check: a flood neither costs an argon2 hash nor moves AU-8's counters
  const limit = await consumeStaffLoginLimit(context.db, clientInfo(request, context).ip);
  if (!limit.ok) return rateLimited(limit.retryAfterS, values);

  let userId: number;
  try {
    ({ userId } = await authenticateStaff(context.db, request));
  } catch (err) {
    if (err instanceof AuthError) return failure(err, values);
    throw err;
  }

  const profile = await getActiveStaffProfile(context.db, userId);
  if (!profile) {
    // deactivated between the credential check and now
    logger.warn({ event: 'auth.login_failed', userId, reason: 'profile' }, 'sign-in failed');
    return failure(new AuthError('INVALID_CREDENTIALS'), values);
  }
  const session = await signInStaff(context.db, {
    userId,
    request,
    client: clientInfo(request, context),
    requestId: context.requestId,
  });
  logger.info({ event: 'auth.login', userId, sessionId: session.sessionId }, 'staff signed in');
  return redirect(values.redirectTo ?? homePathFor(profile), {
    headers: { 'Set-Cookie': session.cookieHeader },
  });
}

export default function LoginRoute() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();

  return (
    <main className="flex min-h-screen flex-col items-center justify-center bg-stone-100 px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <p className="text-2xl font-bold tracking-tight text-brand-700">{t('app.name')}</p>
          <h1 className="mt-4 text-xl font-semibold text-stone-900">{t('auth.login.title')}</h1>
          <p className="mt-1 text-sm text-stone-500">{t('auth.login.subtitle')}</p>
        </div>
        <Card className="p-6 sm:p-8">
          <LoginForm
            // a new key remounts the form so the echoed email replaces the previous default value
            key={actionData ? `${actionData.error.code}:${actionData.values.email}` : 'initial'}
            redirectTo={actionData?.values.redirectTo ?? redirectTo}
            defaultEmail={actionData?.values.email}
            formError={actionData?.error.formError}
            fieldErrors={actionData?.error.fieldErrors}
            submitting={
              navigation.state === 'submitting' && navigation.formAction?.startsWith('/login')
            }
          />
        </Card>
        <LanguageSwitch className="mt-6 flex justify-center" />
      </div>
    </main>
  );
}
