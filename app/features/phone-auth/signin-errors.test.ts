import { describe, expect, it } from 'vitest';
import { catalog } from '~/i18n/catalog';
import { retryAfterSeconds, signInUiError } from './signin-errors';

describe('signInUiError', () => {
  it('puts phone, code and other refusals where the user looks', () => {
    expect(signInUiError('INVALID_PHONE')).toEqual({
      field: 'phone',
      key: 'signin.error.phoneFormat',
    });
    expect(signInUiError('INVALID_CODE', { attempts_left: 3 })).toEqual({
      field: 'code',
      key: 'signin.error.invalidCode',
      params: { attemptsLeft: 3 },
    });
    expect(signInUiError('CODE_EXPIRED').field).toBe('code');
    expect(signInUiError('TOO_MANY_ATTEMPTS').field).toBe('code');
    expect(signInUiError('VALIDATION_FAILED', { fields: { code: 'x' } })).toEqual({
      field: 'code',
      key: 'signin.error.codeFormat',
    });
    expect(signInUiError('RATE_LIMITED', { retry_after_s: 42 })).toEqual({
      field: 'form',
      key: 'signin.error.rateLimited',
      params: { seconds: 42 },
    });
    expect(signInUiError('FORBIDDEN').key).toBe('signin.error.memberInactive');
    expect(signInUiError('STORE_CLOSED').key).toBe('signin.error.generic');
  });

  it('every message it names exists', () => {
    for (const [code, details] of [
      ['INVALID_PHONE', {}],
      ['RATE_LIMITED', { retry_after_s: 5 }],
      ['SMS_UNAVAILABLE', {}],
      ['INVALID_CODE', { attempts_left: 1 }],
      ['CODE_EXPIRED', {}],
      ['TOO_MANY_ATTEMPTS', {}],
      ['VALIDATION_FAILED', {}],
      ['FORBIDDEN', {}],
    ] as const) {
      expect(catalog.ru[signInUiError(code, details).key], code).toBeDefined();
    }
  });

  it('tells how long to wait before sending again', () => {
    expect(retryAfterSeconds('RATE_LIMITED', { retry_after_s: 12.2 })).toBe(13);
    expect(retryAfterSeconds('SMS_UNAVAILABLE', {})).toBe(60);
    expect(retryAfterSeconds('INVALID_CODE', { attempts_left: 2 })).toBe(0);
  });
});
