import { pgErrorInfo, PG } from '~/utils/pg-errors';

/**
 * Runs a transaction again when PostgreSQL rolled it back as a deadlock victim (or, under a
 * stricter isolation level, for a serialization failure): nothing of it was committed, so running
 * it again is safe. Other errors, and the last attempt's, are thrown.
 */
export async function retryOnDeadlock<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      const code = pgErrorInfo(err)?.code;
      const retryable = code === PG.DEADLOCK_DETECTED || code === PG.SERIALIZATION_FAILURE;
      if (!retryable || attempt >= attempts) throw err;
    }
  }
}

/**
 * A database error raised by a statement (bad data, a constraint, a lock conflict), after which
 * the transaction is known to be rolled back. Connection failures are not among them: whether a
 * commit happened is then unknown.
 */
export function isStatementFailure(err: unknown): boolean {
  const code = pgErrorInfo(err)?.code;
  if (!code) return false;
  return ['22', '23', '40'].includes(code.slice(0, 2)) || code === '55P03';
}
