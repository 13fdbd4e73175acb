import { sql, type RawBuilder } from 'kysely';

/**
 * Case-insensitive "contains" search for list pages. Clusters may run with the C locale (byte
 * order, case folding for ASCII only), so plain ILIKE would not match «кремль» to «Кремль»; the
 * ICU root collation gives Unicode case folding on any PostgreSQL built with ICU. `%` and `_`
 * typed by a user are matched literally.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function textMatches(columns: readonly string[], query: string): RawBuilder<boolean> {
  const pattern = `%${escapeLike(query)}%`;
  const parts = columns.map((c) => sql`(${sql.ref(c)} collate "und-x-icu") ilike ${pattern}`);
  return sql<boolean>`(${sql.join(parts, sql` or `)})`;
}
