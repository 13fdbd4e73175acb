import { Form, Link } from '@remix-run/react';
import { useEffect, useState, type FormEvent } from 'react';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Field, Input } from '~/components/ui/input';
import { useT } from '~/i18n/use-t';
import { formatPhone, normalizePhone, PHONE_INPUT_MAX_LENGTH } from '../phone';
import { CODE_LENGTH } from '../phone-auth.schema';
import type { SignInUiError } from '../signin-errors';

export const SIGN_IN_INTENTS = { send: 'send', verify: 'verify' } as const;

/** What the sign-in action answers when it does not redirect. */
export interface SignInResult {
  step: 'phone' | 'code';
  /** E.164 once the phone was accepted; the raw input on the phone step. */
  phone: string;
  /** Seconds until "send again" is allowed. */
  resendIn: number;
  expiresIn: number;
  error: SignInUiError | null;
}

export interface SignInFormProps {
  redirectTo: string | null;
  result: SignInResult | undefined;
  /** The intent being submitted right now, if any. */
  busy: 'send' | 'verify' | null;
  /** Development only: the fake gateway's outbox page. */
  devOutbox: boolean;
}

/** Seconds left of `seconds`, restarted whenever `restartKey` changes (a new action answer). */
function useCountdown(seconds: number, restartKey: unknown): number {
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    setLeft(seconds);
    if (seconds <= 0) return;
    const deadline = Date.now() + seconds * 1000;
    const timer = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [seconds, restartKey]);
  return left;
}

function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

function Hidden({ redirectTo, intent }: { redirectTo: string | null; intent: string }) {
  return (
    <>
      <input type="hidden" name="intent" value={intent} />
      {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
    </>
  );
}

/**
 * Phone → code, as two plain POST forms (they work before JavaScript loads). The phone is checked
 * with the server's own rule before it is sent, so `123` never leaves the browser; the server
 * checks again. "Send again" counts down from the server's resend interval.
 */
export function SignInForm({ redirectTo, result, busy, devOutbox }: SignInFormProps) {
  const t = useT();
  const hydrated = useHydrated();
  const [localPhoneError, setLocalPhoneError] = useState(false);
  const resendLeft = useCountdown(result?.resendIn ?? 0, result);
  const error = result?.error ?? null;
  const formError = error?.field === 'form' ? error : null;

  function checkPhone(event: FormEvent<HTMLFormElement>) {
    const value = new FormData(event.currentTarget).get('phone');
    if (typeof value !== 'string' || normalizePhone(value) === null) {
      event.preventDefault();
      setLocalPhoneError(true);
    }
  }

  if (result?.step !== 'code') {
    const phoneError = localPhoneError
      ? t('signin.error.phoneFormat')
      : error?.field === 'phone'
        ? t(error.key, error.params)
        : undefined;
    return (
      <Form method="post" className="space-y-5" noValidate onSubmit={checkPhone}>
        <Hidden redirectTo={redirectTo} intent={SIGN_IN_INTENTS.send} />
        {formError ? <Alert tone="danger">{t(formError.key, formError.params)}</Alert> : null}
        <Field
          id="signin-phone"
          label={t('signin.phone.label')}
          hint={t('signin.phone.hint')}
          error={phoneError}
        >
          {(props) => (
            <Input
              {...props}
              name="phone"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              autoFocus
              required
              maxLength={PHONE_INPUT_MAX_LENGTH}
              defaultValue={result?.phone ?? ''}
              onChange={() => setLocalPhoneError(false)}
            />
          )}
        </Field>
        <Button type="submit" variant="primary" className="h-10 w-full" disabled={busy === 'send'}>
          {busy === 'send' ? t('signin.sending') : t('signin.send')}
        </Button>
      </Form>
    );
  }

  const codeError = error?.field === 'code' ? t(error.key, error.params) : undefined;
  const changeHref = redirectTo ? `/signin?${new URLSearchParams({ redirectTo })}` : '/signin';
  return (
    <div className="space-y-5">
      <p className="text-sm text-stone-600">
        {t('signin.code.sentTo', {
          phone: formatPhone(result.phone),
          minutes: Math.round(result.expiresIn / 60),
        })}{' '}
        <Link to={changeHref} className="font-medium text-brand-700 hover:underline">
          {t('signin.changePhone')}
        </Link>
      </p>
      {formError ? <Alert tone="danger">{t(formError.key, formError.params)}</Alert> : null}

      <Form method="post" className="space-y-5" noValidate>
        <Hidden redirectTo={redirectTo} intent={SIGN_IN_INTENTS.verify} />
        <input type="hidden" name="phone" value={result.phone} />
        <Field id="signin-code" label={t('signin.code.label')} error={codeError}>
          {(props) => (
            <Input
              {...props}
              // a new answer remounts the field empty, so a wrong code is not submitted again
              key={`code-${JSON.stringify(result.error)}-${result.resendIn}`}
              name="code"
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]*"
              autoFocus
              required
              maxLength={CODE_LENGTH + 2}
              className="h-11 text-center text-lg tracking-[0.4em]"
            />
          )}
        </Field>
        <Button
          type="submit"
          variant="primary"
          className="h-10 w-full"
          disabled={busy === 'verify'}
        >
          {busy === 'verify' ? t('signin.verifying') : t('signin.verify')}
        </Button>
      </Form>

      <Form method="post" className="flex flex-col items-center gap-1 text-center">
        <Hidden redirectTo={redirectTo} intent={SIGN_IN_INTENTS.send} />
        <input type="hidden" name="phone" value={result.phone} />
        <input type="hidden" name="step" value="code" />
        <Button
          type="submit"
          variant="ghost"
          // before hydration the timer cannot run: the server refuses early resends anyway
          disabled={busy === 'send' || (hydrated && resendLeft > 0)}
        >
          {busy === 'send' ? t('signin.sending') : t('signin.resend')}
        </Button>
        {resendLeft > 0 ? (
          <p className="text-xs text-stone-500" aria-live="polite">
            {t('signin.resendIn', { seconds: resendLeft })}
          </p>
        ) : null}
      </Form>

      {devOutbox ? (
        <p className="text-center text-xs">
          <a
            href={`/dev/sms-outbox?${new URLSearchParams({ phone: result.phone })}`}
            target="_blank"
            rel="noreferrer"
            className="text-stone-500 underline hover:text-stone-700"
          >
            {t('signin.devOutboxLink')}
          </a>
        </p>
      ) : null}
    </div>
  );
}
