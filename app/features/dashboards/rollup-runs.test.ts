import { describe, expect, it } from 'vitest';
import { hourRuns } from './rollup.service.server';

const h = (iso: string) => new Date(iso);

describe('hourRuns', () => {
  it('groups consecutive hours into [from, to) runs, in order and without duplicates', () => {
    expect(
      hourRuns([
        h('2026-11-26T03:00:00Z'),
        h('2026-11-01T10:00:00Z'),
        h('2026-11-26T01:00:00Z'),
        h('2026-11-26T02:00:00Z'),
        h('2026-11-26T02:00:00Z'),
      ]),
    ).toEqual([
      { from: h('2026-11-01T10:00:00Z'), to: h('2026-11-01T11:00:00Z') },
      { from: h('2026-11-26T01:00:00Z'), to: h('2026-11-26T04:00:00Z') },
    ]);
    expect(hourRuns([])).toEqual([]);
  });
});
