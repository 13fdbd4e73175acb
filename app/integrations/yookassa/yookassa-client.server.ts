import type { z } from 'zod';
import { getEnv, type Env } from '~/utils/env.server';
import { logger } from '~/utils/logger.server';
import { toDecimal } from '~/utils/money';
import {
  errorSchema,
  paymentSchema,
  refundSchema,
  type CallOptions,
  type YooKassaClient,
  type YooKassaPayment,
  type YooKassaRefund,
  type YooKassaResult,
} from './yookassa-types.server';

export type * from './yookassa-types.server';

/**
 * HTTP client of YooKassa API v3 (PY-1): HTTP Basic `shopId:secretKey`, JSON bodies, an
 * Idempotence-Key on every POST (PY-3), amounts as "350.00" strings built from kopecks (C-4).
 * One code path everywhere: the provider in production, the local fake (scripts/fakes/yookassa)
 * in development and tests.
 *
 * Nothing throws for a provider answer: every call resolves to `YooKassaResult` — the object, a
 * definite 4xx refusal, or "result unknown" (PY-4) for 500, 429, timeouts, network errors and
 * unreadable bodies. Secrets and request bodies are never logged.
 */

export interface YooKassaClientConfig {
  /** e.g. `https://api.yookassa.ru/v3` (a trailing slash is fine). */
  baseUrl: string;
  shopId: string;
  secretKey: string;
  /** Per call; YooKassa answers within 30 s or gives up itself with a 500. */
  timeoutMs?: number;
}

type Schema<T> = z.ZodType<T>;

export function createYooKassaClient({
  baseUrl,
  shopId,
  secretKey,
  timeoutMs = 30_000,
}: YooKassaClientConfig): YooKassaClient {
  const root = baseUrl.replace(/\/+$/, '');
  const authorization = `Basic ${Buffer.from(`${shopId}:${secretKey}`).toString('base64')}`;

  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    schema: Schema<T>,
    { body, idempotenceKey, signal }: CallOptions & { body?: unknown; idempotenceKey?: string },
  ): Promise<YooKassaResult<T>> {
    const operation = `${method} ${path.replace(/\/[^/]{16,}(?=\/|$)/g, '/{id}')}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(`${root}${path}`, {
        method,
        headers: {
          Authorization: authorization,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(idempotenceKey ? { 'Idempotence-Key': idempotenceKey } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (err) {
      const aborted =
        err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const reason = aborted ? 'timeout' : 'network';
      logger.warn({ event: 'yookassa.call_failed', operation, reason }, 'YooKassa result unknown');
      return { ok: false, kind: 'unknown', reason };
    }

    let json: unknown;
    try {
      json = await response.json();
    } catch {
      json = undefined;
    }
    const httpStatus = response.status;

    if (httpStatus >= 200 && httpStatus < 300) {
      const parsed = schema.safeParse(json);
      if (parsed.success) return { ok: true, object: parsed.data, httpStatus };
      logger.error(
        { event: 'yookassa.invalid_response', operation, http_status_code: httpStatus },
        'YooKassa answered an object we cannot read',
      );
      return { ok: false, kind: 'unknown', reason: 'invalid_response', httpStatus };
    }
    if (httpStatus === 429 || httpStatus >= 500) {
      const reason = httpStatus === 429 ? 'too_many_requests' : 'server_error';
      logger.warn(
        { event: 'yookassa.call_failed', operation, reason, http_status_code: httpStatus },
        'YooKassa result unknown',
      );
      return { ok: false, kind: 'unknown', reason, httpStatus };
    }
    const error = errorSchema.safeParse(json);
    const code = error.success ? error.data.code : `http_${httpStatus}`;
    const description = (error.success ? error.data.description : undefined) ?? '';
    const parameter = error.success ? error.data.parameter : undefined;
    logger.warn(
      {
        event: 'yookassa.rejected',
        operation,
        http_status_code: httpStatus,
        error_code: code,
        parameter,
      },
      description || 'YooKassa refused the request',
    );
    return {
      ok: false,
      kind: 'rejected',
      httpStatus,
      code,
      description,
      ...(parameter ? { parameter } : {}),
    };
  }

  const id = (value: string) => encodeURIComponent(value);

  return {
    createPayment(input, idempotenceKey, options) {
      return call<YooKassaPayment>('POST', '/payments', paymentSchema, {
        ...options,
        idempotenceKey,
        body: {
          amount: { value: toDecimal(input.amountKopecks), currency: 'RUB' },
          capture: false,
          confirmation: { type: 'redirect', return_url: input.returnUrl },
          description: input.description.slice(0, 128),
          metadata: input.metadata,
          ...(input.receipt ? { receipt: input.receipt } : {}),
        },
      });
    },
    getPayment(paymentId, options) {
      return call<YooKassaPayment>('GET', `/payments/${id(paymentId)}`, paymentSchema, {
        ...options,
      });
    },
    capturePayment(paymentId, amountKopecks, idempotenceKey, options) {
      return call<YooKassaPayment>('POST', `/payments/${id(paymentId)}/capture`, paymentSchema, {
        ...options,
        idempotenceKey,
        body: { amount: { value: toDecimal(amountKopecks), currency: 'RUB' } },
      });
    },
    cancelPayment(paymentId, idempotenceKey, options) {
      return call<YooKassaPayment>('POST', `/payments/${id(paymentId)}/cancel`, paymentSchema, {
        ...options,
        idempotenceKey,
        body: {},
      });
    },
    createRefund(input, idempotenceKey, options) {
      return call<YooKassaRefund>('POST', '/refunds', refundSchema, {
        ...options,
        idempotenceKey,
        body: {
          payment_id: input.paymentId,
          amount: { value: toDecimal(input.amountKopecks), currency: 'RUB' },
          ...(input.description ? { description: input.description.slice(0, 250) } : {}),
        },
      });
    },
    getRefund(refundId, options) {
      return call<YooKassaRefund>('GET', `/refunds/${id(refundId)}`, refundSchema, { ...options });
    },
  };
}

const clients = new WeakMap<Env, YooKassaClient>();

/** The client configured by the environment, or null when YooKassa is not configured. */
export function getOptionalYooKassaClient(): YooKassaClient | null {
  const env = getEnv();
  const cached = clients.get(env);
  if (cached) return cached;
  if (!env.YOOKASSA_API_BASE_URL || !env.YOOKASSA_SHOP_ID || !env.YOOKASSA_SECRET_KEY) return null;
  const client = createYooKassaClient({
    baseUrl: env.YOOKASSA_API_BASE_URL,
    shopId: env.YOOKASSA_SHOP_ID,
    secretKey: env.YOOKASSA_SECRET_KEY,
    timeoutMs: env.YOOKASSA_TIMEOUT_MS,
  });
  clients.set(env, client);
  return client;
}

export class YooKassaNotConfiguredError extends Error {
  constructor() {
    super(
      'YooKassa is not configured (YOOKASSA_API_BASE_URL, YOOKASSA_SHOP_ID, YOOKASSA_SECRET_KEY)',
    );
    this.name = 'YooKassaNotConfiguredError';
  }
}

/** The client configured by the environment (YOOKASSA_*); throws when it is not configured. */
export function getYooKassaClient(): YooKassaClient {
  const client = getOptionalYooKassaClient();
  if (!client) throw new YooKassaNotConfiguredError();
  return client;
}
