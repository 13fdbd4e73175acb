import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { requireMember, requireMemberCsrf } from '~/auth/member.server';
import { CSRF_FIELD_NAME } from '~/components/auth/csrf-input';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import { startPayment } from '~/features/payments/payments.service.server';
import { metaTitle, useT } from '~/i18n/use-t';
import { getOptionalYooKassaClient } from '~/integrations/yookassa/yookassa-client.server';
import { logger } from '~/utils/logger.server';

/**
 * /o/:token/pay — where checkout sends the browser when something is to be paid (CK-4), and the
 * order page's "pay" / "pay again" button. GET and POST both continue the live attempt or open a
 * new one (PY-5) and redirect to the provider's confirmation page; after paying, the provider
 * sends the browser back to /o/:token (the return_url). Only the order's member may pay it;
 * anyone else gets the same 404 as for a wrong token. When the provider refuses or does not answer
 * the page says so and offers to try again (the retry reuses the attempt's Idempotence-Key).
 */

const TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Problem = 'rejected' | 'unavailable' | 'expired';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'payments.pay.title');

async function pay(
  request: Request,
  token: string | undefined,
  context: LoaderFunctionArgs['context'],
  form: FormData | null,
) {
  const member = await requireMember(request, context);
  if (form) requireMemberCsrf(request, form, member);
  if (!token || !TOKEN.test(token)) throw new Response('Not found', { status: 404 });

  const problem = (reason: Problem, status = 200) =>
    json({ reason, token, csrfToken: member.csrfToken }, { status });

  const client = getOptionalYooKassaClient();
  if (!client) {
    logger.error(
      { event: 'payment.not_configured', requestId: context.requestId },
      'YooKassa is not configured',
    );
    return problem('unavailable', 503);
  }
  let result: Awaited<ReturnType<typeof startPayment>>;
  try {
    result = await startPayment(
      context.db,
      client,
      { order: { publicToken: token }, memberId: member.id },
      { requestId: context.requestId, ip: context.clientIp },
    );
  } catch (err) {
    logger.error(
      { err, event: 'payment.start_failed', requestId: context.requestId },
      'could not start the payment',
    );
    return problem('unavailable', 503);
  }
  switch (result.kind) {
    case 'redirect':
      return redirect(result.url);
    case 'settled':
      return redirect(`/o/${result.publicToken}`);
    case 'not_found':
      throw new Response('Not found', { status: 404 });
    case 'rejected':
      return problem('rejected');
    case 'expired':
      return problem('expired');
    case 'unavailable':
      return problem('unavailable', 503);
  }
}

export function loader({ request, params, context }: LoaderFunctionArgs) {
  return pay(request, params.token, context, null);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  return pay(request, params.token, context, await request.formData());
}

const MESSAGE = {
  rejected: 'payments.pay.rejected',
  unavailable: 'payments.pay.unavailable',
  expired: 'payments.pay.deadline',
} as const;

export default function PayRoute() {
  const { reason, token, csrfToken } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-6 px-4 py-10">
      <h1 className="text-xl font-semibold text-stone-900">{t('payments.pay.title')}</h1>
      <Alert tone={reason === 'expired' ? 'info' : reason === 'unavailable' ? 'warning' : 'danger'}>
        {t(MESSAGE[reason])}
      </Alert>
      <div className="flex flex-wrap gap-3">
        {reason !== 'expired' ? (
          <Form method="post">
            <input type="hidden" name={CSRF_FIELD_NAME} value={csrfToken} />
            <button type="submit" className={buttonClasses({ variant: 'primary' })}>
              {t('payments.pay.retry')}
            </button>
          </Form>
        ) : null}
        <Link to={`/o/${token}`} className={buttonClasses({ variant: 'secondary' })}>
          {t('payments.pay.backToOrder')}
        </Link>
      </div>
    </main>
  );
}
