import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { getStoreMenu } from '~/features/menu/store-menu.server';
import { parseAcceptLanguage } from '~/i18n/language.server';
import { DEFAULT_LANG, isLang } from '~/i18n/languages';

/**
 * GET /api/v1/stores/:storeCode/menu — the public menu of an active store (RB-1 "Public: R active
 * menu"), the read model of features/menu/store-menu.server.ts as JSON. Language: `?lang=` first,
 * then Accept-Language, then ru. Cached briefly: a manager's sold-out mark shows within seconds.
 */

const STORE_CODE = /^[A-Za-z0-9_-]{1,20}$/;
const CACHE_CONTROL = 'public, max-age=15, stale-while-revalidate=30';

function notFound() {
  return Response.json(
    { error: { code: 'STORE_NOT_FOUND', message: 'No active store with this code' } },
    { status: 404, headers: { 'Cache-Control': 'no-store' } },
  );
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const code = params.storeCode;
  if (!code || !STORE_CODE.test(code)) return notFound();
  const langParam = new URL(request.url).searchParams.get('lang');
  const lang = isLang(langParam)
    ? langParam
    : (parseAcceptLanguage(request.headers.get('Accept-Language')) ?? DEFAULT_LANG);

  const menu = await getStoreMenu(context.db, { storeCode: code, lang });
  if (!menu) return notFound();
  return Response.json(menu, {
    headers: { 'Cache-Control': CACHE_CONTROL, Vary: 'Accept-Language' },
  });
}

/** Read-only resource. */
export function action(_args: ActionFunctionArgs) {
  return Response.json(
    { error: { code: 'METHOD_NOT_ALLOWED', message: 'GET only' } },
    { status: 405, headers: { Allow: 'GET, HEAD' } },
  );
}
