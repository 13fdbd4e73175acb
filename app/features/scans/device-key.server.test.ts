import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearerDeviceKey, generateDeviceKey, hashDeviceKey } from './device-key.server';

describe('device keys', () => {
  it('are 32 random bytes in base64url, different every time', () => {
    const keys = new Set(Array.from({ length: 50 }, generateDeviceKey));
    expect(keys.size).toBe(50);
    for (const key of keys) {
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key, 'base64url')).toHaveLength(32);
    }
  });

  it('are stored as the SHA-256 hex of the key text (as the seed stores its demo key)', () => {
    const key = generateDeviceKey();
    expect(hashDeviceKey(key)).toBe(crypto.createHash('sha256').update(key).digest('hex'));
    expect(hashDeviceKey(key)).toHaveLength(64);
  });

  it('are read from an Authorization: Bearer header only when they have the right shape', () => {
    const key = generateDeviceKey();
    expect(bearerDeviceKey(`Bearer ${key}`)).toBe(key);
    expect(bearerDeviceKey(`bearer  ${key} `)).toBe(key);
    expect(bearerDeviceKey(null)).toBeNull();
    expect(bearerDeviceKey('')).toBeNull();
    expect(bearerDeviceKey(key)).toBeNull();
    expect(bearerDeviceKey(`Basic ${key}`)).toBeNull();
    expect(bearerDeviceKey('Bearer short')).toBeNull();
    expect(bearerDeviceKey(`Bearer ${key}x`)).toBeNull();
    expect(bearerDeviceKey(`Bearer ${key} extra`)).toBeNull();
  });
});
