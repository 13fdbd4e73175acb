import { Authenticator } from 'remix-auth';
import { FormStrategy } from 'remix-auth-form';
import type { Db } from '~db/database.server';
import { dummyPasswordHash, verifyPassword } from '~/auth/password.server';
import {
  findLoginCandidate,
  recordFailedLogin,
  recordSuccessfulLogin,
  LOCKOUT_MINUTES,
} from '~/features/users/users.server';
import { staffLoginSchema } from '~/features/users/users.schema';
import { logger } from '~/utils/logger.server';

/**
 * Staff credential check (AU-8) through remix-auth's FormStrategy. remix-auth only answers "who is
 * this"; the app creates the session afterwards (see sign-in.service.server.ts).
 */

export type AuthErrorCode = 'INVALID_CREDENTIALS' | 'ACCOUNT_LOCKED' | 'VALIDATION';

export class AuthError extends Error {
  override name = 'AuthError';
  constructor(
    readonly code: AuthErrorCode,
    /** VALIDATION: message key per field. */
    readonly fields: Partial<Record<'email' | 'password', string>> = {},
    readonly details: { lockoutMinutes?: number } = {},
  ) {
    super(code);
  }
}

export interface AuthenticatedStaff {
  userId: number;
}

export const STAFF_PASSWORD_STRATEGY = 'staff-password';

/**
 * Verifies an email and password. Unknown emails are checked against a dummy hash so the answer
 * takes as long as for a real account, and both get the same INVALID_CREDENTIALS.
 */
export async function verifyStaffCredentials(
  db: Db,
  input: { email: string; password: string },
): Promise<AuthenticatedStaff> {
  const candidate = await findLoginCandidate(db, input.email);
  if (!candidate) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    throw new AuthError('INVALID_CREDENTIALS');
  }
  // the hash is checked even when the answer is already known, to keep timing uniform
  const passwordOk = await verifyPassword(candidate.passwordHash, input.password);

  if (candidate.isLocked) {
    logger.warn(
      { event: 'auth.login_refused_locked', userId: candidate.id },
      'sign-in refused: account locked',
    );
    throw new AuthError('ACCOUNT_LOCKED', {}, { lockoutMinutes: LOCKOUT_MINUTES });
  }
  if (!candidate.isActive) {
    logger.warn(
      { event: 'auth.login_failed', userId: candidate.id, reason: 'inactive' },
      'sign-in failed',
    );
    throw new AuthError('INVALID_CREDENTIALS');
  }
  if (!passwordOk) {
    const counted = await recordFailedLogin(db, candidate.id);
    logger.warn(
      {
        event: 'auth.login_failed',
        userId: candidate.id,
        reason: 'password',
        failedLoginCount: counted?.failedLoginCount,
      },
      'sign-in failed',
    );
    // null: a parallel attempt locked the account between our read and this write
    if (!counted || counted.locked)
      throw new AuthError('ACCOUNT_LOCKED', {}, { lockoutMinutes: LOCKOUT_MINUTES });
    throw new AuthError('INVALID_CREDENTIALS');
  }
  if (!(await recordSuccessfulLogin(db, candidate.id))) {
    logger.warn(
      { event: 'auth.login_refused_locked', userId: candidate.id },
      'sign-in refused: locked meanwhile',
    );
    throw new AuthError('ACCOUNT_LOCKED', {}, { lockoutMinutes: LOCKOUT_MINUTES });
  }
  return { userId: candidate.id };
}

function parseLoginForm(form: FormData): { email: string; password: string } {
  const parsed = staffLoginSchema.safeParse({
    email: form.get('email') ?? undefined,
    password: form.get('password') ?? undefined,
  });
  if (parsed.success) return parsed.data;
  const fields: AuthError['fields'] = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0];
    if ((key === 'email' || key === 'password') && !fields[key]) fields[key] = issue.message;
  }
  throw new AuthError('VALIDATION', fields);
}

/**
 * remix-auth with the staff form strategy, bound to one database (the route's `context.db`), so
 * the credential check and the session it leads to use the same executor.
 */
export function createStaffAuthenticator(db: Db): Authenticator<AuthenticatedStaff> {
  return new Authenticator<AuthenticatedStaff>().use(
    new FormStrategy(async ({ form }) => verifyStaffCredentials(db, parseLoginForm(form))),
    STAFF_PASSWORD_STRATEGY,
  );
}

/**
 * Checks the sign-in form of `request`; returns the user or throws AuthError. This consumes the
 * body: read anything else you need from `request.clone()` first.
 */
export function authenticateStaff(db: Db, request: Request): Promise<AuthenticatedStaff> {
  return createStaffAuthenticator(db).authenticate(STAFF_PASSWORD_STRATEGY, request);
}
