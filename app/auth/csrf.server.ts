import crypto from 'node:crypto';
import { getEnv } from '~/utils/env.server';

/**
 * Per-session CSRF token (AU-9): HMAC-SHA256(SESSION_SECRET, session token hash). It needs no
 * storage, changes with every sign-in, and cannot be derived from anything a page exposes.
 * SameSite=Lax already blocks most cross-site posts; this is the second lock for back-office
 * mutations.
 */

export const CSRF_FIELD = 'csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

export function csrfTokenFor(sessionTokenHash: string): string {
  return crypto
    .createHmac('sha256', getEnv().SESSION_SECRET)
    .update(`csrf:${sessionTokenHash}`)
    .digest('base64url');
}

function constantTimeEqual(a: string, b: string): boolean {
  // hashing first gives equal lengths, so timingSafeEqual never throws nor leaks the length
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

export function isValidCsrf(submitted: unknown, user: { csrfToken: string }): boolean {
  return (
    typeof submitted === 'string' &&
    submitted.length > 0 &&
    constantTimeEqual(submitted, user.csrfToken)
  );
}

/**
 * Throws 403 unless the request comes from our own origin (when the browser says where it comes
 * from) and the form's `csrf` field (or, for fetch-based JSON calls, the X-CSRF-Token header)
 * carries the session's token. Two locks: the origin check stops a cross-site post even if a token
 * leaked, the token stops one from a browser that sends no Origin. Call after `requireUser` (or
 * `requireMember`) and before any write.
 */
export function requireCsrf(
  request: Request,
  formData: FormData | null,
  user: { csrfToken: string },
): void {
  const submitted = formData?.get(CSRF_FIELD) ?? request.headers.get(CSRF_HEADER);
  if (!isSameOriginRequest(request) || !isValidCsrf(submitted, user)) {
    throw new Response('Invalid CSRF token', { status: 403, statusText: 'Forbidden' });
  }
}

/**
 * For unauthenticated form posts (sign-in): a browser that sends Origin must send ours. Stops
 * cross-site login forms from planting a session (login CSRF). Requests without Origin pass.
 */
export function isSameOriginRequest(request: Request): boolean {
  const origin = request.headers.get('Origin');
  if (!origin || origin === 'null') return origin === null;
  try {
    // host only: behind a TLS-terminating proxy the request URL may say http while Origin says https
    return new URL(origin).host === new URL(request.url).host;
  } catch {
    return false;
  }
}
