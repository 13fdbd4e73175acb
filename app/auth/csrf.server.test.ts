import { describe, expect, it } from 'vitest';
import { csrfTokenFor, isSameOriginRequest, isValidCsrf, requireCsrf } from './csrf.server';

describe('csrf tokens', () => {
  it('are stable per session and differ between sessions', () => {
    const a = csrfTokenFor('a'.repeat(64));
    expect(csrfTokenFor('a'.repeat(64))).toBe(a);
    expect(csrfTokenFor('b'.repeat(64))).not.toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('validate only the exact token', () => {
    const user = { csrfToken: csrfTokenFor('c'.repeat(64)) };
    expect(isValidCsrf(user.csrfToken, user)).toBe(true);
    expect(isValidCsrf(user.csrfToken.slice(1), user)).toBe(false);
    expect(isValidCsrf('', user)).toBe(false);
    expect(isValidCsrf(null, user)).toBe(false);
    expect(isValidCsrf(new File([user.csrfToken], 'x'), user)).toBe(false);
  });
});

describe('isSameOriginRequest', () => {
  const req = (origin?: string) =>
    new Request('http://shop.example:3000/login', {
      method: 'POST',
      headers: origin ? { Origin: origin } : {},
    });
  it('accepts our own origin (any scheme, for TLS proxies) and requests without Origin', () => {
    expect(isSameOriginRequest(req())).toBe(true);
    expect(isSameOriginRequest(req('http://shop.example:3000'))).toBe(true);
    expect(isSameOriginRequest(req('https://shop.example:3000'))).toBe(true);
  });
  it('refuses other origins and the opaque "null" origin', () => {
    expect(isSameOriginRequest(req('https://evil.example'))).toBe(false);
    expect(isSameOriginRequest(req('http://shop.example:3001'))).toBe(false);
    expect(isSameOriginRequest(req('null'))).toBe(false);
  });
});

describe('requireCsrf', () => {
  const user = { csrfToken: csrfTokenFor('d'.repeat(64)) };
  const post = (origin: string | null, token: string | null) => {
    const form = new FormData();
    if (token !== null) form.set('csrf', token);
    const request = new Request('http://shop.example:3000/admin/stores', {
      method: 'POST',
      headers: origin ? { Origin: origin } : {},
    });
    return () => requireCsrf(request, form, user);
  };
  const status = (run: () => void) => {
    try {
      run();
      return 200;
    } catch (thrown) {
      return (thrown as Response).status;
    }
  };
  it('needs our origin (or none) and the session token', () => {
    expect(status(post('http://shop.example:3000', user.csrfToken))).toBe(200);
    expect(status(post(null, user.csrfToken))).toBe(200);
    // the right token from another site is still refused
    expect(status(post('https://evil.example', user.csrfToken))).toBe(403);
    expect(status(post('null', user.csrfToken))).toBe(403);
    expect(status(post('http://shop.example:3000', null))).toBe(403);
    expect(status(post('http://shop.example:3000', 'forged'))).toBe(403);
  });
});
