import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env.server';

const secret = 'x'.repeat(32);
const prod = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u:p@db.internal:5432/ctea',
  SESSION_SECRET: secret,
  CODE_PEPPER: secret,
  PUBLIC_BASE_URL: 'https://ctea.example',
};

function errorOf(env: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(env);
  } catch (err) {
    if (err instanceof EnvError) return err;
    throw err;
  }
  throw new Error('expected an EnvError');
}

describe('environment (CF-1, V4)', () => {
  it('has working development defaults', () => {
    const env = parseEnv({});
    expect(env.NODE_ENV).toBe('development');
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(Buffer.byteLength(env.SESSION_SECRET)).toBeGreaterThanOrEqual(32);
  });

  it('accepts a complete production environment', () => {
    expect(parseEnv(prod).isProduction).toBe(true);
  });

  it('names the variable of a malformed DATABASE_URL in one line, without its value', () => {
    const err = errorOf({ DATABASE_URL: 'mysql://nope:secretpw@x/y' });
    expect(err.variable).toBe('DATABASE_URL');
    expect(err.message).not.toContain('secretpw');
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('requires DATABASE_URL and secrets in production', () => {
    expect(errorOf({ ...prod, DATABASE_URL: undefined }).variable).toBe('DATABASE_URL');
    expect(errorOf({ ...prod, SESSION_SECRET: undefined }).variable).toBe('SESSION_SECRET');
    expect(errorOf({ ...prod, CODE_PEPPER: 'short' }).variable).toBe('CODE_PEPPER');
  });

  it('forbids loopback integrations and plain-http YooKassa in production', () => {
    expect(errorOf({ ...prod, SMS_API_BASE_URL: 'http://127.0.0.1:4010' }).variable).toBe(
      'SMS_API_BASE_URL',
    );
    expect(
      errorOf({ ...prod, YOOKASSA_API_BASE_URL: 'http://api.yookassa.example' }).variable,
    ).toBe('YOOKASSA_API_BASE_URL');
  });

  it('rejects a bad PORT', () => {
    expect(errorOf({ PORT: 'eighty' }).variable).toBe('PORT');
  });
});
