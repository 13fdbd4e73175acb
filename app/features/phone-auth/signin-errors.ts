import type { CheckoutErrorCode } from '~/features/checkout/checkout-errors';
import type { MessageKey } from '~/i18n/translate';

/**
 * Where the sign-in page shows a refusal of the sign-in services, and with which message: phone
 * problems under the phone field, code problems under the code field, the rest above the form.
 */
export interface SignInUiError {
  field: 'phone' | 'code' | 'form';
  key: MessageKey;
  params?: Record<string, number>;
}

function seconds(details: Record<string, unknown>): number {
  const value = details.retry_after_s;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : 60;
}

export function signInUiError(
  code: CheckoutErrorCode,
  details: Record<string, unknown> = {},
): SignInUiError {
  switch (code) {
    case 'INVALID_PHONE':
      return { field: 'phone', key: 'signin.error.phoneFormat' };
    case 'RATE_LIMITED':
      return {
        field: 'form',
        key: 'signin.error.rateLimited',
        params: { seconds: seconds(details) },
      };
    case 'SMS_UNAVAILABLE':
      return {
        field: 'form',
        key: 'signin.error.smsUnavailable',
        params: { seconds: seconds(details) },
      };
    case 'INVALID_CODE': {
      const left = details.attempts_left;
      return {
        field: 'code',
        key: 'signin.error.invalidCode',
        params: { attemptsLeft: typeof left === 'number' ? left : 0 },
      };
    }
    case 'CODE_EXPIRED':
      return { field: 'code', key: 'signin.error.codeExpired' };
    case 'TOO_MANY_ATTEMPTS':
      return { field: 'code', key: 'signin.error.tooManyAttempts' };
    case 'VALIDATION_FAILED': {
      const fields = details.fields as Record<string, unknown> | undefined;
      if (fields && 'code' in fields) return { field: 'code', key: 'signin.error.codeFormat' };
      if (fields && 'phone' in fields) return { field: 'phone', key: 'signin.error.phoneFormat' };
      return { field: 'form', key: 'signin.error.generic' };
    }
    case 'FORBIDDEN':
      return { field: 'form', key: 'signin.error.memberInactive' };
    default:
      return { field: 'form', key: 'signin.error.generic' };
  }
}

/** Seconds until "send again" may be used, when the refusal says so. */
export function retryAfterSeconds(
  code: CheckoutErrorCode,
  details: Record<string, unknown>,
): number {
  return code === 'RATE_LIMITED' || code === 'SMS_UNAVAILABLE' ? seconds(details) : 0;
}
