import { Form } from '@remix-run/react';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Field, Input } from '~/components/ui/input';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';

export interface LoginFormProps {
  redirectTo: string | null;
  defaultEmail?: string;
  /** Shown above the fields (wrong credentials, locked account). */
  formError?: { key: MessageKey; params?: Record<string, string | number> } | null;
  fieldErrors?: Partial<Record<'email' | 'password', MessageKey>>;
  submitting?: boolean;
}

/** Staff sign-in: email and password, labelled for screen readers (and e2e `getByLabel`). */
export function LoginForm({
  redirectTo,
  defaultEmail,
  formError,
  fieldErrors = {},
  submitting,
}: LoginFormProps) {
  const t = useT();
  return (
    <Form method="post" className="space-y-5" noValidate>
      {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}

      {formError ? <Alert tone="danger">{t(formError.key, formError.params)}</Alert> : null}

      <Field
        id="login-email"
        label={t('auth.login.email')}
        error={fieldErrors.email ? t(fieldErrors.email) : undefined}
      >
        {(props) => (
          <Input
            {...props}
            name="email"
            type="email"
            autoComplete="username"
            autoFocus
            required
            maxLength={254}
            defaultValue={defaultEmail}
          />
        )}
      </Field>

      <Field
        id="login-password"
        label={t('auth.login.password')}
        error={fieldErrors.password ? t(fieldErrors.password) : undefined}
      >
        {(props) => (
          <Input
            {...props}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={1024}
          />
        )}
      </Field>

      <Button type="submit" variant="primary" className="h-10 w-full" disabled={submitting}>
        {submitting ? t('auth.login.submitting') : t('auth.login.submit')}
      </Button>
    </Form>
  );
}
