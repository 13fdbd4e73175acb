import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { getOptionalUser } from '~/auth/guards.server';
import { getOptionalMember, requireMemberCsrf } from '~/auth/member.server';
import {
  clearSessionCookieHeader,
  clientInfo,
  hashSessionToken,
  readSessionToken,
} from '~/auth/session.server';
import { signOutMember } from '~/features/phone-auth/phone-auth.service.server';

/** Customer sign-out is POST only: a GET (link, prefetch, image tag) must never end a session. */
export function loader() {
  return redirect('/');
}

export async function action({ request, context }: ActionFunctionArgs) {
  const member = await getOptionalMember(request, context);
  const token = readSessionToken(request);
  if (member && token) {
    requireMemberCsrf(request, await request.formData(), member);
    await signOutMember(context.db, {
      memberId: member.id,
      sessionId: member.sessionId,
      tokenHash: hashSessionToken(token),
      ip: clientInfo(request, context).ip,
      requestId: context.requestId,
    });
  } else if (await getOptionalUser(request)) {
    // a staff session is signed out at /logout (with its own CSRF check), never from here
    return redirect('/');
  }
  // no valid session (expired, revoked): nothing to revoke, but the stale cookie still goes
  return redirect('/', { headers: { 'Set-Cookie': clearSessionCookieHeader() } });
}
