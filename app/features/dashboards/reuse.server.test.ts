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
  });

  it('answers with the kept data while one new read runs, for up to another `ms`', async () => {
    let reads = 0;
    let finish: (() => void) | null = null;
    const read = () =>
      new Promise<number>((resolve) => {
        const n = ++reads;
        if (n === 1) resolve(n);
        else finish = () => resolve(n);
      });
    expect(await reuseRecent('k3', read, 5_000, 1_000)).toBe(1);
    // aged: the kept value at once, and one read in the background for every caller
    expect(await reuseRecent('k3', read, 5_000, 6_000)).toBe(1);
    expect(await reuseRecent('k3', read, 5_000, 6_001)).toBe(1);
    expect(reads).toBe(2);
    // older than twice `ms`: wait for that read instead
    const waiting = reuseRecent('k3', read, 5_000, 11_000);
    finish!();
    expect(await waiting).toBe(2);
    // the new read is kept from when it finished
    expect(await reuseRecent('k3', read, 5_000, Date.now() + 4_000)).toBe(2);
    expect(reads).toBe(2);
  });

  it('tries again after a failed background read', async () => {
    let reads = 0;
    const read = async () => {
      reads += 1;
      if (reads === 2) throw new Error('database unavailable');
      return reads;
    };
    expect(await reuseRecent('k4', read, 5_000, 1_000)).toBe(1);
    expect(await reuseRecent('k4', read, 5_000, 6_000)).toBe(1);
    await Promise.resolve();
    expect(await reuseRecent('k4', read, 5_000, 6_001)).toBe(1);
    expect(reads).toBe(3);
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
