import { getEnv } from '~/utils/env.server';
import { logger } from '~/utils/logger.server';

/**
 * HTTP client of the Telegram Bot API's `sendMessage` (NT-1, integrations.md §3). One code path
 * everywhere: api.telegram.org in production, the local fake (scripts/fakes/telegram) in
 * development and tests.
 *
 * Nothing throws for an API answer: every call resolves to a `TelegramSendResult` that tells the
 * caller what to do next (NT-5); the caller logs the outcome (this module logs only at debug,
 * except for a refused token or an unreadable success). The bot token is part of the URL path, so URLs are never logged
 * and anything that could echo it is redacted; message texts are never logged either.
 */

export const DEFAULT_TELEGRAM_TIMEOUT_MS = 10_000;

export type TelegramSendResult =
  | { ok: true; messageId: number }
  /** 429: try again after `retryAfterS` seconds. */
  | { ok: false; kind: 'rate_limited'; retryAfterS: number; description: string }
  /** 403: the user blocked the bot, or the bot is no longer in the chat. */
  | { ok: false; kind: 'blocked'; description: string }
  /** Any other 4xx: the same request will never succeed (bad HTML, chat not found, …). */
  | { ok: false; kind: 'rejected'; httpStatus: number; description: string }
  /** Network error, timeout, 5xx, a refused token or an unreadable answer: the result is unknown. */
  | { ok: false; kind: 'unavailable'; reason: string };

export interface SendMessageOptions {
  parseMode?: 'HTML';
  disableNotification?: boolean;
  signal?: AbortSignal;
}

export interface TelegramClient {
  sendMessage(
    chatId: string | number,
    text: string,
    options?: SendMessageOptions,
  ): Promise<TelegramSendResult>;
}

export interface TelegramClientConfig {
  /** e.g. `https://api.telegram.org` (a trailing slash is fine). */
  baseUrl: string;
  token: string;
  timeoutMs?: number;
}

/** When Telegram sends a 429 without `parameters.retry_after` (it always should). */
const FALLBACK_RETRY_AFTER_S = 30;

interface ApiEnvelope {
  ok?: unknown;
  result?: { message_id?: unknown };
  error_code?: unknown;
  description?: unknown;
  parameters?: { retry_after?: unknown };
}

/** Chat ids are ≤ 52 bits (Telegram's guarantee); send them as JSON numbers when exact. */
function chatIdValue(chatId: string | number): string | number {
  if (typeof chatId === 'number') return chatId;
  const n = Number(chatId);
  return /^-?[0-9]+$/.test(chatId) && Number.isSafeInteger(n) ? n : chatId;
}

function networkReason(err: unknown): string {
  if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError'))
    return err.name === 'TimeoutError' ? 'timeout' : 'aborted';
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : null;
  return code && /^[A-Z_]{2,40}$/.test(code) ? `network: ${code}` : 'network';
}

export function createTelegramClient({
  baseUrl,
  token,
  timeoutMs = DEFAULT_TELEGRAM_TIMEOUT_MS,
}: TelegramClientConfig): TelegramClient {
  const endpoint = `${baseUrl.replace(/\/+$/, '')}/bot${token}/sendMessage`;
  const redact = (text: string) => (token ? text.split(token).join('[REDACTED]') : text);

  return {
    async sendMessage(chatId, text, { parseMode, disableNotification, signal } = {}) {
      const timeout = AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({
            chat_id: chatIdValue(chatId),
            text,
            ...(parseMode ? { parse_mode: parseMode } : {}),
            ...(disableNotification ? { disable_notification: true } : {}),
          }),
          signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
        });
      } catch (err) {
        const reason = networkReason(err);
        logger.debug({ event: 'telegram.call_failed', reason }, 'Telegram sendMessage: no answer');
        return { ok: false, kind: 'unavailable', reason };
      }

      let body: ApiEnvelope | null = null;
      try {
        const parsed: unknown = await response.json();
        if (typeof parsed === 'object' && parsed !== null) body = parsed as ApiEnvelope;
      } catch {
        body = null;
      }
      const status = response.status;
      const description = redact(
        typeof body?.description === 'string' && body.description !== ''
          ? body.description
          : `HTTP ${status}`,
      );

      if (status === 200 && body?.ok === true) {
        const messageId = body.result?.message_id;
        if (typeof messageId === 'number' && Number.isSafeInteger(messageId))
          return { ok: true, messageId };
        logger.error(
          { event: 'telegram.invalid_response', http_status_code: status },
          'Telegram answered ok without a message id',
        );
        return { ok: false, kind: 'unavailable', reason: 'invalid_response' };
      }
      if (status === 429) {
        const given = body?.parameters?.retry_after;
        const fromText = /retry after (\d+)/i.exec(description)?.[1];
        const retryAfterS =
          typeof given === 'number' && Number.isFinite(given) && given > 0
            ? Math.ceil(given)
            : fromText
              ? Number(fromText)
              : FALLBACK_RETRY_AFTER_S;
        logger.debug(
          { event: 'telegram.rate_limited', http_status_code: status, retry_after_s: retryAfterS },
          description,
        );
        return { ok: false, kind: 'rate_limited', retryAfterS, description };
      }
      if (status === 403) {
        logger.debug({ event: 'telegram.blocked', http_status_code: status }, description);
        return { ok: false, kind: 'blocked', description };
      }
      // a wrong or revoked token is our configuration, not the message: keep it for a retry
      if (status === 401 || status === 404) {
        logger.error(
          { event: 'telegram.unauthorized', http_status_code: status },
          'Telegram refused the bot token (check TELEGRAM_BOT_TOKEN)',
        );
        return { ok: false, kind: 'unavailable', reason: `http_${status}: ${description}` };
      }
      if (status >= 400 && status < 500) {
        logger.debug({ event: 'telegram.rejected', http_status_code: status }, description);
        return { ok: false, kind: 'rejected', httpStatus: status, description };
      }
      logger.debug(
        { event: 'telegram.call_failed', http_status_code: status },
        'Telegram sendMessage: result unknown',
      );
      return {
        ok: false,
        kind: 'unavailable',
        reason: `http_${status}${body ? `: ${description}` : ''}`,
      };
    },
  };
}

/**
 * The client configured by the environment (TELEGRAM_API_BASE_URL, TELEGRAM_BOT_TOKEN); null
 * when either is missing, so callers leave notifications queued instead of failing them.
 */
export function getTelegramClient(): TelegramClient | null {
  const env = getEnv();
  if (!env.TELEGRAM_API_BASE_URL || !env.TELEGRAM_BOT_TOKEN) return null;
  return createTelegramClient({
    baseUrl: env.TELEGRAM_API_BASE_URL,
    token: env.TELEGRAM_BOT_TOKEN,
  });
}
