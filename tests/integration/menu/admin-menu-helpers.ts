import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { csrfTokenFor } from '../../../app/auth/csrf.server';
import { createAdmin, createStaff, createStaffSession } from '../../factories/staff';
import { contextFor, BASE } from '../auth/helpers';
import type { TestDatabase } from '../../setup/test-database';

type Action = (args: ActionFunctionArgs) => Promise<unknown>;
type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

export interface Session {
  cookie: string;
  csrf: string;
  userId: number;
}

export async function adminSession(testDb: TestDatabase): Promise<Session> {
  const admin = await createAdmin(testDb.db);
  const s = await createStaffSession(testDb.db, admin.id);
  return { cookie: s.cookie, csrf: csrfTokenFor(s.tokenHash), userId: admin.id };
}

export async function managerSession(testDb: TestDatabase, storeIds: number[]): Promise<Session> {
  const manager = await createStaff(testDb.db, { role: 'STORE_MANAGER', storeIds });
  const s = await createStaffSession(testDb.db, manager.id);
  return { cookie: s.cookie, csrf: csrfTokenFor(s.tokenHash), userId: manager.id };
}

/** The action's answer as { status, body } whether it returned or threw a Response. */
export async function callAction(
  testDb: TestDatabase,
  action: Action,
  session: Session,
  fields: Record<string, string>,
  opts: { path?: string; params?: Record<string, string>; body?: FormData } = {},
): Promise<{ status: number; body: unknown; location: string | null }> {
  let body: BodyInit;
  if (opts.body) {
    opts.body.set('csrf', session.csrf);
    for (const [k, v] of Object.entries(fields)) opts.body.set(k, v);
    body = opts.body;
  } else {
    body = new URLSearchParams({ csrf: session.csrf, ...fields });
  }
  const request = new Request(`${BASE}${opts.path ?? '/admin/menu'}`, {
    method: 'POST',
    body,
    headers: { Cookie: session.cookie },
  });
  let response: unknown;
  try {
    response = await action({ request, params: opts.params ?? {}, context: contextFor(testDb) });
  } catch (err) {
    if (!(err instanceof Response)) throw err;
    response = err;
  }
  if (!(response instanceof Response)) return { status: 200, body: response, location: null };
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (redirects, plain-text errors)
  }
  return { status: response.status, body: parsed, location: response.headers.get('Location') };
}

export async function callLoader(
  testDb: TestDatabase,
  loader: Loader,
  session: Session,
  path: string,
  params: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const request = new Request(`${BASE}${path}`, { headers: { Cookie: session.cookie } });
  try {
    const response = await loader({ request, params, context: contextFor(testDb) });
    if (response instanceof Response) {
      return { status: response.status, body: await response.json().catch(() => null) };
    }
    return { status: 200, body: response };
  } catch (err) {
    if (err instanceof Response) return { status: err.status, body: null };
    throw err;
  }
}

/** `result.error` of a `{ intent, result }` action answer. */
export function fieldErrors(body: unknown): Record<string, string[] | null> {
  return ((body as { result?: { error?: Record<string, string[] | null> } }).result?.error ??
    {}) as Record<string, string[] | null>;
}
