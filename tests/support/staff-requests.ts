/**
 * Calling loaders and actions the way the server does, as a signed-in staff member, for the
 * back-office integration tests.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { csrfTokenFor } from '../../app/auth/csrf.server';
import { createAdmin, createStaff, createStaffSession } from '../factories/staff';
import type { TestDatabase } from '../setup/test-database';
import { BASE, contextFor } from '../integration/auth/helpers';

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

export interface Answer {
  status: number;
  body: unknown;
  text: string;
  location: string | null;
  headers: Headers;
}

async function answer(response: unknown): Promise<Answer> {
  if (!(response instanceof Response)) {
    return { status: 200, body: response, text: '', location: null, headers: new Headers() };
  }
  // keep a leading byte-order mark (Response.text() would strip it; the CSV export sends one)
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (redirects, CSV, plain-text errors)
  }
  return {
    status: response.status,
    body,
    text,
    location: response.headers.get('Location'),
    headers: response.headers,
  };
}

/**
 * Calls an action with a real POST Request as a signed-in staff member (with the session's CSRF
 * token unless `csrf: false`); returned and thrown Responses both come back as an Answer.
 */
export async function callAction(
  testDb: TestDatabase,
  action: Action,
  session: Session,
  fields: Record<string, string>,
  opts: { path?: string; params?: Record<string, string>; csrf?: boolean; body?: FormData } = {},
): Promise<Answer> {
  const withCsrf = opts.csrf === false ? fields : { csrf: session.csrf, ...fields };
  let body: BodyInit;
  if (opts.body) {
    // multipart (uploads): the given FormData plus the plain fields
    for (const [k, v] of Object.entries(withCsrf)) opts.body.set(k, v);
    body = opts.body;
  } else {
    body = new URLSearchParams(withCsrf);
  }
  const request = new Request(`${BASE}${opts.path ?? '/admin'}`, {
    method: 'POST',
    body,
    headers: { Cookie: session.cookie },
  });
  try {
    return await answer(
      await action({ request, params: opts.params ?? {}, context: contextFor(testDb) }),
    );
  } catch (err) {
    if (err instanceof Response) return answer(err);
    throw err;
  }
}

export async function callLoader(
  testDb: TestDatabase,
  loader: Loader,
  session: Session,
  path: string,
  params: Record<string, string> = {},
): Promise<Answer> {
  const request = new Request(`${BASE}${path}`, { headers: { Cookie: session.cookie } });
  try {
    return await answer(await loader({ request, params, context: contextFor(testDb) }));
  } catch (err) {
    if (err instanceof Response) return answer(err);
    throw err;
  }
}

/** Field errors of a conform reply, wherever the action put it. */
export function fieldErrors(body: unknown): Record<string, string[] | null> {
  const b = body as { result?: { error?: unknown }; error?: unknown };
  const error = (b.result && typeof b.result === 'object' ? b.result.error : b.error) ?? {};
  return error as Record<string, string[] | null>;
}

export async function auditRows(testDb: TestDatabase, entityType: string, entityId: number) {
  return testDb.db
    .selectFrom('audit_log')
    .select(['action', 'before', 'after', 'actor_user_id'])
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(entityId))
    .orderBy('id')
    .execute();
}
