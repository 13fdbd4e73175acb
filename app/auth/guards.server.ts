import { redirect } from '@remix-run/node';
import { getDb } from '~db/database.server';
import type { Lang } from '~/i18n/languages';
import { storeExists } from '~/features/users/users.server';
import { csrfTokenFor } from './csrf.server';
import { can, type Permission, type StaffRole } from './permissions';
import { getSessionPrincipal } from './session.server';

/**
 * Guards for loaders and actions. Each one is called by every loader and action that needs it (a
 * parent layout's loader does not protect its children) and throws a Response the error boundary
 * renders: a redirect to /login, 401, 403 or 404, never a 500.
 */

export interface StaffUser {
  id: number;
  email: string;
  displayName: string;
  role: StaffRole;
  language: Lang;
  /** null when the user never chose a language (the cookie and Accept-Language decide then). */
  savedLanguage: Lang | null;
  /** From store_staff; empty for ADMIN, who reaches every store. */
  storeIds: number[];
  sessionId: number;
  /** Per-session token for back-office forms (AU-9), rendered by <CsrfInput />. Safe to send to
   *  the browser (the root loader does); the object deliberately holds no session token or hash. */
  csrfToken: string;
}

// One lookup per Request: a document request runs several loaders with the same Request object.
const cache = new WeakMap<Request, Promise<StaffUser | null>>();

async function loadStaffUser(request: Request): Promise<StaffUser | null> {
  const db = getDb();
  const principal = await getSessionPrincipal(db, request);
  if (!principal || principal.type !== 'USER') return null;
  if (!principal.profile) return null;
  return {
    ...principal.profile,
    sessionId: principal.sessionId,
    csrfToken: csrfTokenFor(principal.tokenHash),
  };
}

export function getOptionalUser(request: Request): Promise<StaffUser | null> {
  let pending = cache.get(request);
  if (!pending) {
    pending = loadStaffUser(request);
    cache.set(request, pending);
    pending.catch(() => cache.delete(request));
  }
  return pending;
}

/** `/login?redirectTo=<path+search>` for the page being requested. */
export function loginRedirectPath(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.delete('_data');
  url.searchParams.delete('index');
  const target = `${url.pathname}${url.search}`;
  return target === '/' ? '/login' : `/login?${new URLSearchParams({ redirectTo: target })}`;
}

export async function requireUser(request: Request): Promise<StaffUser> {
  const user = await getOptionalUser(request);
  if (user) return user;
  if (request.method === 'GET' || request.method === 'HEAD')
    throw redirect(loginRedirectPath(request));
  throw new Response('Unauthorized', { status: 401, statusText: 'Unauthorized' });
}

function forbidden(): Response {
  return new Response('Forbidden', { status: 403, statusText: 'Forbidden' });
}

function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' });
}

export async function requireRole(request: Request, role: StaffRole): Promise<StaffUser> {
  const user = await requireUser(request);
  if (user.role !== role) throw forbidden();
  return user;
}

/**
 * For permissions with OWN_STORES scope this only says the role may use the capability; routes
 * under /manage/$storeId also call `requireStoreAccess`, and queries carry the store scope.
 */
export async function requirePermission(
  request: Request,
  permission: Permission,
): Promise<StaffUser> {
  const user = await requireUser(request);
  if (!can(user.role, permission)) throw forbidden();
  return user;
}

const POSITIVE_INT = /^[1-9][0-9]{0,9}$/;

/** The store id of a route param, or null when it is not a positive 32-bit integer. */
export function parseStoreId(param: string | undefined): number | null {
  if (param === undefined || !POSITIVE_INT.test(param)) return null;
  const id = Number(param);
  return id <= 2_147_483_647 ? id : null;
}

/**
 * `/manage/$storeId` access: a malformed id is 404; ADMIN may open any existing store (unknown →
 * 404); a STORE_MANAGER only their store_staff stores, anything else is 403 (existence of other
 * stores is not revealed).
 */
export async function requireStoreAccess(
  request: Request,
  storeIdParam: string | undefined,
): Promise<{ user: StaffUser; storeId: number }> {
  const user = await requireUser(request);
  const storeId = parseStoreId(storeIdParam);
  if (storeId === null) throw notFound();
  if (user.role === 'ADMIN') {
    if (!(await storeExists(getDb(), storeId))) throw notFound();
    return { user, storeId };
  }
  if (!user.storeIds.includes(storeId)) throw forbidden();
  return { user, storeId };
}
