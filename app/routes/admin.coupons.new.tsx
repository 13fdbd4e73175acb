import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { newTemplateDefaults, TemplateForm } from '~/features/coupons/components/template-form';
import { submitCouponTemplateForm } from '~/features/coupons/templates-action.server';
import { listTemplateChoices } from '~/features/coupons/templates.server';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'couponTemplates.new.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  // the dates are computed once on the server so the hydrated form shows the same values
  return json({ defaults: newTemplateDefaults(), choices: await listTemplateChoices(context.db) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const outcome = await submitCouponTemplateForm(
    context.db,
    { userId: user.id, requestId: context.requestId, ip: context.clientIp },
    formData,
    null,
  );
  if (!outcome.ok) return json(outcome.reply, { status: outcome.status });
  return redirect(`/admin/coupons/${outcome.templateId}?saved=1`);
}

export default function AdminCouponNewRoute() {
  const { defaults, choices } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const t = useT();
  return (
    <>
      <PageHeader
        title={t('couponTemplates.new.title')}
        actions={
          <ButtonLink to="/admin/coupons" variant="ghost">
            {t('common.back')}
          </ButtonLink>
        }
      />
      <TemplateForm
        template={defaults}
        choices={choices}
        lastResult={lastResult}
        submitLabel="couponTemplates.new.submit"
      />
    </>
  );
}
