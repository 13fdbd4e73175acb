import { describe, expect, it } from 'vitest';
import { staffLoginSchema } from './users.schema';

describe('staffLoginSchema', () => {
  it('trims the email but keeps the password as typed', () => {
    expect(staffLoginSchema.parse({ email: '  Admin@CTEA.local ', password: ' secret ' })).toEqual({
      email: 'Admin@CTEA.local',
      password: ' secret ',
    });
  });

  it('reports message keys per field', () => {
    const result = staffLoginSchema.safeParse({ email: 'nope', password: '' });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path[0], i.message])).toEqual([
      ['email', 'auth.error.emailInvalid'],
      ['password', 'auth.error.passwordRequired'],
    ]);
    const missing = staffLoginSchema.safeParse({});
    expect(missing.error!.issues.map((i) => i.message)).toEqual([
      'auth.error.emailRequired',
      'auth.error.passwordRequired',
    ]);
  });
});
