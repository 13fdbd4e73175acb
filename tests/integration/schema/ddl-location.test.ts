import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * V5: all DDL lives in migrations/. Source files anywhere else must not create, alter or drop
 * tables or indexes (neither as SQL text nor through Kysely's schema builder). Creating and
 * dropping whole databases (tests/setup, scripts/codegen.ts) and db/migrate.ts's
 * `create schema if not exists meta` (the migrator's own bookkeeping) are not table DDL.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const THIS_FILE = path.relative(ROOT, fileURLToPath(import.meta.url));
const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.data',
  '.cache',
  'build',
  'public',
  'migrations',
  'test-results',
  'playwright-report',
  'blob-report',
]);
const SOURCE = /\.(?:[cm]?[jt]sx?|sql|sh|ya?ml)$/;

const FORBIDDEN: [label: string, pattern: RegExp][] = [
  ['CREATE TABLE', /\bcreate\s+(?:(?:global\s+|local\s+)?(?:temp|temporary|unlogged)\s+)?table\b/i],
  ['ALTER TABLE', /\balter\s+table\b/i],
  ['CREATE INDEX', /\bcreate\s+(?:unique\s+)?index\b/i],
  ['DROP TABLE/INDEX', /\bdrop\s+(?:table|index)\b/i],
  [
    'schema builder',
    /\.schema\s*\.\s*(?:createTable|alterTable|dropTable|createIndex|dropIndex)\b/,
  ],
];

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) files.push(...(await sourceFiles(full)));
    } else if (SOURCE.test(entry.name)) {
      files.push(path.relative(ROOT, full));
    }
  }
  return files;
}

describe('V5: one migrations folder', () => {
  it('no table or index DDL outside migrations/', async () => {
    const files = (await sourceFiles(ROOT)).filter((f) => f !== THIS_FILE);
    expect(files.length).toBeGreaterThan(10);
    expect(files).toContain(path.join('db', 'migrate.ts'));
    const offences: string[] = [];
    for (const file of files) {
      const text = await fs.readFile(path.join(ROOT, file), 'utf8');
      for (const [label, pattern] of FORBIDDEN) {
        // statements may span lines, so match the whole text and report the line
        for (const m of text.matchAll(new RegExp(pattern.source, `${pattern.flags}g`))) {
          const line = text.slice(0, m.index).split('\n').length;
          offences.push(`${file}:${line} ${label}: ${m[0].replace(/\s+/g, ' ')}`);
        }
      }
    }
    expect(offences).toEqual([]);
  });

  it('the migrations folder holds only timestamp-prefixed migration modules', async () => {
    const entries = await fs.readdir(path.join(ROOT, 'migrations'));
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(entry).toMatch(/^\d{10}_[a-z0-9_]+\.ts$/);
  });
});
