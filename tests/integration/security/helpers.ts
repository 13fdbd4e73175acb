/**
 * Shared plumbing of the security suite (issue 8): every route module found from the file list,
 * requests built the way a browser or an attacker would send them, answers read whether the route
 * returned or threw its Response, and a fingerprint of the whole database to prove that a refused
 * request changed nothing.
 */
import type { ActionFunction, LoaderFunction } from '@remix-run/node';
import { sql, type Kysely } from 'kysely';
import { csrfTokenFor } from '../../../app/auth/csrf.server';
import { createMemberSession, createUserSession } from '../../../app/auth/session.server';
import type { DB } from '../../../db/types.generated';
import * as f from '../../factories';
import { createStaff } from '../../factories/staff';
import type { TestDatabase } from '../../setup/test-database';
import { createShop } from '../../support/checkout';

export const BASE = 'http://localhost:3000';
export const EVIL_ORIGIN = 'https://evil.example';

export type RouteModule = { loader?: LoaderFunction; action?: ActionFunction };
const modules = import.meta.glob<RouteModule>('../../../app/routes/*.{ts,tsx}');

/** Every route module of app/routes, by its flat-route name (`manage.$storeId.scans[.]csv`). */
export const ROUTES = Object.entries(modules)
  .map(([file, load]) => ({
    name: file
      .split('/')
      .pop()!
      .replace(/\.(ts|tsx)$/, ''),
    load,
  }))
  .sort((a, b) => a.name.localeCompare(b.name));

/** The `$param` names of a flat-route name. */
export function paramNames(route: string): string[] {
  return [...route.matchAll(/\$([A-Za-z]+)/g)].map((m) => m[1]!);
}

export interface RequestSpec {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path?: string;
  cookie?: string;
  /** `Origin` header; omitted when undefined (a browser that sends none). */
  origin?: string;
  form?: Record<string, string>;
  json?: unknown;
  /** A raw body with its Content-Type. */
  raw?: { body: BodyInit; type: string };
  headers?: Record<string, string>;
}

export function buildRequest(spec: RequestSpec): Request {
  const headers: Record<string, string> = { ...spec.headers };
  if (spec.cookie) headers.Cookie = spec.cookie;
  if (spec.origin !== undefined) headers.Origin = spec.origin;
  let body: BodyInit | undefined;
  if (spec.form) body = new URLSearchParams(spec.form);
  else if (spec.json !== undefined) {
    body = JSON.stringify(spec.json);
    headers['Content-Type'] = 'application/json';
  } else if (spec.raw) {
    body = spec.raw.body;
    headers['Content-Type'] = spec.raw.type;
  }
  const method = spec.method ?? (body === undefined ? 'GET' : 'POST');
  return new Request(`${BASE}${spec.path ?? '/'}`, { method, headers, body });
}

export interface Reply {
  status: number;
  text: string;
  body: unknown;
  location: string | null;
  headers: Headers;
}

async function toReply(result: unknown): Promise<Reply> {
  if (!(result instanceof Response)) {
    // a loader returning plain data is a 200 to the browser
    return { status: 200, text: '', body: result, location: null, headers: new Headers() };
  }
  const text = await result.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return {
    status: result.status,
    text,
    body,
    location: result.headers.get('Location'),
    headers: result.headers,
  };
}

/** The load context the server passes, on this file's database, from `ip`. */
export function contextFor(testDb: TestDatabase, ip = '127.0.0.1') {
  return { requestId: 'security-suite', db: testDb.db, clientIp: ip };
}

/** Calls a loader or action the way Remix does; a thrown Response is an answer like a returned one. */
export async function invoke(
  fn: LoaderFunction | ActionFunction,
  testDb: TestDatabase,
  spec: RequestSpec,
  params: Record<string, string> = {},
  ip?: string,
): Promise<Reply> {
  try {
    return await toReply(
      await fn({ request: buildRequest(spec), params, context: contextFor(testDb, ip) }),
    );
  } catch (err) {
    if (err instanceof Response) return toReply(err);
    throw err;
  }
}

/**
 * Columns that move on their own when a valid session is merely used (the once-a-minute
 * last-seen touch): they are not a change an attack could make.
 */
const VOLATILE_COLUMNS: Record<string, string[]> = {
  'public.session': ['last_seen_at', 'updated_at', 'expires_at'],
};

/**
 * Schemas whose rows are expected to move on a refused request: the rate limiter (ADR 0020, schema
 * `ratelimit`) counts every attempt — refused ones included, that is how a flood is stopped.
 */
const COUNTER_SCHEMAS = ['ratelimit'];

/**
 * Row count and an md5 of the full contents of every table in every application schema (public,
 * the dashboards rollups and any schema a later migration adds; not the counters above). Equal
 * fingerprints mean nothing was inserted, updated or deleted anywhere.
 */
