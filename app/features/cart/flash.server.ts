import crypto from 'node:crypto';
import { createCookie, type Cookie } from '@remix-run/node';
import { getEnv } from '~/utils/env.server';
import { toastSchema, type Toast, type ToastKey } from './toast';

/**
 * Post/redirect/get confirmations: an action sets `ctea_flash`, the storefront layout loader of the
 * next page reads it once and clears it. Signed like the cart cookie; a value that does not parse
 * is ignored.
 */

const FLASH_COOKIE_NAME = 'ctea_flash';

let cached: { secret: string; secure: boolean; cookie: Cookie } | null = null;

function flashCookie(): Cookie {
  const env = getEnv();
  if (!cached || cached.secret !== env.SESSION_SECRET || cached.secure !== env.isProduction) {
    cached = {
      secret: env.SESSION_SECRET,
      secure: env.isProduction,
      cookie: createCookie(FLASH_COOKIE_NAME, {
        secrets: [env.SESSION_SECRET],
        httpOnly: true,
        sameSite: 'lax',
        secure: env.isProduction,
        path: '/',
        // a toast nobody picked up within a minute is stale
        maxAge: 60,
      }),
    };
  }
  return cached.cookie;
}

export function flashToastHeader(
  key: ToastKey,
  params: Record<string, string | number> = {},
): Promise<string> {
  const toast: Toast = { key, params, id: crypto.randomBytes(6).toString('hex') };
  return flashCookie().serialize(toast);
}

/** The pending toast, and the Set-Cookie that consumes it (null when there is none). */
export async function readFlashToast(
  request: Request,
): Promise<{ toast: Toast | null; clearHeader: string | null }> {
  const header = request.headers.get('Cookie');
  if (!header || !header.includes(`${FLASH_COOKIE_NAME}=`))
    return { toast: null, clearHeader: null };
  const clearHeader = await flashCookie().serialize('', { maxAge: 0 });
  try {
    const parsed = toastSchema.safeParse(await flashCookie().parse(header));
    return { toast: parsed.success ? parsed.data : null, clearHeader };
  } catch {
    return { toast: null, clearHeader };
  }
}
