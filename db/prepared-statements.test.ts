import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { prepareParameterisedStatements } from './prepared-statements';

/**
 * The name bookkeeping of db/prepared-statements.ts; what PostgreSQL does with the names is in
 * tests/integration/database/prepared-statements.test.ts. The client here records the calls
 * node-postgres would get and fails like PostgreSQL does when a migration changed the columns a
 * prepared `select *` returns.
 */
function recordingClient(failures: Set<string>) {
  const calls: unknown[] = [];
  const client = {
    query: (...args: unknown[]) => {
      calls.push(args.length === 1 ? args[0] : args);
      const config = args[0] as { name?: string };
      if (config.name && failures.has(config.name)) {
        failures.delete(config.name);
        return Promise.reject(
          Object.assign(new Error('cached plan must not change result type'), { code: '0A000' }),
        );
      }
      return Promise.resolve({ rows: [] });
    },
  };
  return { client: client as unknown as pg.ClientBase, calls };
}

const nameOf = (call: unknown) => (call as { name?: string }).name;

describe('prepareParameterisedStatements', () => {
  it('names a parameterised text by its hash, the same name every time', async () => {
    const { client, calls } = recordingClient(new Set());
    prepareParameterisedStatements(client);
    await client.query('select $1::int', [1]);
    await client.query('select $1::int', [2]);
    await client.query('select $1::int + 0', [2]);
    expect(nameOf(calls[0])).toMatch(/^k0_[A-Za-z0-9_-]{32}$/);
    expect(nameOf(calls[1])).toBe(nameOf(calls[0]));
    expect(nameOf(calls[2])).not.toBe(nameOf(calls[0]));
    expect(calls[1]).toEqual({ name: nameOf(calls[0]), text: 'select $1::int', values: [2] });
  });

  it('gives a statement a new name after PostgreSQL refused its changed result type', async () => {
    const text = 'select * from member where id = $1';
    const first = recordingClient(new Set());
    prepareParameterisedStatements(first.client);
    await first.client.query(text, [1]);
    const stale = nameOf(first.calls[0])!;

    const { client, calls } = recordingClient(new Set([stale]));
    prepareParameterisedStatements(client);
    await expect(client.query(text, [1])).rejects.toThrow('cached plan must not change');
    await client.query(text, [1]);
    await client.query(text, [2]);
    expect(nameOf(calls[0])).toBe(stale);
    expect(nameOf(calls[1])).not.toBe(stale);
    expect(nameOf(calls[1])).toMatch(/^k1_/);
    expect(nameOf(calls[2])).toBe(nameOf(calls[1]));
  });

  it('passes other errors through and keeps the name', async () => {
    let fail = true;
    const calls: unknown[] = [];
    const client = {
      query: (...args: unknown[]) => {
        calls.push(args[0]);
        if (fail) {
          fail = false;
          return Promise.reject(Object.assign(new Error('deadlock detected'), { code: '40P01' }));
        }
        return Promise.resolve({ rows: [] });
      },
    } as unknown as pg.ClientBase;
    prepareParameterisedStatements(client);
    await expect(client.query('select $1::int', [1])).rejects.toThrow('deadlock');
    await client.query('select $1::int', [1]);
    expect(nameOf(calls[1])).toBe(nameOf(calls[0]));
  });
});
