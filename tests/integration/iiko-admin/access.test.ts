import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemberSession } from '~/auth/session.server';
import * as conflictsRoute from '../../../app/routes/admin.iiko.conflicts';
import * as importRoute from '../../../app/routes/admin.iiko.import';
import * as listRoute from '../../../app/routes/admin.iiko._index';
import * as jobRoute from '../../../app/routes/admin.iiko.jobs.$jobId';
import * as layoutRoute from '../../../app/routes/admin.iiko';
import { createIikoSyncJob, createMember, createProduct, createStore } from '../../factories';
import { createTestDatabase, useAppDatabase, type TestDatabase } from '../../setup/test-database';
import { BASE, contextFor } from '../auth/helpers';
import { managerSession, type Session } from '../../support/staff-requests';

/**
 * iiko jobs and conflicts are ADMIN only (RB-1): every loader and action of /admin/iiko/* refuses
 * a store manager (403, even with a valid CSRF token), a signed-in customer and an anonymous
 * caller (sign-in redirect for pages, 401 for writes), and nothing changes in the database.
 */

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;

let testDb: TestDatabase;
let manager: Session;
let memberCookie: string;
let failedJobId: number;
let productId: number;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await useAppDatabase(testDb);
  const store = await createStore(testDb.db, { iiko_terminal_group_id: crypto.randomUUID() });
  manager = await managerSession(testDb, [store.id]);
  const member = await createMember(testDb.db);
  memberCookie = `ctea_session=${(await createMemberSession(testDb.db, { memberId: member.id })).token}`;
  failedJobId = (
    await createIikoSyncJob(testDb.db, { status: 'FAILED', attempt_count: 4, last_error: 'x' })
  ).id;
  productId = (
    await createProduct(testDb.db, {
      base_price: '300.00',
      is_manual_override: true,
      iiko_price: '320.00',
    })
  ).id;
});

afterAll(async () => {
  const { closeDb } = await import('../../../db/database.server');
  await closeDb();
  await testDb?.destroy();
});

async function status(call: () => Promise<unknown>): Promise<number> {
  try {
    const result = await call();
    return result instanceof Response ? result.status : 200;
  } catch (err) {
    if (err instanceof Response) return err.status;
    throw err;
  }
}

const loaders = (): [string, Loader, string, Record<string, string>][] => [
  ['layout', layoutRoute.loader, '/admin/iiko', {}],
  ['jobs list', listRoute.loader, '/admin/iiko?status=FAILED', {}],
  ['job', jobRoute.loader, `/admin/iiko/jobs/${failedJobId}`, { jobId: String(failedJobId) }],
  ['import', importRoute.loader, '/admin/iiko/import', {}],
  ['conflicts', conflictsRoute.loader, '/admin/iiko/conflicts', {}],
];

const actions = (): [string, Action, string, Record<string, string>, Record<string, string>][] => [
  [
    'retry',
    jobRoute.action,
    `/admin/iiko/jobs/${failedJobId}`,
    { jobId: String(failedJobId) },
    { intent: 'retry' },
  ],
  [
    'run now',
    jobRoute.action,
    `/admin/iiko/jobs/${failedJobId}`,
    { jobId: String(failedJobId) },
    { intent: 'run-now' },
  ],
  ['import now', importRoute.action, '/admin/iiko/import', {}, { intent: 'import-menu' }],
  ['stop lists now', importRoute.action, '/admin/iiko/import', {}, { intent: 'stop-lists' }],
  [
    'accept iiko values',
    conflictsRoute.action,
    '/admin/iiko/conflicts',
    {},
    { intent: 'accept-iiko', product_id: String(productId) },
  ],
];

async function snapshot() {
  const jobs = await testDb.db
    .selectFrom('iiko_sync_job')
    .select(['id', 'status', 'attempt_count'])
    .orderBy('id')
    .execute();
  const product = await testDb.db
    .selectFrom('product')
    .select(['base_price', 'is_manual_override'])
    .where('id', '=', productId)
    .executeTakeFirstOrThrow();
  const audit = await testDb.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return { jobs, product, audit: audit.n };
}

const callers = () => [
  { who: 'store manager', cookie: manager.cookie, csrf: manager.csrf, page: 403, write: 403 },
  { who: 'member', cookie: memberCookie, csrf: 'x', page: 302, write: 401 },
  { who: 'anonymous', cookie: null, csrf: 'x', page: 302, write: 401 },
];

describe('/admin/iiko access', () => {
  it('refuses every loader to a store manager, a member and an anonymous caller', async () => {
    for (const caller of callers()) {
      for (const [name, loader, path, params] of loaders()) {
        const request = new Request(`${BASE}${path}`, {
          headers: caller.cookie ? { Cookie: caller.cookie } : {},
        });
        const got = await status(() => loader({ request, params, context: contextFor(testDb) }));
        expect(got, `${caller.who}: ${name} loader`).toBe(caller.page);
      }
    }
  });

  it('refuses every action to them, and nothing changes', async () => {
    const before = await snapshot();
    for (const caller of callers()) {
      for (const [name, action, path, params, fields] of actions()) {
        const request = new Request(`${BASE}${path}`, {
          method: 'POST',
          body: new URLSearchParams({ csrf: caller.csrf, ...fields }),
          headers: caller.cookie ? { Cookie: caller.cookie } : {},
        });
        const got = await status(() => action({ request, params, context: contextFor(testDb) }));
        expect(got, `${caller.who}: ${name}`).toBe(caller.write);
      }
    }
    expect(await snapshot()).toEqual(before);
  });
});
