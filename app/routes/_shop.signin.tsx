import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { isSameOriginRequest } from '~/auth/csrf.server';
import { getOptionalMember } from '~/auth/member.server';
import { clientInfo, readSessionToken } from '~/auth/session.server';
import { Card } from '~/components/ui/card';
import { isCheckoutError } from '~/features/checkout/checkout-errors';
import {
  SIGN_IN_INTENTS,
  SignInForm,
  type SignInResult,
} from '~/features/phone-auth/components/signin-form';
import { normalizePhone } from '~/features/phone-auth/phone';
import { requestLang } from '~/features/phone-auth/phone-auth-http.server';
import { CODE_TTL_SECONDS } from '~/features/phone-auth/phone-auth.server';
import { sendCode, verifyCode } from '~/features/phone-auth/phone-auth.service.server';
import { retryAfterSeconds, signInUiError } from '~/features/phone-auth/signin-errors';
import { consumeCodeVerifyLimit, retryAfterMinutes } from '~/features/ratelimit/rate-limit.server';
import { safeRedirectPath } from '~/i18n/language.server';
import { metaTitle, useT } from '~/i18n/use-t';
import { getEnv } from '~/utils/env.server';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'signin.title');

const ACCOUNT_PATH = '/account';

/** A same-site path to return to after signing in; never back to sign-in, sign-out or an API. */
function signInTarget(value: unknown): string | null {
  const path = safeRedirectPath(value, '');
  if (!path) return null;
  const { pathname } = new URL(path, 'http://same.site');
  if (/^\/(signin|signout)(\/|$)/.test(pathname) || /^\/api(\/|$)/.test(pathname)) return null;
  return path;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const redirectTo = signInTarget(new URL(request.url).searchParams.get('redirectTo'));
  if (await getOptionalMember(request, context)) throw redirect(redirectTo ?? ACCOUNT_PATH);
  return json({ redirectTo, devOutbox: !getEnv().isProduction });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (!isSameOriginRequest(request))
    throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' });
  const form = await request.formData();
  const intent = form.get('intent');
  const phoneInput = String(form.get('phone') ?? '').slice(0, 200);
  const client = clientInfo(request, context);

  if (intent === SIGN_IN_INTENTS.send) {
    const fromCodeStep = form.get('step') === 'code';
    try {
      const answer = await sendCode(context.db, {
        phone: phoneInput,
        ip: client.ip,
        userAgent: client.userAgent,
        lang: requestLang(request),
      });
      return json<SignInResult>({
        step: 'code',
        phone: normalizePhone(phoneInput) ?? phoneInput,
        resendIn: answer.resend_in,
        expiresIn: answer.expires_in,
        error: null,
      });
    } catch (err) {
      if (!isCheckoutError(err)) throw err;
      const error = signInUiError(err.code, err.details);
      const staysOnCode = fromCodeStep && error.field !== 'phone';
      return json<SignInResult>(
        {
          step: staysOnCode ? 'code' : 'phone',
          phone: staysOnCode ? (normalizePhone(phoneInput) ?? phoneInput) : phoneInput,
          resendIn: retryAfterSeconds(err.code, err.details),
          expiresIn: CODE_TTL_SECONDS,
          error,
        },
        { status: err.status },
      );
    }
  }

  if (intent === SIGN_IN_INTENTS.verify) {
    // per client address, across instances (ADR 0020); AU-4's 5 tries per code stay as they are
    const limit = await consumeCodeVerifyLimit(context.db, client.ip);
    if (!limit.ok) {
      return json<SignInResult>(
        {
          step: 'code',
          phone: normalizePhone(phoneInput) ?? phoneInput,
          resendIn: 0,
          expiresIn: CODE_TTL_SECONDS,
          error: {
            field: 'form',
            key: 'signin.error.verifyRateLimited',
            params: { minutes: retryAfterMinutes(limit.retryAfterS) },
          },
        },
        { status: 429, headers: { 'Retry-After': String(limit.retryAfterS) } },
      );
    }
    try {
      const signedIn = await verifyCode(context.db, {
        phone: phoneInput,
        code: String(form.get('code') ?? '').slice(0, 200),
        ip: client.ip,
        userAgent: client.userAgent,
        previousSessionToken: readSessionToken(request),
        requestId: context.requestId,
      });
      return redirect(signInTarget(form.get('redirectTo')) ?? ACCOUNT_PATH, {
        headers: { 'Set-Cookie': signedIn.session.cookieHeader },
      });
    } catch (err) {
      if (!isCheckoutError(err)) throw err;
      const error = signInUiError(err.code, err.details);
      return json<SignInResult>(
        {
          step: error.field === 'phone' ? 'phone' : 'code',
          phone: normalizePhone(phoneInput) ?? phoneInput,
          resendIn: 0,
          expiresIn: CODE_TTL_SECONDS,
          error,
        },
        { status: err.status },
      );
    }
  }

  throw new Response('Unknown intent', { status: 400, statusText: 'Bad Request' });
}

export default function SignInRoute() {
  const { redirectTo, devOutbox } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const submitting = navigation.state === 'submitting' ? navigation.formData?.get('intent') : null;

  return (
    <div className="mx-auto w-full max-w-sm py-6 sm:py-10">
      <div className="mb-6 text-center">
        <h1 className="text-2xl font-bold tracking-tight text-stone-900">{t('signin.title')}</h1>
        <p className="mt-2 text-sm text-stone-600">{t('signin.subtitle')}</p>
      </div>
      <Card className="p-6">
        <SignInForm
          redirectTo={redirectTo}
          result={result}
          busy={submitting === 'send' || submitting === 'verify' ? submitting : null}
          devOutbox={devOutbox}
        />
      </Card>
    </div>
  );
}
