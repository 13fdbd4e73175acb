import type { ActionFunction, LoaderFunction } from '@remix-run/node';
import type { Kysely } from 'kysely';
import { csrfTokenFor } from '../../../app/auth/csrf.server';
import type { DB } from '../../../db/types.generated';
import { createStaff, createStaffSession } from '../../factories/staff';
import type { TestDatabase } from '../../setup/test-database';
import { BASE, contextFor } from '../auth/helpers';

export interface SignedIn {
  id: number;
  cookie: string;
  csrf: string;
}

/** A staff user with a session: the Cookie header value and the session's CSRF token. */
export async function signedIn(
  db: Kysely<DB>,
  options: { role: 'ADMIN' | 'STORE_MANAGER'; storeIds?: number[] },
): Promise<SignedIn> {
  const user = await createStaff(db, options);
  const session = await createStaffSession(db, user.id);
  return { id: user.id, cookie: session.cookie, csrf: csrfTokenFor(session.tokenHash) };
}

/** A POST with the session cookie and its CSRF token (unless `csrf: false`). */
export function formPost(
  path: string,
  who: SignedIn,
  fields: Record<string, string | string[]>,
  options: { csrf?: boolean } = {},
): Request {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  }
  if (options.csrf !== false) body.set('csrf', who.csrf);
  return new Request(`${BASE}${path}`, {
    method: 'POST',
    body,
    headers: { Cookie: who.cookie },
  });
}

export function getAs(path: string, who: SignedIn): Request {
  return new Request(`${BASE}${path}`, { headers: { Cookie: who.cookie } });
}

/** The Response of a loader or action, returned or thrown. */
export async function respond(
  fn: LoaderFunction | ActionFunction,
  request: Request,
  testDb: TestDatabase,
  params: Record<string, string> = {},
): Promise<Response> {
  try {
    const result = await fn({ request, params, context: contextFor(testDb) });
    if (result instanceof Response) return result;
    throw new Error(`expected a Response, got ${JSON.stringify(result)}`);
  } catch (err) {
    if (err instanceof Response) return err;
    throw err;
  }
}

/** A filled-in valid store form; override fields per test. */
export function storeFields(overrides: Record<string, string> = {}): Record<string, string> {
  const fields: Record<string, string> = {
    code: 'KZN-01',
    name_ru: 'Казань Баумана',
    name_zh: '喀山鲍曼街店',
    name_en: '',
    address_ru: 'Казань, ул. Баумана, 10',
    city: 'Казань',
    latitude: '55.7903',
    longitude: '49.1147',
    phone: '+7 (843) 200-00-00',
    timezone: 'Europe/Moscow',
    iiko_terminal_group_id: '',
    pickup_enabled: 'on',
    is_active: 'on',
  };
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri']) {
    fields[`hours.${day}.open`] = '10:00';
    fields[`hours.${day}.close`] = '22:00';
  }
  fields['hours.sat.open'] = '12:00';
  fields['hours.sat.close'] = '02:00';
  fields['hours.sun.closed'] = 'on';
  return { ...fields, ...overrides };
}
