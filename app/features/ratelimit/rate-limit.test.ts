import { describe, expect, it } from 'vitest';
import {
  clientAddressKey,
  RATE_LIMIT_WINDOWS,
  rateLimitDecision,
  rateLimitKeyHash,
  retryAfterMinutes,
  UNKNOWN_CLIENT_KEY,
} from './rate-limit';

const SECRET = 'test-secret-test-secret-test-secret-00';

describe('clientAddressKey', () => {
  it('keeps an IPv4 address and unwraps an IPv4-mapped IPv6 one to the same key', () => {
    expect(clientAddressKey('203.0.113.7')).toBe('ip:203.0.113.7');
    expect(clientAddressKey('::ffff:203.0.113.7')).toBe('ip:203.0.113.7');
    expect(clientAddressKey('::FFFF:203.0.113.7')).toBe('ip:203.0.113.7');
  });

  it('counts IPv6 clients per /64, whatever the spelling of the address', () => {
    const key = clientAddressKey('2001:db8:1:2::1');
    expect(key).toBe('ip6:2001:db8:1:2::/64');
    expect(clientAddressKey('2001:0db8:0001:0002:ffff:eeee:dddd:cccc')).toBe(key);
    expect(clientAddressKey('2001:DB8:1:2:0:0:0:99')).toBe(key);
    expect(clientAddressKey('2001:db8:1:3::1')).not.toBe(key);
    expect(clientAddressKey('::1')).toBe('ip6:0:0:0:0::/64');
    expect(clientAddressKey('2001:db8::')).toBe('ip6:2001:db8:0:0::/64');
  });

  it('puts missing or malformed addresses under one shared key', () => {
    expect(clientAddressKey(null)).toBe(UNKNOWN_CLIENT_KEY);
    expect(clientAddressKey(undefined)).toBe(UNKNOWN_CLIENT_KEY);
    expect(clientAddressKey('')).toBe(UNKNOWN_CLIENT_KEY);
    expect(clientAddressKey('not-an-ip')).toBe(UNKNOWN_CLIENT_KEY);
  });
});

describe('rateLimitKeyHash', () => {
  it('is 64 lower-case hex characters and never contains the key', () => {
    const hash = rateLimitKeyHash('staff_login_ip', 'ip:203.0.113.7', SECRET);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('203');
  });

  it('is stable, and differs by scope, key and secret', () => {
    const hash = rateLimitKeyHash('checkout_ip', 'ip:203.0.113.7', SECRET);
    expect(rateLimitKeyHash('checkout_ip', 'ip:203.0.113.7', SECRET)).toBe(hash);
    expect(rateLimitKeyHash('checkout_member', 'ip:203.0.113.7', SECRET)).not.toBe(hash);
    expect(rateLimitKeyHash('checkout_ip', 'ip:203.0.113.8', SECRET)).not.toBe(hash);
    expect(rateLimitKeyHash('checkout_ip', 'ip:203.0.113.7', `${SECRET}x`)).not.toBe(hash);
  });
});

describe('rateLimitDecision', () => {
  it('allows up to the limit and counts down what is left', () => {
    expect(rateLimitDecision(1, 3, 50)).toEqual({ ok: true, remaining: 2 });
    expect(rateLimitDecision(3, 3, 50)).toEqual({ ok: true, remaining: 0 });
  });

  it('refuses past the limit until the window ends, in whole seconds and at least 1', () => {
    expect(rateLimitDecision(4, 3, 41.2)).toEqual({ ok: false, retryAfterS: 42 });
    expect(rateLimitDecision(100, 3, 0.0001)).toEqual({ ok: false, retryAfterS: 1 });
    expect(rateLimitDecision(4, 3, 0)).toEqual({ ok: false, retryAfterS: 1 });
  });
});

describe('retryAfterMinutes', () => {
  it('rounds up and never says 0 minutes', () => {
    expect(retryAfterMinutes(1)).toBe(1);
    expect(retryAfterMinutes(60)).toBe(1);
    expect(retryAfterMinutes(61)).toBe(2);
    expect(retryAfterMinutes(900)).toBe(15);
  });
});

describe('windows', () => {
  it('match the documented lengths', () => {
    expect(RATE_LIMIT_WINDOWS).toEqual({
      staff_login_ip: 900,
      code_verify_ip: 3600,
      checkout_member: 60,
      checkout_ip: 60,
    });
  });
});
