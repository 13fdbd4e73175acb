import type { AppLoadContext } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import type { Db } from '~db/database.server';
import { errorBody } from '~/features/checkout/checkout-errors';
import { csrfTokenFor, requireCsrf } from './csrf.server';
import { getSessionPrincipal } from './session.server';

/**
 * Guards for customer (member) loaders and actions, the counterpart of guards.server.ts for
 * staff. Only a MEMBER session of an active member counts: a staff session never passes
 * `requireMember`, and a member session never passes the staff guards.
 */

export interface MemberPrincipal {
  id: number;
  /** E.164; shown to its owner only, never logged in full. */
  phone: string;
  displayName: string;
  sessionId: number;
  /** Per-session CSRF token (AU-9) for member forms; safe to render, it is not the session token. */
  csrfToken: string;
}

// One lookup per Request: a document request runs several loaders with the same Request object.
const cache = new WeakMap<Request, Promise<MemberPrincipal | null>>();

async function loadMember(request: Request, db: Db): Promise<MemberPrincipal | null> {
  const principal = await getSessionPrincipal(db, request);
  if (!principal || principal.type !== 'MEMBER') return null;
  return {
    id: principal.memberId,
    phone: principal.phone,
    displayName: principal.displayName,
    sessionId: principal.sessionId,
    csrfToken: csrfTokenFor(principal.tokenHash),
  };
}

export function getOptionalMember(
  request: Request,
  context: Pick<AppLoadContext, 'db'>,
): Promise<MemberPrincipal | null> {
  let pending = cache.get(request);
  if (!pending) {
    pending = loadMember(request, context.db);
    cache.set(request, pending);
    pending.catch(() => cache.delete(request));
  }
  return pending;
}

/** `/signin?redirectTo=<path+search>` for the page being requested. */
export function signInRedirectPath(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.delete('_data');
  url.searchParams.delete('index');
  const target = `${url.pathname}${url.search}`;
  return target === '/' ? '/signin' : `/signin?${new URLSearchParams({ redirectTo: target })}`;
}

function isApiRequest(request: Request): boolean {
  const { pathname } = new URL(request.url);
  return pathname === '/api' || pathname.startsWith('/api/');
}

/**
 * The signed-in member, or a thrown Response: `/api/*` gets 401 `UNAUTHENTICATED` JSON; pages
 * (and their form posts) are redirected to sign-in, coming back afterwards.
 */
export async function requireMember(
  request: Request,
  context: Pick<AppLoadContext, 'db'>,
): Promise<MemberPrincipal> {
  const member = await getOptionalMember(request, context);
  if (member) return member;
  if (isApiRequest(request)) throw json(errorBody('UNAUTHENTICATED'), { status: 401 });
  throw redirect(signInRedirectPath(request));
}

/**
 * Throws 403 unless the form's `csrf` field (or the X-CSRF-Token header of a fetch call) carries
 * the member session's token. Call after `requireMember` and before any write.
 */
export function requireMemberCsrf(
  request: Request,
  formData: FormData | null,
  member: Pick<MemberPrincipal, 'csrfToken'>,
): void {
  requireCsrf(request, formData, member);
}
