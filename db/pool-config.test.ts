import { describe, expect, it } from 'vitest';
import { poolConfig, sslSettings } from './pool-config';

const URL = 'postgres://u:p@db.example:5432/ctea';

describe('pool configuration (CF-1, CF-2, V4)', () => {
  it('uses the required pool limits', () => {
    const c = poolConfig({ DATABASE_URL: URL });
    expect(c).toMatchObject({
      max: 20,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
    });
  });

  it('production without DATABASE_SSL: SSL on with certificate verification', () => {
    expect(sslSettings({ NODE_ENV: 'production' })).toEqual({ rejectUnauthorized: true });
  });

  it('production: only the exact string "false" turns SSL off', () => {
    expect(sslSettings({ NODE_ENV: 'production', DATABASE_SSL: 'false' })).toBeUndefined();
    for (const v of ['FALSE', '0', 'no', '', 'true']) {
      expect(sslSettings({ NODE_ENV: 'production', DATABASE_SSL: v })).toEqual({
        rejectUnauthorized: true,
      });
    }
  });

  it('only the exact string "false" turns certificate verification off', () => {
    expect(
      sslSettings({ NODE_ENV: 'production', DATABASE_SSL_REJECT_UNAUTHORIZED: 'false' }),
    ).toEqual({
      rejectUnauthorized: false,
    });
    for (const v of ['False', '0', '', 'no', undefined]) {
      expect(sslSettings({ NODE_ENV: 'production', DATABASE_SSL_REJECT_UNAUTHORIZED: v })).toEqual({
        rejectUnauthorized: true,
      });
    }
  });

  it('outside production SSL is opt-in with DATABASE_SSL=true', () => {
    expect(sslSettings({ NODE_ENV: 'development' })).toBeUndefined();
    expect(sslSettings({ NODE_ENV: 'development', DATABASE_SSL: 'true' })).toEqual({
      rejectUnauthorized: true,
    });
  });

  it('refuses to build a pool without DATABASE_URL', () => {
    expect(() => poolConfig({})).toThrow(/DATABASE_URL/);
  });
});
