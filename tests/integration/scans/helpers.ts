import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { action as scansAction } from '../../../app/routes/api.v1.scans';
import type { DB } from '../../../db/types.generated';
import { createCampaign, createCampaignCode, createStore } from '../../factories';
import type { Overrides } from '../../factories/support';
import type { TestDatabase } from '../../setup/test-database';
import { BASE } from '../auth/helpers';

/** Shared fixtures of the scan tests: stores with device keys, codes, events and API calls. */

export function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** A store with a device key (its hash stored, as a rotation leaves it). */
export async function storeWithKey(db: Kysely<DB>, overrides: Overrides<'store'> = {}) {
  const key = crypto.randomBytes(32).toString('base64url');
  const store = await createStore(db, { scan_api_key_hash: sha256Hex(key), ...overrides });
  return { store, key };
}

/** An ACTIVE campaign (yesterday → in 30 days) and one active code of it. */
export async function activeCode(db: Kysely<DB>, campaign: Overrides<'campaign'> = {}) {
  const c = await createCampaign(db, campaign);
  const code = await createCampaignCode(db, { campaign_id: c.id });
  return { campaign: c, code };
}

export interface EventBody {
  client_event_id?: unknown;
  code?: unknown;
  scan_type?: unknown;
  scanned_by?: unknown;
  scanned_at?: unknown;
  order_amount?: unknown;
  [extra: string]: unknown;
}

/** A valid POS event for `code`, scanned a minute ago, without an amount. */
export function scanEvent(code: string, overrides: EventBody = {}): EventBody {
  return {
    client_event_id: crypto.randomUUID(),
    code,
    scan_type: 'POS',
    scanned_by: 'cashier-01',
    scanned_at: new Date(Date.now() - 60_000).toISOString(),
    ...overrides,
  };
}

export interface ApiAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** POST /api/v1/scans through the route module, with a real Request. */
export async function postScans(
  db: Kysely<DB>,
  opts: {
    key?: string | null;
    authorization?: string;
    body: unknown;
    raw?: boolean;
    headers?: Record<string, string>;
  },
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...opts.headers };
  if (opts.authorization !== undefined) headers.Authorization = opts.authorization;
  else if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
  const request = new Request(`${BASE}/api/v1/scans`, {
    method: 'POST',
    headers,
    body: opts.raw ? (opts.body as string) : JSON.stringify(opts.body),
  });
  const response = await scansAction({
    request,
    params: {},
    context: { requestId: 'scan-test', db, clientIp: '127.0.0.1' },
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body, headers: response.headers };
}

export type ResultBody = {
  results: {
    client_event_id: string | null;
    result: string;
    reason?: string;
    scan_id?: number;
  }[];
};

export function results(answer: ApiAnswer): ResultBody['results'] {
  if (answer.status !== 200) {
    throw new Error(`expected 200, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return (answer.body as ResultBody).results;
}

export async function scanRow(testDb: TestDatabase, clientEventId: string) {
  return testDb.db
    .selectFrom('offline_scan_log')
    .select([
      'id',
      'store_id',
      'campaign_code_id',
      'scanned_by',
      'scan_type',
      'scanned_at',
      'order_amount',
      'dup_count',
      'last_dup_at',
      'matched',
      'order_id',
      'match_method',
      'matched_by_user_id',
      'reversed_at',
    ])
    .where('client_event_id', '=', clientEventId)
    .executeTakeFirst();
}

export async function codeCounters(testDb: TestDatabase, codeId: number) {
  return testDb.db
    .selectFrom('campaign_code')
    .select(['scan_count', 'order_count', 'total_gmv'])
    .where('id', '=', codeId)
    .executeTakeFirstOrThrow();
}

export async function countScans(testDb: TestDatabase): Promise<number> {
  const row = await testDb.db
    .selectFrom('offline_scan_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
