import { describe, expect, it } from 'vitest';
import { isCheckViolation, isUniqueViolation, pgErrorInfo } from './pg-errors';

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
