import type { z } from 'zod';
import { getEnv, type Env } from '~/utils/env.server';
import { logger } from '~/utils/logger.server';
import { sanitize } from '~/utils/sanitize';
import {
  accessTokenSchema,
  commandStatusSchema,
  createDeliverySchema,
  deliveriesByIdSchema,
  errorSchema,
  isAliveSchema,
  nomenclatureSchema,
  organizationsSchema,
  stopListsSchema,
  terminalGroupsSchema,
  type IikoCommandStatus,
  type IikoDeliveryOrder,
  type IikoIsAlive,
  type IikoNomenclature,
  type IikoOrderInfo,
  type IikoOrganizations,
  type IikoStopLists,
  type IikoTerminalGroups,
} from './iiko-types.server';

export type * from './iiko-types.server';

/**
 * HTTP client of iikoCloud (IK-1): a token from `POST /api/1/access_token {apiLogin}` cached per
 * process for 55 minutes (iiko's last one hour) and fetched again once when a call answers 401;
 * the `Timeout: 15` header iiko honours on its side, and our own per-call timeout (20 s) above it.
 * One code path everywhere: iikoCloud in production, the local fake (scripts/fakes/iiko) in
 * development and tests.
 *
 * Every method resolves to the validated body plus a description of the exchange (sanitized
 * summaries for `iiko_sync_log`), or throws `IikoError`, classified as IK-4 describes: network
 * errors, timeouts, 408, 429 and 5xx are retryable; 400/401/403/404/410, iiko's business errors
 * and unreadable bodies are not.
 */

export interface IikoClientConfig {
  /** e.g. `https://api-ru.iiko.services` (a trailing slash is fine). */
  baseUrl: string;
  apiLogin: string;
  /** Our one organisation (IIKO_ORGANIZATION_ID). */
  organizationId: string;
  /** Client-side limit per HTTP request (IK-1: 20 s). */
  timeoutMs?: number;
  /** Sent as the `Timeout` header: how long iiko itself may take (IK-1: 15 s). */
  serverTimeoutSeconds?: number;
  /** How long a token is reused (IK-1: 55 min). */
  tokenTtlMs?: number;
}

export interface CallOptions {
  /** The job's signal: an aborted job stops its HTTP call at once. */
  signal?: AbortSignal;
}

/** One HTTP exchange, for the attempt's log row. Summaries are already sanitized. */
export interface IikoExchange {
  operation: string;
  httpStatus: number | null;
  correlationId: string | null;
  requestSummary: string;
  responseSummary: string | null;
}

export interface IikoResponse<T> {
  data: T;
  exchange: IikoExchange;
}

export type IikoErrorKind = 'network' | 'timeout' | 'aborted' | 'http' | 'invalid_response';

export class IikoError extends Error {
  constructor(
    readonly kind: IikoErrorKind,
    /** iiko's `error` code when it sent one, else `HTTP_<status>`, `NETWORK`, `TIMEOUT`, … */
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly exchange: IikoExchange,
  ) {
    super(message);
    this.name = 'IikoError';
  }

  get httpStatus(): number | null {
    return this.exchange.httpStatus;
  }
}

/** IK-4: what may succeed when tried again later. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export interface IikoClient {
  readonly organizationId: string;
  organizations(options?: CallOptions): Promise<IikoResponse<IikoOrganizations>>;
  terminalGroups(
    input?: { includeDisabled?: boolean },
    options?: CallOptions,
  ): Promise<IikoResponse<IikoTerminalGroups>>;
  terminalGroupsAlive(
    terminalGroupIds: string[],
    options?: CallOptions,
  ): Promise<IikoResponse<IikoIsAlive>>;
  nomenclature(
    startRevision: number,
    options?: CallOptions,
  ): Promise<IikoResponse<IikoNomenclature>>;
  stopLists(
    terminalGroupIds: string[],
    options?: CallOptions,
  ): Promise<IikoResponse<IikoStopLists>>;
  createDelivery(
    input: { terminalGroupId: string; order: IikoDeliveryOrder },
    options?: CallOptions,
  ): Promise<IikoResponse<{ orderInfo: IikoOrderInfo }>>;
  deliveriesById(orderIds: string[], options?: CallOptions): Promise<IikoResponse<IikoOrderInfo[]>>;
  commandStatus(
    correlationId: string,
    options?: CallOptions,
  ): Promise<IikoResponse<IikoCommandStatus>>;
}

// --- token cache (per process) ------------------------------------------------------------------

interface CachedToken {
  token: string;
  expiresAt: number;
}
const tokens = new Map<string, CachedToken>();
const inflight = new Map<string, Promise<string>>();

/** Forgets every cached token (tests; a rotated apiLogin is a new cache key anyway). */
export function clearIikoTokenCache(): void {
  tokens.clear();
  inflight.clear();
}

