import type { TestDatabase } from '../../setup/test-database';

export const BASE = 'http://localhost:3000';
/** The load context the server passes to loaders and actions, on this file's database. */
export function contextFor(testDb: TestDatabase) {
  return { requestId: 'test-request', db: testDb.db, clientIp: '127.0.0.1' };
}

export function get(path: string, cookie?: string): Request {
  return new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

export function post(
  path: string,
  fields: Record<string, string>,
  init: { cookie?: string; headers?: Record<string, string> } = {},
): Request {
  return new Request(`${BASE}${path}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { ...(init.cookie ? { Cookie: init.cookie } : {}), ...init.headers },
  });
}

/** The Response a guard or loader threw (fails the test when nothing was thrown). */
export async function thrownResponse(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Response) return err;
    throw err;
  }
  throw new Error('expected a thrown Response, but the call resolved');
}

/** `ctea_session=<token>` from a Set-Cookie header, for the next request's Cookie header. */
export function cookieFrom(response: Response): string {
  const header = response.headers.get('Set-Cookie') ?? '';
  const match = /^ctea_session=([^;]*)/.exec(header);
  if (!match) throw new Error(`no ctea_session cookie in ${JSON.stringify(header)}`);
  return `ctea_session=${match[1]}`;
}
