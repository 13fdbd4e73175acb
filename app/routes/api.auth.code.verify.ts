import type { ActionFunctionArgs } from '@remix-run/node';
import { isSameOriginRequest } from '~/auth/csrf.server';
import { clientInfo, readSessionToken } from '~/auth/session.server';
import { CheckoutError } from '~/features/checkout/checkout-errors';
import {
  answerApi,
  apiOk,
  methodNotAllowed,
  parseJsonBody,
} from '~/features/phone-auth/phone-auth-http.server';
import { verifyCodeBodySchema } from '~/features/phone-auth/phone-auth.schema';
import { verifyCode } from '~/features/phone-auth/phone-auth.service.server';
import { requireCodeVerifyAllowance } from '~/features/ratelimit/rate-limit.server';

/**
 * `POST /api/auth/code/verify` `{phone, code}` → 200 `{is_new_member, member}` with the member
 * session cookie (a fresh token; the browser's previous session is revoked); 400 INVALID_PHONE,
 * INVALID_CODE {attempts_left}, CODE_EXPIRED, TOO_MANY_ATTEMPTS; 429 RATE_LIMITED {retry_after_s}
 * past RATE_LIMIT_CODE_VERIFY_PER_IP checks per hour from one address.
 */
export function loader() {
  return methodNotAllowed();
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') return methodNotAllowed();
  return answerApi(async () => {
    // a cross-site page must not be able to sign a browser into someone's account
    if (!isSameOriginRequest(request)) throw new CheckoutError('FORBIDDEN');
    const client = clientInfo(request, context);
    // per client address, across instances (ADR 0020); AU-4's 5 tries per code stay as they are
    await requireCodeVerifyAllowance(context.db, client.ip);
    const body = await parseJsonBody(request, verifyCodeBodySchema);
    const signedIn = await verifyCode(context.db, {
      phone: body.phone,
      code: body.code,
      ip: client.ip,
      userAgent: client.userAgent,
      previousSessionToken: readSessionToken(request),
      requestId: context.requestId,
    });
    return apiOk(
      {
        is_new_member: signedIn.isNewMember,
        member: { id: signedIn.memberId, display_name: signedIn.displayName },
      },
      { 'Set-Cookie': signedIn.session.cookieHeader },
    );
  });
}
