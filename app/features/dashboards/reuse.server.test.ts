import { describe, expect, it } from 'vitest';
import { reuseRecent } from './reuse.server';

describe('reuseRecent', () => {
  const counter = () => {
    let reads = 0;
    return { read: async () => ++reads, reads: () => reads };
  };

  it('reads every time when off', async () => {
    const c = counter();
    expect(await reuseRecent('off', c.read, 0)).toBe(1);
    expect(await reuseRecent('off', c.read, 0)).toBe(2);
  });

  it('reuses a read for its key until it is `ms` old, and concurrent callers share it', async () => {
    const c = counter();
    const [a, b] = await Promise.all([
      reuseRecent('k1', c.read, 5_000, 1_000),
      reuseRecent('k1', c.read, 5_000, 1_001),
    ]);
    expect([a, b, c.reads()]).toEqual([1, 1, 1]);
    expect(await reuseRecent('k1', c.read, 5_000, 5_999)).toBe(1);
    expect(await reuseRecent('other key', c.read, 5_000, 5_999)).toBe(2);
    expect(await reuseRecent('k1', c.read, 5_000, 6_000)).toBe(3);
  });

  it('does not keep a failed read', async () => {
    let fail = true;
    const read = async () => {
      if (fail) throw new Error('database unavailable');
      return 'rows';
    };
    await expect(reuseRecent('k2', read, 5_000, 1_000)).rejects.toThrow('database unavailable');
    fail = false;
    expect(await reuseRecent('k2', read, 5_000, 1_001)).toBe('rows');
  });
});
