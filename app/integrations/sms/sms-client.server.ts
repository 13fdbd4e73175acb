import { getEnv } from '~/utils/env.server';
import { logger } from '~/utils/logger.server';
import { maskPhone } from '~/utils/sanitize';

/**
 * HTTP client of the SMS gateway (AU-7). One code path for every environment: the provider in
 * production, the local fake gateway (scripts/fakes/sms) in development and tests. Protocol:
 * docs/integrations/sms-gateway.md. Message texts and phone numbers are never logged in full.
 */

export const DEFAULT_SMS_SENDER = 'CTEA';

export type SmsFailureKind =
  /** No gateway configured (SMS_API_BASE_URL unset). */
  | 'NOT_CONFIGURED'
  /** The gateway refused our API key. */
  | 'UNAUTHORIZED'
  /** The gateway rejected the message (4xx): retrying the same message will not help. */
  | 'REJECTED'
  /** The gateway failed (5xx, 429) or answered something unreadable. */
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  /** Connection refused, reset, DNS failure. */
  | 'NETWORK';

export class SmsSendError extends Error {
  constructor(
    readonly kind: SmsFailureKind,
    readonly httpStatus: number | null = null,
  ) {
    super(`SMS not sent: ${kind}${httpStatus === null ? '' : ` (HTTP ${httpStatus})`}`);
    this.name = 'SmsSendError';
  }
}

export interface SmsClientConfig {
  /** Gateway base URL, e.g. `https://sms.example.ru`; null when none is configured. */
  baseUrl: string | null;
  apiKey: string;
  sender?: string;
  timeoutMs?: number;
}

export interface SentSms {
  /** The gateway's message id. */
  id: string;
}

export interface SmsClient {
  /** Sends one text to an E.164 number. Throws SmsSendError; never resolves without a message id. */
  send(to: string, text: string): Promise<SentSms>;
}

function endpoint(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

export function createSmsClient({
  baseUrl,
  apiKey,
  sender = DEFAULT_SMS_SENDER,
  timeoutMs = 10_000,
}: SmsClientConfig): SmsClient {
  return {
    async send(to, text) {
      if (!baseUrl) {
        logger.warn(
          { event: 'sms.not_configured', to: maskPhone(to) },
          'SMS_API_BASE_URL is not set: the message was not sent',
        );
        throw new SmsSendError('NOT_CONFIGURED');
      }
      let response: Response;
      try {
        response = await fetch(endpoint(baseUrl, '/v1/messages'), {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${apiKey}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
          body: JSON.stringify({ to, text, sender }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
        const failure = new SmsSendError(timedOut ? 'TIMEOUT' : 'NETWORK');
        logger.warn(
          { event: 'sms.send_failed', to: maskPhone(to), kind: failure.kind },
          failure.message,
        );
        throw failure;
      }

      const body = (await response.json().catch(() => null)) as { id?: unknown } | null;
      if (response.status === 200 || response.status === 201) {
        if (body && typeof body.id === 'string' && body.id !== '') return { id: body.id };
        const failure = new SmsSendError('UNAVAILABLE', response.status);
        logger.warn(
          { event: 'sms.send_failed', to: maskPhone(to), kind: failure.kind },
          'gateway answered without a message id',
        );
        throw failure;
      }
      const kind: SmsFailureKind =
        response.status === 401 || response.status === 403
          ? 'UNAUTHORIZED'
          : response.status >= 400 && response.status < 500 && response.status !== 429
            ? 'REJECTED'
            : 'UNAVAILABLE';
      const failure = new SmsSendError(kind, response.status);
      logger.warn(
        { event: 'sms.send_failed', to: maskPhone(to), kind, http_status_code: response.status },
        failure.message,
      );
      throw failure;
    },
  };
}

/** The client configured by the environment (SMS_API_BASE_URL, SMS_API_KEY, SMS_SENDER). */
export function getSmsClient(): SmsClient {
  const env = getEnv();
  return createSmsClient({
    baseUrl: env.SMS_API_BASE_URL ?? null,
    apiKey: env.SMS_API_KEY ?? '',
    sender: env.SMS_SENDER || DEFAULT_SMS_SENDER,
    timeoutMs: env.SMS_TIMEOUT_MS,
  });
}

export interface OutboxEntry {
  id: string;
  to: string;
  text: string;
  sender: string;
  createdAt: string;
}

/**
 * The local fake gateway's outbox for one phone, newest first (development only: the
 * `/dev/sms-outbox` page). Null when no gateway is configured or it has no outbox (a real
 * provider); never used in production.
 */
export async function readFakeOutbox(
  baseUrl: string | null,
  phone: string,
  { timeoutMs = 5_000 }: { timeoutMs?: number } = {},
): Promise<OutboxEntry[] | null> {
  if (!baseUrl) return null;
  try {
    const url = new URL(endpoint(baseUrl, '/outbox'));
    url.searchParams.set('phone', phone);
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return null;
    const body = (await response.json()) as { messages?: unknown };
    if (!Array.isArray(body.messages)) return null;
    return body.messages.flatMap((m: Record<string, unknown>) =>
      typeof m?.id === 'string' && typeof m.to === 'string' && typeof m.text === 'string'
        ? [
            {
              id: m.id,
              to: m.to,
              text: m.text,
              sender: typeof m.sender === 'string' ? m.sender : '',
              createdAt: typeof m.created_at === 'string' ? m.created_at : '',
            },
          ]
        : [],
    );
  } catch {
    return null;
  }
}
