import type { ActionFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { requireCsrf } from '~/auth/csrf.server';
import { getOptionalUser } from '~/auth/guards.server';
import { setUserLanguage } from '~/features/preferences/preferences.server';
import { langCookieHeader, languageFormSchema } from '~/i18n/language.server';

/**
 * POST /language {lang, redirectTo}: remembers the UI language in the `ctea_lang` cookie and, for a
 * signed-in staff member, in user_preference (so it follows them to other devices), then goes back.
 * Anyone may switch; only a signed-in user's preference is written, and that write needs the CSRF
 * token like every back-office mutation.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') throw new Response('Method Not Allowed', { status: 405 });
  const user = await getOptionalUser(request);
  const formData = await request.formData();
  if (user) requireCsrf(request, formData, user);

  const parsed = languageFormSchema.safeParse({
    lang: formData.get('lang'),
    redirectTo: formData.get('redirectTo'),
  });
  if (!parsed.success) {
    return json(
      {
        error: {
          code: 'INVALID_LANGUAGE',
          message_key: 'shell.error.invalidLanguage',
          details: { field: 'lang' },
        },
      },
      { status: 400 },
    );
  }
  const { lang, redirectTo } = parsed.data;
  if (user) await setUserLanguage(context.db, { userId: user.id, lang });
  return redirect(redirectTo, { headers: { 'Set-Cookie': langCookieHeader(lang) } });
}