// --- summaries ----------------------------------------------------------------------------------

const MAX_SUMMARY = 5000;
const MAX_ARRAY_IN_SUMMARY = 10;

/** Long arrays become `"[N items]"` so a nomenclature or stop list stays a readable summary. */
function compact(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) {
    if (value.length > MAX_ARRAY_IN_SUMMARY || depth > 4) return `[${value.length} items]`;
    return value.map((v) => compact(v, depth + 1));
  }
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v, depth + 1)]));
}

/** Credentials (the token, `apiLogin`) and phones masked, then cut to 5000 characters. */
export function summarize(prefix: string, body: unknown): string {
  const masked = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(masked);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        k,
        /login/i.test(k) && x != null ? '[REDACTED]' : masked(x),
      ]),
    );
  };
  const text = `${prefix}${body === undefined ? '' : ` ${JSON.stringify(sanitize(masked(compact(body))))}`}`;
  return text.length > MAX_SUMMARY ? text.slice(0, MAX_SUMMARY) : text;
}

// --- client -------------------------------------------------------------------------------------

type Schema<T> = z.ZodType<T>;

export function createIikoClient({
  baseUrl,
  apiLogin,
  organizationId,
  timeoutMs = 20_000,
  serverTimeoutSeconds = 15,
  tokenTtlMs = 55 * 60_000,
}: IikoClientConfig): IikoClient {
  const root = baseUrl.replace(/\/+$/, '');
  const cacheKey = `${root}\n${apiLogin}`;

  async function send(
    path: string,
    body: unknown,
    token: string | null,
    signal: AbortSignal | undefined,
  ): Promise<
    | { ok: true; status: number; json: unknown }
    | { ok: false; kind: 'network' | 'timeout' | 'aborted'; message: string }
  > {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(`${root}${path}`, {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          Timeout: String(serverTimeoutSeconds),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
      let json: unknown;
      try {
        json = await response.json();
      } catch {
        json = undefined;
      }
      return { ok: true, status: response.status, json };
    } catch (err) {
      if (signal?.aborted) return { ok: false, kind: 'aborted', message: 'the job was stopped' };
      if (timeout.aborted)
        return {
          ok: false,
          kind: 'timeout',
          message: `no answer from iiko within ${timeoutMs} ms`,
        };
      const message = err instanceof Error ? `${err.message}` : String(err);
      return { ok: false, kind: 'network', message: `network error: ${message}` };
    }
  }

  function failure(
    operation: string,
    requestSummary: string,
    status: number | null,
    json: unknown,
  ): IikoError {
    const parsed = errorSchema.safeParse(json);
    const correlationId = parsed.success ? (parsed.data.correlationId ?? null) : null;
    const exchange: IikoExchange = {
      operation,
      httpStatus: status,
      correlationId,
      requestSummary,
      responseSummary: json === undefined ? null : summarize('', json),
    };
    const iikoCode = parsed.success ? parsed.data.error : null;
    const description = (parsed.success ? parsed.data.errorDescription : null) ?? '';
    const code = iikoCode || `HTTP_${status}`;
    const retryable = status !== null && isRetryableStatus(status);
    logger.warn(
      { event: 'iiko.call_failed', operation, http_status_code: status, error_code: code },
      description || 'iiko refused the request',
    );
    return new IikoError(
      'http',
      code,
      `iiko answered ${status}${description ? `: ${description}` : ''}`,
      retryable,
      exchange,
    );
  }

  async function fetchToken(signal: AbortSignal | undefined): Promise<string> {
    const operation = 'POST /api/1/access_token';
    const body = { apiLogin };
    const requestSummary = summarize(operation, body);
    const result = await send('/api/1/access_token', body, null, signal);
    if (!result.ok) {
      throw new IikoError(result.kind, result.kind.toUpperCase(), result.message, true, {
        operation,
        httpStatus: null,
        correlationId: null,
        requestSummary,
        responseSummary: null,
      });
    }
    if (result.status !== 200) throw failure(operation, requestSummary, result.status, result.json);
    const parsed = accessTokenSchema.safeParse(result.json);
    if (!parsed.success)
      throw new IikoError(
        'invalid_response',
        'INVALID_RESPONSE',
        'unreadable token answer',
        false,
        {
          operation,
          httpStatus: result.status,
          correlationId: null,
          requestSummary,
          responseSummary: null,
        },
      );
    tokens.set(cacheKey, { token: parsed.data.token, expiresAt: Date.now() + tokenTtlMs });
    return parsed.data.token;
  }

  async function getToken(signal: AbortSignal | undefined, stale: string | null): Promise<string> {
    const cached = tokens.get(cacheKey);
    if (cached && cached.token !== stale && cached.expiresAt > Date.now()) return cached.token;
    if (cached?.token === stale) tokens.delete(cacheKey);
    // concurrent callers of one process share one token request
    let pending = inflight.get(cacheKey);
    if (!pending) {
      pending = fetchToken(signal).finally(() => inflight.delete(cacheKey));
      inflight.set(cacheKey, pending);
    }
    return pending;
  }

  async function call<T>(
    path: string,
    body: unknown,
    schema: Schema<T>,
    { signal }: CallOptions = {},
  ): Promise<IikoResponse<T>> {
    const operation = `POST ${path}`;
    const requestSummary = summarize(operation, body);
    let token = await getToken(signal, null);
    let result = await send(path, body, token, signal);
    // IK-1: an expired token is fetched again once, within the same attempt
    if (result.ok && result.status === 401) {
      token = await getToken(signal, token);
      result = await send(path, body, token, signal);
    }
    if (!result.ok) {
      logger.warn({ event: 'iiko.call_failed', operation, reason: result.kind }, result.message);
      throw new IikoError(result.kind, result.kind.toUpperCase(), result.message, true, {
        operation,
        httpStatus: null,
        correlationId: null,
        requestSummary,
        responseSummary: null,
      });
    }
    if (result.status < 200 || result.status >= 300)
      throw failure(operation, requestSummary, result.status, result.json);
    const parsed = schema.safeParse(result.json);
    const correlation = errorSchema.safeParse(result.json);
    const exchange: IikoExchange = {
      operation,
      httpStatus: result.status,
      correlationId: correlation.success ? (correlation.data.correlationId ?? null) : null,
      requestSummary,
      responseSummary: summarize('', result.json),
    };
    if (!parsed.success) {
      logger.error(
        { event: 'iiko.invalid_response', operation, http_status_code: result.status },
        'iiko answered a body we cannot read',
      );
      throw new IikoError(
        'invalid_response',
        'INVALID_RESPONSE',
        `unreadable answer: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`,
        false,
        exchange,
      );
    }
    return { data: parsed.data, exchange };
  }

  return {
    organizationId,
    organizations(options) {
      return call(
        '/api/1/organizations',
        { organizationIds: [organizationId], returnAdditionalInfo: false },
        organizationsSchema,
        options,
      );
    },
    terminalGroups(input = {}, options) {
      return call(
        '/api/1/terminal_groups',
        { organizationIds: [organizationId], includeDisabled: input.includeDisabled ?? false },
        terminalGroupsSchema,
        options,
      );
    },
    terminalGroupsAlive(terminalGroupIds, options) {
      return call(
        '/api/1/terminal_groups/is_alive',
        { organizationIds: [organizationId], terminalGroupIds },
        isAliveSchema,
        options,
      );
    },
    nomenclature(startRevision, options) {
      return call(
        '/api/1/nomenclature',
        { organizationId, startRevision },
        nomenclatureSchema,
        options,
      );
    },
    stopLists(terminalGroupIds, options) {
      return call(
        '/api/1/stop_lists',
        { organizationIds: [organizationId], terminalGroupsIds: terminalGroupIds },
        stopListsSchema,
        options,
      );
    },
    async createDelivery({ terminalGroupId, order }, options) {
      const res = await call(
        '/api/1/deliveries/create',
        { organizationId, terminalGroupId, order },
        createDeliverySchema,
        options,
      );
      return { data: { orderInfo: res.data.orderInfo }, exchange: res.exchange };
    },
    async deliveriesById(orderIds, options) {
      const res = await call(
        '/api/1/deliveries/by_id',
        { organizationId, orderIds },
        deliveriesByIdSchema,
        options,
      );
      return { data: res.data.orders, exchange: res.exchange };
    },
    commandStatus(correlationId, options) {
      return call(
        '/api/1/commands/status',
        { organizationId, correlationId },
        commandStatusSchema,
        options,
      );
    },
  };
}

const clients = new WeakMap<Env, IikoClient>();

/** True when this deployment talks to iiko (IIKO_API_BASE_URL, IIKO_API_LOGIN and the org set). */
export function isIikoConfigured(env: Env = getEnv()): boolean {
  return Boolean(env.IIKO_API_BASE_URL && env.IIKO_API_LOGIN && env.IIKO_ORGANIZATION_ID);
}

/** The client configured by the environment, or null when iiko is not configured. */
export function getOptionalIikoClient(): IikoClient | null {
  const env = getEnv();
  const cached = clients.get(env);
  if (cached) return cached;
  if (!env.IIKO_API_BASE_URL || !env.IIKO_API_LOGIN || !env.IIKO_ORGANIZATION_ID) return null;
  const client = createIikoClient({
    baseUrl: env.IIKO_API_BASE_URL,
    apiLogin: env.IIKO_API_LOGIN,
    organizationId: env.IIKO_ORGANIZATION_ID,
  });
  clients.set(env, client);
  return client;
}
