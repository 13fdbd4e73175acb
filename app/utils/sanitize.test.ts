import { describe, expect, it } from 'vitest';
import { maskPhone, sanitize } from './sanitize';

describe('log sanitizer (CF-7, AU-6)', () => {
  it('masks sensitive field names but keeps error and status codes', () => {
    const out = sanitize({
      token: 'abc',
      password: 'p',
      apiKey: 'k',
      Authorization: 'Bearer x',
      cookie: 'ctea_session=1',
      card_last4: '4242',
      code: '123456',
      error_code: 'INVALID_CODE',
      status_code: 502,
      nested: { client_secret: 's', ok: 'visible' },
    }) as Record<string, unknown>;
    expect(out).toMatchObject({
      token: '[REDACTED]',
      password: '[REDACTED]',
      apiKey: '[REDACTED]',
      Authorization: '[REDACTED]',
      cookie: '[REDACTED]',
      card_last4: '[REDACTED]',
      code: '[REDACTED]',
      error_code: 'INVALID_CODE',
      status_code: 502,
      nested: { client_secret: '[REDACTED]', ok: 'visible' },
    });
  });

  it('masks phone fields and phone numbers inside text', () => {
    expect(sanitize({ phone: '+79001234567' })).toEqual({ phone: '+7900***4567' });
    expect(sanitize('sent to +79001234567 ok')).toBe('sent to +7900***4567 ok');
    expect(maskPhone('8 (900) 123-45-67')).toBe('+8900***4567');
  });

  it('cuts long strings at 500 characters', () => {
    const out = sanitize({ message: 'a'.repeat(2000) }) as { message: string };
    expect(out.message.startsWith('a'.repeat(500))).toBe(true);
    expect(out.message.length).toBeLessThan(520);
  });

  it('survives cycles and errors', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(sanitize(a)).toEqual({ name: 'a', self: '[Circular]' });
    const err = Object.assign(new Error('boom'), { code: '23505' });
    expect(sanitize(err)).toMatchObject({ type: 'Error', message: 'boom', error_code: '23505' });
  });
});
