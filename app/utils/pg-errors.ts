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
