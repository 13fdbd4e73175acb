import type { Kysely } from 'kysely';
import type { DB } from '../../../db/types.generated';
import { buildFakeIikoSeed } from '../../../scripts/fakes/iiko/catalog';
import { DEFAULT_API_LOGIN } from '../../../scripts/fakes/iiko/server';
import { spawnFake, type RunningFake } from '../../../scripts/fakes/spawn';
import { createIikoClient, type IikoClient } from '~/integrations/iiko/iiko-client.server';

/** The fake iiko's seeded data, computed the same way the fake computes it. */
export const SEED = buildFakeIikoSeed();
export const ORG_ID = SEED.organizationId;
export const DISHES = SEED.products.filter((p) => p.type === 'dish' && !p.isDeleted);
export const MODIFIERS = SEED.products.filter((p) => p.type === 'modifier');

export interface FakeIikoState {
  organizationId: string;
  revision: number;
  tokensIssued: number;
  liveTokens: number;
  inFlight: number;
  orders: {
    id: string;
    terminalGroupId: string | null;
    reads: number;
    error: string | null;
    body: Record<string, unknown>;
  }[];
  requests: { path: string; status: number; timeout_header: string | null }[];
}

function controlApi(url: string) {
  const post = async (path: string, body: unknown = {}) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  return {
    state: async () => (await (await fetch(`${url}/__control/state`)).json()) as FakeIikoState,
    reset: () => post('/__control/reset'),
    fault: (f: { path?: string; status?: number; delay_ms?: number; count?: number }) =>
      post('/__control/faults', f),
    expireTokens: () => post('/__control/expire-tokens'),
    orderError: (code: string, options: { sync?: boolean; count?: number } = {}) =>
      post('/__control/order-errors', { code, ...options }),
    creation: (inProgressReads: number) =>
      post('/__control/creation', { in_progress_reads: inProgressReads }),
    product: (p: {
      id: string;
      name?: string;
      price?: number | null;
      isDeleted?: boolean;
      code?: string;
      groupId?: string | null;
      type?: string;
    }) => post('/__control/products', p),
    revision: (revision: number) => post('/__control/revision', { revision }),
    stopList: (terminalGroupId: string, items: { productId: string; balance: number }[]) =>
      post('/__control/stop-list', { terminalGroupId, items }),
  };
}

export interface FakeIiko {
  fake: RunningFake;
  url: string;
  control: ReturnType<typeof controlApi>;
  client: (options?: { timeoutMs?: number }) => IikoClient;
  stop(): Promise<void>;
}

export async function startFakeIiko(): Promise<FakeIiko> {
  const fake = await spawnFake('iiko');
  return {
    fake,
    url: fake.url,
    control: controlApi(fake.url),
    client: ({ timeoutMs = 5_000 } = {}) =>
      createIikoClient({
        baseUrl: fake.url,
        apiLogin: DEFAULT_API_LOGIN,
        organizationId: ORG_ID,
        timeoutMs,
      }),
    stop: () => fake.stop(),
  };
}

/** Points the app's environment (getOptionalIikoClient) at the fake. */
export async function useFakeIikoEnv(url: string) {
  process.env.IIKO_API_BASE_URL = url;
  process.env.IIKO_API_LOGIN = DEFAULT_API_LOGIN;
  process.env.IIKO_ORGANIZATION_ID = ORG_ID;
  const { resetEnvCache } = await import('~/utils/env.server');
  resetEnvCache();
}

export async function setSetting(db: Kysely<DB>, key: string, value: unknown) {
  await db
    .insertInto('app_setting')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
    .execute();
}

export function productByIikoId(db: Kysely<DB>, iikoId: string) {
  return db
    .selectFrom('product')
    .select([
      'id',
      'sku',
      'name_ru',
      'name_en',
      'base_price',
      'is_active',
      'is_manual_override',
      'iiko_price',
      'iiko_name',
      'iiko_last_sync_at',
      'category_id',
    ])
    .where('iiko_product_id', '=', iikoId)
    .executeTakeFirst();
}
