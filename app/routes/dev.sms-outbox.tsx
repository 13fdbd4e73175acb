import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Input, Label } from '~/components/ui/input';
import { formatDateTime } from '~/features/account/format';
import { normalizePhone } from '~/features/phone-auth/phone';
import { metaTitle, useLang, useT } from '~/i18n/use-t';
import { readFakeOutbox } from '~/integrations/sms/sms-client.server';
import { getEnv } from '~/utils/env.server';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'signin.devOutbox.title');

/**
 * Development only (AU-7): the local fake SMS gateway's outbox for one phone, read from the fake's
 * own `GET /outbox`, so a developer can sign in without a phone. In production this is a 404.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const env = getEnv();
  if (env.isProduction) throw new Response('Not Found', { status: 404, statusText: 'Not Found' });
  const input = new URL(request.url).searchParams.get('phone')?.slice(0, 64) ?? '';
  const phone = normalizePhone(input);
  const messages = phone ? await readFakeOutbox(env.SMS_API_BASE_URL ?? null, phone) : [];
  return json(
    { input, phone, messages },
    { headers: { 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' } },
  );
}

export default function DevSmsOutboxRoute() {
  const { input, phone, messages } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  return (
    <main className="mx-auto w-full max-w-2xl space-y-5 px-4 py-10">
      <div>
        <h1 className="text-xl font-semibold text-stone-900">{t('signin.devOutbox.title')}</h1>
        <p className="mt-1 text-sm text-stone-600">{t('signin.devOutbox.intro')}</p>
      </div>
      <Form method="get" className="flex items-end gap-3">
        <div className="flex-1 space-y-1">
          <Label htmlFor="outbox-phone">{t('signin.devOutbox.phone')}</Label>
          <Input id="outbox-phone" name="phone" type="tel" defaultValue={input} />
        </div>
        <Button type="submit">{t('signin.devOutbox.show')}</Button>
      </Form>
      {input && !phone ? <Alert tone="danger">{t('signin.error.phoneFormat')}</Alert> : null}
      {messages === null ? <Alert tone="warning">{t('signin.devOutbox.unavailable')}</Alert> : null}
      {phone && messages?.length === 0 ? (
        <p className="text-sm text-stone-500">{t('signin.devOutbox.empty')}</p>
      ) : null}
      {messages && messages.length > 0 ? (
        <Card>
          <ul className="divide-y divide-stone-100">
            {messages.map((m) => (
              <li key={m.id} className="px-4 py-3">
                <p className="text-xs text-stone-500">
                  {t('signin.devOutbox.sentAt')}:{' '}
                  {m.createdAt ? formatDateTime(m.createdAt, lang) : '—'} · {m.sender}
                </p>
                <p className="mt-1 font-mono text-sm text-stone-900" data-testid="sms-text">
                  {m.text}
                </p>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Link to="/signin" className="text-sm text-brand-700 hover:underline">
        {t('signin.devOutbox.back')}
      </Link>
    </main>
  );
}
