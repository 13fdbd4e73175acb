import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requireCsrf } from '~/auth/csrf.server';
import { getOptionalUser } from '~/auth/guards.server';
import {
  clearSessionCookieHeader,
  clientInfo,
  hashSessionToken,
  readSessionToken,
} from '~/auth/session.server';
import { signOutStaff } from '~/auth/sign-in.service.server';

/** Sign-out is POST only: a GET (link, prefetch, image tag) must never end a session. */
export function loader() {
  return redirect('/');
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await getOptionalUser(request);
  const token = readSessionToken(request);
  if (user && token) {
    requireCsrf(request, await request.formData(), user);
    await signOutStaff(context.db, {
      userId: user.id,
      sessionId: user.sessionId,
      tokenHash: hashSessionToken(token),
      client: clientInfo(request, context),
      requestId: context.requestId,
    });
  }
  // no valid session (expired, revoked): nothing to revoke, but the stale cookie still goes
  return redirect('/login', { headers: { 'Set-Cookie': clearSessionCookieHeader() } });
}
