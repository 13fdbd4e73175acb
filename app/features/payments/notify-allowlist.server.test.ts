import { describe, expect, it } from 'vitest';
import { isAllowedNotificationSource } from './notify-allowlist.server';

describe('YooKassa notification allowlist (PY-6)', () => {
  it('defaults to the published ranges', () => {
    for (const ip of [
      '185.71.76.1',
      '185.71.77.31',
      '77.75.153.127',
      '77.75.154.200',
      '77.75.156.11',
      '77.75.156.35',
      '2a02:5180::1',
    ]) {
      expect(isAllowedNotificationSource(ip, []), ip).toBe(true);
    }
    for (const ip of [
      '185.71.76.32',
      '77.75.153.128',
      '77.75.154.127',
      '77.75.156.12',
      '127.0.0.1',
      '::1',
      '10.0.0.1',
    ]) {
      expect(isAllowedNotificationSource(ip, []), ip).toBe(false);
    }
  });

  it('uses the configured list instead when one is given', () => {
    const configured = ['127.0.0.1/32', '::1/128'];
    expect(isAllowedNotificationSource('127.0.0.1', configured)).toBe(true);
    expect(isAllowedNotificationSource('::1', configured)).toBe(true);
    expect(isAllowedNotificationSource('185.71.76.1', configured)).toBe(false);
  });

  it('refuses a missing or malformed address', () => {
    expect(isAllowedNotificationSource(null, [])).toBe(false);
    expect(isAllowedNotificationSource('', [])).toBe(false);
    expect(isAllowedNotificationSource('185.71.76.1, 1.2.3.4', [])).toBe(false);
  });
});
