import type { ActionFunctionArgs } from '@remix-run/node';
import { errorBody } from '~/features/checkout/checkout-errors';
import { isAllowedNotificationSource } from '~/features/payments/notify-allowlist.server';
import { handleYooKassaNotification } from '~/features/payments/payments.service.server';
import { getOptionalYooKassaClient } from '~/integrations/yookassa/yookassa-client.server';
import { getEnv } from '~/utils/env.server';
import { logger } from '~/utils/logger.server';

/**
 * POST /webhooks/yookassa — YooKassa's HTTP notifications (PY-6). The provider signs nothing, so:
 * the source address must be in YOOKASSA_NOTIFY_CIDRS (context.clientIp honours X-Forwarded-For
 * only behind TRUST_PROXY_CIDRS), and the body is only a hint — the object is re-fetched and the
 * fetched status applied. 200 = handled or deliberately ignored; 503 = the re-fetch failed and the
 * provider should deliver again (it retries non-200 answers for 24 h).
 */

const MAX_BODY_BYTES = 64 * 1024;

function answer(status: number, body: unknown = { ok: status === 200 }) {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const log = { event: 'yookassa.webhook', requestId: context.requestId };
  if (request.method !== 'POST')
    return Response.json(errorBody('VALIDATION_FAILED', { method: request.method }), {
      status: 405,
      headers: { Allow: 'POST' },
    });
  if (!isAllowedNotificationSource(context.clientIp, getEnv().YOOKASSA_NOTIFY_CIDRS)) {
    logger.warn(
      { ...log, ip: context.clientIp },
      'notification from an address outside the allowlist',
    );
    return answer(403, errorBody('FORBIDDEN'));
  }

  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return answer(413, errorBody('VALIDATION_FAILED'));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return answer(400, errorBody('VALIDATION_FAILED', { body: 'not JSON' }));
  }

  const client = getOptionalYooKassaClient();
  if (!client) {
    logger.error(log, 'YooKassa notification received but YooKassa is not configured');
    return answer(503);
  }
  try {
    const result = await handleYooKassaNotification(context.db, client, body, {
      requestId: context.requestId,
    });
    if (result.status === 400) return answer(400, errorBody('VALIDATION_FAILED'));
    return answer(result.status, { ok: result.status === 200, outcome: result.outcome });
  } catch (err) {
    // the database or our own code failed: let the provider deliver again
    logger.error({ ...log, err }, 'notification handling failed');
    return answer(503);
  }
}

export function loader() {
  return Response.json(errorBody('VALIDATION_FAILED', { method: 'GET' }), {
    status: 405,
    headers: { Allow: 'POST' },
  });
}
