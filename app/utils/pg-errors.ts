/**
 * Recognising PostgreSQL errors the data layer maps to typed, user-fixable outcomes (a unique
 * violation becomes a 409 conflict next to the field, a CHECK violation a 400). Reads only the
 * fields node-postgres puts on its DatabaseError, so it needs no pg import.
 */
export interface PgErrorInfo {
  code: string;
  constraint?: string;
  table?: string;
  column?: string;
  detail?: string;
}

export const PG = {
  UNIQUE_VIOLATION: '23505',
  FOREIGN_KEY_VIOLATION: '23503',
  CHECK_VIOLATION: '23514',
  NOT_NULL_VIOLATION: '23502',
  EXCLUSION_VIOLATION: '23P01',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
} as const;

export function pgErrorInfo(err: unknown): PgErrorInfo | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as Record<string, unknown>;
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return null;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    code: e.code,
    constraint: str(e.constraint),
    table: str(e.table),
    column: str(e.column),
    detail: str(e.detail),
  };
}

function is(code: string) {
  return (err: unknown, constraint?: string): boolean => {
    const info = pgErrorInfo(err);
    return (
      !!info && info.code === code && (constraint === undefined || info.constraint === constraint)
    );
  };
}

export const isUniqueViolation = is(PG.UNIQUE_VIOLATION);
export const isForeignKeyViolation = is(PG.FOREIGN_KEY_VIOLATION);
export const isCheckViolation = is(PG.CHECK_VIOLATION);

/** Connection-level failures: the database (or the network to it) is down, not the query wrong. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
]);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

/**
 * True when `err` says the database cannot be reached right now (CF-3): SQLSTATE class 08, a
 * terminated or shutting-down server, too many connections, a refused / reset / timed-out socket,
 * or node-postgres's own connection messages. Such a request gets a 503 with Retry-After, not a
 * 500. Looks through `cause` and AggregateError (a refused dual-stack connect).
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') {
    if (e.code.startsWith('08') && /^[0-9A-Z]{5}$/.test(e.code)) return true;
    if (UNAVAILABLE_SQLSTATES.has(e.code) || UNAVAILABLE_NODE_CODES.has(e.code)) return true;
  }
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => e.message === m)) {
    return true;
  }
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) {
    return true;
  }
  return e.cause !== undefined && isDatabaseUnavailable(e.cause, depth + 1);
}
