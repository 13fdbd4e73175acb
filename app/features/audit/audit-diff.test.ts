import { describe, expect, it } from 'vitest';
import { compactValue, diffLines } from './components/audit-diff';

describe('diffLines', () => {
  it('pairs changed fields of before and after, sorted by name', () => {
    expect(
      diffLines({ stock_status: 'IN_STOCK', a: 1 }, { stock_status: 'OUT_OF_STOCK', b: null }),
    ).toEqual([
      { field: 'a', before: 1 },
      { field: 'b', after: null },
      { field: 'stock_status', before: 'IN_STOCK', after: 'OUT_OF_STOCK' },
    ]);
  });

  it('handles a creation (no before) and an empty entry', () => {
    expect(diffLines(null, { code: 'MSK-01' })).toEqual([{ field: 'code', after: 'MSK-01' }]);
    expect(diffLines(null, null)).toEqual([]);
  });

  it('shows non-object payloads as one line', () => {
    expect(diffLines(null, [1, 2])).toEqual([{ field: '', after: [1, 2] }]);
  });
});

describe('compactValue', () => {
  it('prints JSON on one line and cuts long values', () => {
    expect(compactValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(compactValue('x'.repeat(500))).toHaveLength(120);
    expect(compactValue(undefined)).toBe('∅');
  });
});
