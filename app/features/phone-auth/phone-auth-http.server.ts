import { json } from '@remix-run/node';
import type { z } from 'zod';
import { CheckoutError, isCheckoutError } from '~/features/checkout/checkout-errors';
import { resolveRequestLanguage } from '~/i18n/language.server';
import type { Lang } from '~/i18n/languages';

/**
 * HTTP edges shared by the sign-in JSON endpoints (`/api/auth/code/send`, `/api/auth/code/verify`):
 * bodies are parsed defensively, refusals become `{"error":{code,message_key,details}}` with the
 * §2.16 status, and nothing a client sends can produce a 500.
 */

const NO_STORE = { 'Cache-Control': 'no-store' };

export function apiError(err: CheckoutError): Response {
  const headers: Record<string, string> = { ...NO_STORE };
  const retryAfter = err.details.retry_after_s;
  if (typeof retryAfter === 'number') headers['Retry-After'] = String(retryAfter);
  return json(err.toBody(), { status: err.status, headers });
}

export function apiOk(body: unknown, headers: Record<string, string> = {}): Response {
  return json(body, { headers: { ...NO_STORE, ...headers } });
}

export function methodNotAllowed(): Response {
  return json(new CheckoutError('VALIDATION_FAILED', { method: 'POST only' }).toBody(), {
    status: 405,
    headers: { Allow: 'POST', ...NO_STORE },
  });
}

/** The JSON body validated by `schema`, or a CheckoutError VALIDATION_FAILED naming the fields. */
export async function parseJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new CheckoutError('VALIDATION_FAILED', { body: 'must be a JSON object' });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.') || 'body';
      fields[key] ??= issue.message;
    }
    throw new CheckoutError('VALIDATION_FAILED', { fields });
  }
  return parsed.data;
}

/** Runs an endpoint body; domain refusals become their JSON error, anything else propagates. */
export async function answerApi(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    if (isCheckoutError(err)) return apiError(err);
    throw err;
  }
}

/** The language of the SMS text: the visitor's cookie, then Accept-Language, then ru. */
export function requestLang(request: Request): Lang {
  return resolveRequestLanguage(request, null).lang;
}
