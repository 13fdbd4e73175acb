import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareParameterisedStatements } from '../../../db/prepared-statements';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';

/**
 * db/prepared-statements.ts on a real PostgreSQL (ADR 0025): parameterised statements are named
 * and parsed once per connection, and the number per connection is bounded. The recovery from a
 * changed result type needs DDL, which lives only in migrations/: db/prepared-statements.test.ts.
 */

let testDb: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  testDb = await createTestDatabase();
  client = new pg.Client({ connectionString: testDb.url });
  await client.connect();
  prepareParameterisedStatements(client, 3);
});

afterAll(async () => {
  await client?.end();
  await testDb?.destroy();
});

const prepared = async (): Promise<string[]> => {
  const { rows } = await client.query<{ statement: string }>(
    'select statement from pg_prepared_statements order by prepare_time',
  );
  return rows.map((r) => r.statement);
};

describe('prepareParameterisedStatements', () => {
  it('prepares a parameterised text once and runs it with new values after', async () => {
    const text = 'select $1::int + 1 as n';
    for (const v of [1, 2, 3]) {
      const { rows } = await client.query<{ n: number }>(text, [v]);
      expect(rows).toEqual([{ n: v + 1 }]);
    }
    expect(await prepared()).toEqual([text]);
  });

  it('leaves texts without parameters, and calls of other shapes, unnamed', async () => {
    await client.query('select 1');
    await client.query({ text: 'select $1::text as t', values: ['x'] });
    await client.query('select 2', []);
    expect(await prepared()).toEqual(['select $1::int + 1 as n']);
  });

  it('names at most `max` texts per connection; later ones still run, unnamed', async () => {
    for (let i = 0; i < 5; i++) {
      const { rows } = await client.query<{ n: number }>(`select $1::int * ${i + 10} as n`, [2]);
      expect(rows).toEqual([{ n: 2 * (i + 10) }]);
    }
    expect(await prepared()).toHaveLength(3);
  });
});
