import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spreadProportionally } from './allocate';

describe('spreadProportionally (CP-5)', () => {
  it('floors the shares and gives leftovers to the largest remainders', () => {
    // exact shares 14.29 / 28.57 / 57.14: one kopeck left, line 2 has the largest remainder
    const shares = spreadProportionally(100, [
      { lineNo: 1, lineTotalKopecks: 100 },
      { lineNo: 2, lineTotalKopecks: 200 },
      { lineNo: 3, lineTotalKopecks: 400 },
    ]);
    expect([...shares]).toEqual([
      [1, 14],
      [2, 29],
      [3, 57],
    ]);
  });

  it('breaks equal remainders by the lower line_no, not by position', () => {
    const shares = spreadProportionally(200, [
      { lineNo: 9, lineTotalKopecks: 100 },
      { lineNo: 4, lineTotalKopecks: 100 },
      { lineNo: 6, lineTotalKopecks: 100 },
    ]);
    expect(shares.get(4)).toBe(67);
    expect(shares.get(6)).toBe(67);
    expect(shares.get(9)).toBe(66);
  });

  it('gives zero-total lines nothing and handles a zero amount', () => {
    const lines = [
      { lineNo: 1, lineTotalKopecks: 0 },
      { lineNo: 2, lineTotalKopecks: 50 },
    ];
    expect([...spreadProportionally(50, lines)]).toEqual([
      [1, 0],
      [2, 50],
    ]);
    expect([...spreadProportionally(0, lines)]).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });

  it('stays exact beyond 2^53 intermediate products', () => {
    const big = 9_000_000_000;
    const shares = spreadProportionally(big - 1, [
      { lineNo: 1, lineTotalKopecks: big / 3 },
      { lineNo: 2, lineTotalKopecks: (2 * big) / 3 },
    ]);
    expect((shares.get(1) ?? 0) + (shares.get(2) ?? 0)).toBe(big - 1);
    expect(shares.get(2)).toBe(5_999_999_999);
  });

  it('refuses to spread more than the lines total', () => {
    expect(() => spreadProportionally(101, [{ lineNo: 1, lineTotalKopecks: 100 }])).toThrow(
      RangeError,
    );
    expect(() => spreadProportionally(-1, [{ lineNo: 1, lineTotalKopecks: 100 }])).toThrow(
      RangeError,
    );
  });

  it('sums to the amount; each share is the floor or ceiling of its exact share', () => {
    const linesArb = fc
      .uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 30 })
      .chain((nos) =>
        fc.tuple(
          ...nos.map((lineNo) =>
            fc.integer({ min: 0, max: 1_000_000 }).map((t) => ({ lineNo, lineTotalKopecks: t })),
          ),
        ),
      );
    fc.assert(
      fc.property(linesArb, fc.double({ min: 0, max: 1, noNaN: true }), (lines, fraction) => {
        const base = lines.reduce((s, l) => s + l.lineTotalKopecks, 0);
        const amount = Math.floor(base * fraction);
        const shares = spreadProportionally(amount, lines);
        expect([...shares.values()].reduce((s, v) => s + v, 0)).toBe(amount);
        for (const l of lines) {
          const share = shares.get(l.lineNo) ?? -1;
          const exact = BigInt(amount) * BigInt(l.lineTotalKopecks);
          const floor = base === 0 ? 0n : exact / BigInt(base);
          expect(BigInt(share) === floor || BigInt(share) === floor + 1n).toBe(true);
          expect(share).toBeLessThanOrEqual(l.lineTotalKopecks);
        }
      }),
      { numRuns: 300 },
    );
  });
});
