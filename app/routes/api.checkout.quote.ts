import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { getOptionalMember } from '~/auth/member.server';
import { checkoutBodyFromForm } from '~/features/cart/checkout-form';
import { quoteToJson } from '~/features/cart/quote-json';
import { shopLang } from '~/features/cart/shop-lang.server';
import { errorBody } from '~/features/checkout/checkout-errors';
import { quoteBodySchema } from '~/features/checkout/checkout.schema';
import { quoteCheckout } from '~/features/checkout/pricing.server';

/**
 * POST /api/checkout/quote (CK-6): the checkout body without an idempotency key, as JSON or as the
 * checkout page's form → the full computation, nothing written. 200 `{quote}` even when the quote
 * lists problems (they are the answer); 400 when the body is not a checkout body at all. The
 * member comes from the session (coupons, points balance); signed out it prices for a guest.
 */

const NO_STORE = { 'Cache-Control': 'no-store' };

function badRequest(details: Record<string, unknown>) {
  return json(errorBody('VALIDATION_FAILED', details), { status: 400, headers: NO_STORE });
}

async function readBody(request: Request): Promise<{ ok: true; raw: unknown } | { ok: false }> {
  const type = (request.headers.get('Content-Type') ?? '').toLowerCase();
  try {
    if (type.startsWith('application/json')) return { ok: true, raw: await request.json() };
    if (
      type.startsWith('application/x-www-form-urlencoded') ||
      type.startsWith('multipart/form-data')
    ) {
      return { ok: true, raw: checkoutBodyFromForm(await request.formData()) };
    }
  } catch {
    // malformed JSON or form encoding: the same 400 as any other bad body
  }
  return { ok: false };
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') {
    return json(errorBody('VALIDATION_FAILED', { method: request.method }), {
      status: 405,
      headers: { Allow: 'POST', ...NO_STORE },
    });
  }
  const body = await readBody(request);
  if (!body.ok) return badRequest({ body: 'expected a JSON or form checkout body' });
  const parsed = quoteBodySchema.safeParse(body.raw);
  if (!parsed.success) {
    return badRequest({
      issues: parsed.error.issues
        .slice(0, 20)
        .map((i) => ({ path: i.path.join('.'), code: i.code })),
    });
  }
  const member = await getOptionalMember(request, context);
  const quote = await quoteCheckout(context.db, {
    memberId: member?.id ?? null,
    body: parsed.data,
    lang: shopLang(request),
  });
  return json({ quote: quoteToJson(quote) }, { headers: NO_STORE });
}

/** POST only. */
export function loader() {
  return json(errorBody('VALIDATION_FAILED', { method: 'GET' }), {
    status: 405,
    headers: { Allow: 'POST', ...NO_STORE },
  });
}
