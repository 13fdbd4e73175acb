import crypto from 'node:crypto';
import type pg from 'pg';

/**
 * Kysely sends each query as an unnamed statement, so PostgreSQL parses, analyses and plans it on
 * every execution. For the short statements of a checkout that was about a third of the database
 * server's CPU (perf profile of bench:http, ADR 0025). This names every parameterised statement
 * after a hash of its text on the connection that runs it; node-postgres then sends Parse once per
 * connection and only Bind/Execute afterwards, and PostgreSQL keeps the statement's plan (custom
 * plans for the first five runs, then a generic plan when it is not worse).
 *
 * - At most `max` statements per connection; later texts stay unnamed (dynamic SQL, such as IN
 *   lists of every length, cannot fill a backend's memory).
 * - A statement whose result columns changed under it (a migration added a column to a `select *`
 *   while the process was running) fails once with `cached plan must not change result type`; its
 *   name is then dropped, so the next run prepares it afresh.
 * - Off with DATABASE_PREPARED_STATEMENTS=false, for poolers that do not carry named statements
 *   across server connections (PgBouncer in transaction mode before 1.21).
 */
export const MAX_PREPARED_PER_CONNECTION = 200;

type QueryFn = (...args: unknown[]) => unknown;

export function prepareParameterisedStatements(
  client: pg.ClientBase,
  max: number = MAX_PREPARED_PER_CONNECTION,
): void {
  const names = new Map<string, string>();
  let generation = 0;
  const query = client.query.bind(client) as QueryFn;
  const named = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < max) {
      const hash = crypto.createHash('sha256').update(text).digest('base64url').slice(0, 32);
      name = `k${generation}_${hash}`;
      names.set(text, name);
    }
    return name;
  };
  (client as unknown as { query: QueryFn }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (args.length !== 2 || typeof text !== 'string' || !Array.isArray(values) || !values.length)
      return query(...args);
    const name = named(text);
    if (name === undefined) return query(...args);
    const result = query({ name, text, values }) as Promise<unknown>;
    return result.catch((err: unknown) => {
      if (isStalePlan(err) && names.get(text) === name) {
        names.delete(text);
        generation += 1;
      }
      throw err;
    });
  };
}

function isStalePlan(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { code?: unknown }).code === '0A000' &&
    String((err as { message?: unknown }).message).includes('cached plan must not change')
  );
}