export async function fingerprint(db: Kysely<DB>): Promise<Record<string, string>> {
  const tables = await sql<{ schema: string; name: string; columns: string[] }>`
    select t.table_schema as schema, t.table_name as name,
           array_agg(c.column_name::text order by c.ordinal_position) as columns
    from information_schema.tables t
    join information_schema.columns c
      on c.table_schema = t.table_schema and c.table_name = t.table_name
    where t.table_type = 'BASE TABLE'
      and t.table_schema not in ('pg_catalog', 'information_schema')
      and t.table_schema not like 'pg_toast%'
      and t.table_schema::text <> all(${COUNTER_SCHEMAS}::text[])
    group by t.table_schema, t.table_name
    order by 1, 2`.execute(db);
  const out: Record<string, string> = {};
  for (const t of tables.rows) {
    const key = `${t.schema}.${t.name}`;
    const skip = VOLATILE_COLUMNS[key] ?? [];
    const cols = t.columns.filter((c) => !skip.includes(c));
    const list = sql.join(cols.map((c) => sql.ref(c)));
    const row = await sql<{ n: number; h: string | null }>`
      select count(*)::int as n, md5(string_agg(x::text, E'\n' order by x::text)) as h
      from (select ${list} from ${sql.table(key)}) x`.execute(db);
    out[key] = `${row.rows[0]!.n}:${row.rows[0]!.h ?? '-'}`;
  }
  return out;
}

/** The tables whose fingerprint differs (empty when nothing changed). */
export function changedTables(
  before: Record<string, string>,
  after: Record<string, string>,
): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => before[k] !== after[k]).sort();
}

/** A signed-in principal: its Cookie header value, its CSRF token and its id. */
export interface Principal {
  cookie: string;
  csrf: string;
  id: number;
}

/**
 * Two stores with everything a route can point at: a manager of each, an admin, a customer with an
 * order in A, orders, scans and products in both, and one row of every admin-edited entity, so
 * that every `$param` of every route has a real id to be called with.
 */
export async function buildWorld(testDb: TestDatabase) {
  const db = testDb.db;

  const staffSession = async (userId: number): Promise<Principal> => {
    const s = await createUserSession(db, { userId, ip: '127.0.0.1', userAgent: 'vitest' });
    return { cookie: `ctea_session=${s.token}`, csrf: csrfTokenFor(s.tokenHash), id: userId };
  };
  const memberSession = async (memberId: number): Promise<Principal> => {
    const s = await createMemberSession(db, { memberId, ip: '127.0.0.1', userAgent: 'vitest' });
    return { cookie: `ctea_session=${s.token}`, csrf: csrfTokenFor(s.tokenHash), id: memberId };
  };

  const shopA = await createShop(db);
  const shopB = await createShop(db);
  const storeA = shopA.store;
  const storeB = shopB.store;
  const adminUser = await createStaff(db, { role: 'ADMIN' });
  const managerAUser = await createStaff(db, { role: 'STORE_MANAGER', storeIds: [storeA.id] });
  const managerBUser = await createStaff(db, { role: 'STORE_MANAGER', storeIds: [storeB.id] });
  const member = await f.createMember(db);
  const orderA = await f.createOrder(db, {
    store_id: storeA.id,
    member_id: member.id,
    status: 'CONFIRMED',
    points_used: 35_000,
  });
  const pendingA = await f.createOrder(db, {
    store_id: storeA.id,
    member_id: member.id,
    status: 'PENDING',
  });
  const orderB = await f.createOrder(db, {
    store_id: storeB.id,
    status: 'CONFIRMED',
    points_used: 35_000,
  });
  const campaign = await f.createCampaign(db);
  const influencer = await f.createInfluencer(db);
  const code = await f.createCampaignCode(db, {
    campaign_id: campaign.id,
    influencer_id: influencer.id,
  });
  const scanA = await f.createScan(db, { store_id: storeA.id, campaign_code_id: code.id });
  const scanB = await f.createScan(db, { store_id: storeB.id, campaign_code_id: code.id });
  const template = await f.createCouponTemplate(db, { created_by: adminUser.id });
  const job = await f.createIikoSyncJob(db);

  return {
    shopA,
    shopB,
    storeA,
    storeB,
    member,
    orderA,
    pendingA,
    orderB,
    scanA,
    scanB,
    adminUser,
    managerAUser,
    managerBUser,
    admin: await staffSession(adminUser.id),
    managerA: await staffSession(managerAUser.id),
    managerB: await staffSession(managerBUser.id),
    customer: await memberSession(member.id),
    staffSession,
    memberSession,
    /** Real ids for every `$param` a route name can carry (store A's where it matters). */
    params: {
      storeId: String(storeA.id),
      storeCode: storeA.code,
      productId: String(shopA.cheap.id),
      orderId: String(orderA.id),
      token: pendingA.public_token,
      campaignId: String(campaign.id),
      influencerId: String(influencer.id),
      codeId: String(code.id),
      templateId: String(template.id),
      jobId: String(job.id),
      userId: String(managerBUser.id),
      name: 'missing.png',
    } as Record<string, string>,
  };
}
export type World = Awaited<ReturnType<typeof buildWorld>>;

/** The params object of a route name, from the world's ids. */
export function paramsFor(route: string, world: World, overrides: Record<string, string> = {}) {
  const out: Record<string, string> = {};
  for (const p of paramNames(route)) {
    const value = overrides[p] ?? world.params[p];
    if (value === undefined) throw new Error(`no test id for $${p} of ${route}`);
    out[p] = value;
  }
  return out;
}
