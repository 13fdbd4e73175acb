import { describe, expect, it } from 'vitest';
import { coversLoopback, EnvError, parseEnv } from './env.server';

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

  it('refuses a loopback address in the YooKassa notification allowlist in production (PY-11)', () => {
    for (const cidrs of [
      '127.0.0.1/32',
      '185.71.76.0/27,::1/128',
      '127.0.0.0/8',
      '0.0.0.0/0',
      '::ffff:127.0.0.1',
    ]) {
      expect(errorOf({ ...prod, YOOKASSA_NOTIFY_CIDRS: cidrs }).variable, cidrs).toBe(
        'YOOKASSA_NOTIFY_CIDRS',
      );
    }
    expect(
      parseEnv({ ...prod, YOOKASSA_NOTIFY_CIDRS: '185.71.76.0/27,2a02:5180::/32' })
        .YOOKASSA_NOTIFY_CIDRS,
    ).toEqual(['185.71.76.0/27', '2a02:5180::/32']);
    expect(
      parseEnv({ YOOKASSA_NOTIFY_CIDRS: '127.0.0.1/32,::1/128' }).YOOKASSA_NOTIFY_CIDRS,
    ).toHaveLength(2);
  });

  it('rejects a bad PORT', () => {
    expect(errorOf({ PORT: 'eighty' }).variable).toBe('PORT');
  });
});

describe('coversLoopback', () => {
  it('finds loopback in IPv4, IPv6 and mapped ranges', () => {
    for (const entry of [
      '127.0.0.1',
      '127.1.2.3/32',
      '120.0.0.0/4',
      '::1',
      '::/0',
      '::ffff:127.0.0.1/128',
    ])
      expect(coversLoopback(entry), entry).toBe(true);
    for (const entry of [
      '185.71.76.0/27',
      '128.0.0.0/8',
      '2a02:5180::/32',
      'localhost',
      '10.0.0.0/33',
    ])
      expect(coversLoopback(entry), entry).toBe(false);
  });
});
