import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvCache } from '~/utils/env.server';
import {
  clearSessionCookieHeader,
  clientInfo,
  generateSessionToken,
  hashSessionToken,
  readSessionToken,
  sessionCookieHeader,
} from './session.server';

const req = (cookie?: string, headers: Record<string, string> = {}) =>
  new Request('http://localhost/', {
    headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers },
  });

describe('session tokens', () => {
  it('are 32 random bytes in base64url, different every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, generateSessionToken));
    expect(tokens.size).toBe(50);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });

  it('are stored as SHA-256 hex', () => {
    expect(hashSessionToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('readSessionToken', () => {
  const token = generateSessionToken();
  it('finds the cookie among others', () => {
    expect(readSessionToken(req(`a=1; ctea_session=${token}; b=2`))).toBe(token);
  });
  it('ignores missing, malformed and look-alike cookies', () => {
    expect(readSessionToken(req())).toBeNull();
    expect(readSessionToken(req('ctea_session=short'))).toBeNull();
    expect(readSessionToken(req(`ctea_session=${token}x`))).toBeNull();
    expect(readSessionToken(req(`xctea_session=${token}`))).toBeNull();
    expect(readSessionToken(req(`ctea_session=${token.slice(0, 42)}+`))).toBeNull();
  });
});

describe('cookie headers', () => {
  it('set an HttpOnly, SameSite=Lax, site-wide cookie that expires with the session', () => {
    const expires = new Date(Date.now() + 12 * 3600_000);
    const header = sessionCookieHeader('tok', expires);
    expect(header).toMatch(
      /^ctea_session=tok; Path=\/; HttpOnly; SameSite=Lax; Max-Age=(4319[0-9]|43200); Expires=/,
    );
    expect(header).toContain(expires.toUTCString());
    expect(header).not.toContain('Secure'); // NODE_ENV=test
  });
  it('clear the cookie', () => {
    expect(clearSessionCookieHeader()).toMatch(
      /^ctea_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0;/,
    );
  });
});

describe('in production', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
  });

  it('the cookie is __Host-ctea_session, Secure, and only that name is read', () => {
    Object.assign(process.env, {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@db.example/ctea',
      SESSION_SECRET: 's'.repeat(40),
      CODE_PEPPER: 'p'.repeat(40),
      PUBLIC_BASE_URL: 'https://ctea.example',
    });
    resetEnvCache();
    const token = generateSessionToken();
    expect(sessionCookieHeader(token, new Date(Date.now() + 3600_000))).toMatch(
      new RegExp(`^__Host-ctea_session=${token}; Path=/; HttpOnly; SameSite=Lax; Secure;`),
    );
    expect(clearSessionCookieHeader()).toMatch(/^__Host-ctea_session=; Path=\/;.*Secure/);
    expect(readSessionToken(req(`__Host-ctea_session=${token}`))).toBe(token);
    // a plain-named cookie, which a sibling subdomain could have planted, authenticates nothing
    expect(readSessionToken(req(`ctea_session=${token}`))).toBeNull();
  });
});

describe('clientInfo', () => {
  it('takes the IP from the load context only, and cuts the user agent to 300 chars', () => {
    const request = req(undefined, { 'User-Agent': 'u'.repeat(500), 'X-Forwarded-For': '6.6.6.6' });
    expect(clientInfo(request, { requestId: 'r', clientIp: '10.0.0.1' })).toEqual({
      ip: '10.0.0.1',
      userAgent: 'u'.repeat(300),
    });
    expect(clientInfo(request, { requestId: 'r' }).ip).toBeNull();
    expect(clientInfo(request, { clientIp: 'not-an-ip' }).ip).toBeNull();
    expect(clientInfo(req(), undefined)).toEqual({ ip: null, userAgent: null });
  });
});
