import { describe, expect, it } from 'vitest';
import {
  isCheckViolation,
  isDatabaseUnavailable,
  isUniqueViolation,
  pgErrorInfo,
} from './pg-errors';

describe('pg error recognition', () => {
  const unique = Object.assign(new Error('dup'), {
    code: '23505',
    constraint: 'store_code_unique',
  });

  it('reads code and constraint', () => {
    expect(pgErrorInfo(unique)).toMatchObject({ code: '23505', constraint: 'store_code_unique' });
    expect(pgErrorInfo(new Error('plain'))).toBeNull();
    expect(pgErrorInfo(Object.assign(new Error('net'), { code: 'ECONNREFUSED' }))).toBeNull();
  });

  it('matches by code and optionally by constraint name', () => {
    expect(isUniqueViolation(unique)).toBe(true);
    expect(isUniqueViolation(unique, 'store_code_unique')).toBe(true);
    expect(isUniqueViolation(unique, 'other')).toBe(false);
    expect(isCheckViolation(unique)).toBe(false);
  });
});

describe('database unavailable', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it('recognises connection exceptions, shutdowns and too many connections', () => {
    for (const code of ['08000', '08003', '08006', '08001', '08004', '08P01']) {
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    }
    for (const code of ['57P01', '57P02', '57P03', '53300']) {
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    }
  });

  it('recognises refused, reset and timed-out sockets, also inside an AggregateError', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']) {
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    }
    const dualStack = new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]);
    expect(isDatabaseUnavailable(Object.assign(dualStack, { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED')]))).toBe(true);
  });

  it("recognises node-postgres's connection messages and a wrapped cause", () => {
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
      'Client has encountered a connection error and is not queryable',
    ]) {
      expect(isDatabaseUnavailable(new Error(message)), message).toBe(true);
    }
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: withCode('57P01') }))).toBe(true);
  });

  it('leaves query errors, application errors and non-errors alone', () => {
    for (const code of ['23505', '23514', '40001', '40P01', '42P01', '22P02', '57014', 'ENOENT']) {
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(false);
    }
    expect(isDatabaseUnavailable(new Error('Connection terminated'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('something about ECONNREFUSED'))).toBe(false);
    expect(isDatabaseUnavailable(new Response(null, { status: 503 }))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});
