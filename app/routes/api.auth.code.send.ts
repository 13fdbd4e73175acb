import type { ActionFunctionArgs } from '@remix-run/node';
import { isSameOriginRequest } from '~/auth/csrf.server';
import { clientInfo } from '~/auth/session.server';
import { CheckoutError } from '~/features/checkout/checkout-errors';
import {
  answerApi,
  apiOk,
  methodNotAllowed,
  parseJsonBody,
  requestLang,
} from '~/features/phone-auth/phone-auth-http.server';
import { sendCodeBodySchema } from '~/features/phone-auth/phone-auth.schema';
import { sendCode } from '~/features/phone-auth/phone-auth.service.server';

/**
 * `POST /api/auth/code/send` `{phone}` → 200 `{expires_in, resend_in}` for every valid phone,
 * registered or not (AU-3); 400 INVALID_PHONE, 429 RATE_LIMITED {retry_after_s}, 503
 * SMS_UNAVAILABLE.
 */
export function loader() {
  return methodNotAllowed();
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') return methodNotAllowed();
  return answerApi(async () => {
    if (!isSameOriginRequest(request)) throw new CheckoutError('FORBIDDEN');
    const body = await parseJsonBody(request, sendCodeBodySchema);
    const client = clientInfo(request, context);
    const answer = await sendCode(context.db, {
      phone: body.phone,
      ip: client.ip,
      userAgent: client.userAgent,
      lang: requestLang(request),
    });
    return apiOk(answer);
  });
}
