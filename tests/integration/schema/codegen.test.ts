import { promises as fs } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTypes, TYPES_FILE } from '../../../scripts/codegen';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { EXPECTED_TABLES } from './helpers';

/** V3: the committed db/types.generated.ts is exactly what kysely-codegen makes of the schema. */

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.destroy();
});

describe('db/types.generated.ts', () => {
  it('is up to date with the migrations (run `npm run db:codegen` after a schema change)', async () => {
    const generated = await generateTypes(testDb.url);
    const committed = await fs.readFile(TYPES_FILE, 'utf8');
    expect(committed).toBe(generated);
  });

  it('describes the 38 public tables in the DB interface and nothing from meta', async () => {
    const generated = await generateTypes(testDb.url);
    const body = /export interface DB \{([^}]*)\}/.exec(generated)?.[1] ?? '';
    const keys = [...body.matchAll(/^\s+([a-z_]+):/gm)].map((m) => m[1]);
    expect(keys).toEqual([...EXPECTED_TABLES].sort());
    expect(generated).not.toMatch(/kysely_migration/);
    // CF-4: numeric stays a string, never a JS number
    expect(generated).toContain(
      'export type Numeric = ColumnType<string, number | string, number | string>;',
    );
  });
});
