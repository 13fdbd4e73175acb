import { describe, expect, it } from 'vitest';
import { clientIp, trustedProxies } from './client-ip.server';

describe('clientIp', () => {
  const proxies = trustedProxies(['10.0.0.0/8', '::1']);

  it('uses the socket peer when no proxy is trusted', () => {
    expect(clientIp('203.0.113.9', '1.2.3.4', trustedProxies([]))).toBe('203.0.113.9');
    expect(clientIp('::ffff:203.0.113.9', undefined, proxies)).toBe('203.0.113.9');
  });

  it('ignores X-Forwarded-For from an untrusted peer', () => {
    expect(clientIp('203.0.113.9', '1.2.3.4', proxies)).toBe('203.0.113.9');
  });

  it('takes the right-most untrusted hop behind trusted proxies', () => {
    expect(clientIp('10.0.0.2', '198.51.100.7, 10.0.0.5', proxies)).toBe('198.51.100.7');
    expect(clientIp('::1', 'spoofed, 198.51.100.7', proxies)).toBe('198.51.100.7');
  });

  it('stops at a malformed hop', () => {
    expect(clientIp('10.0.0.2', 'not-an-ip', proxies)).toBe('10.0.0.2');
  });
});
