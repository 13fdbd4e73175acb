import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { parseStoreId as parseId, requireRole } from '~/auth/guards.server';
import { Alert } from '~/components/ui/alert';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { TemplateForm } from '~/features/coupons/components/template-form';
import { TemplateTryIt } from '~/features/coupons/components/template-try-it';
import { submitCouponTemplateForm } from '~/features/coupons/templates-action.server';
import { parseTryItParams } from '~/features/coupons/templates.schema';
import {
  countTemplateInstances,
  getCouponTemplate,
  listTemplateChoices,
  tryCouponTemplate,
} from '~/features/coupons/templates.server';
import { metaTitle, pickLocalized, useLang, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.coupons');

const UPDATE_INTENT = 'update';

function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const templateId = parseId(params.templateId);
  const template = templateId === null ? null : await getCouponTemplate(context.db, templateId);
  if (!template) throw notFound();
  const tryParams = parseTryItParams(request.url);
  const [instanceCount, choices, tryIt] = await Promise.all([
    countTemplateInstances(context.db, template.id),
    listTemplateChoices(context.db),
    tryCouponTemplate(context.db, {
      template,
      params: tryParams,
      lang: user.language,
      now: new Date(),
    }),
  ]);
  return json({
    template: {
      ...template,
      valid_from: template.valid_from.toISOString(),
      valid_until: template.valid_until.toISOString(),
    },
    instanceCount,
    choices,
    tryIt,
    tryParams,
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const templateId = parseId(params.templateId);
  if (templateId === null) throw notFound();
  const actor = { userId: user.id, requestId: context.requestId, ip: context.clientIp };
  const intent = formData.get('intent');
  if (intent !== UPDATE_INTENT) {
    return json({ intent: null, result: null }, { status: 400 });
  }
  const outcome = await submitCouponTemplateForm(context.db, actor, formData, templateId);
  if (outcome.ok) return redirect(`/admin/coupons/${templateId}?saved=1`);
  if (outcome.status === 404) throw notFound();
  return json({ intent: UPDATE_INTENT, result: outcome.reply }, { status: outcome.status });
}

export default function AdminCouponTemplateRoute() {
  const { template, instanceCount, choices, tryIt, tryParams } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const lang = useLang();
  return (
    <div className="space-y-6">
      <PageHeader
        className="mb-0"
        eyebrow={<span className="font-mono text-xs text-stone-500">{template.code}</span>}
        title={pickLocalized(lang, template, 'name')}
        description={`${t(`couponTemplates.type.${template.type}`)} · ${t('couponTemplates.instances', { count: instanceCount })}`}
        actions={
          <>
            <ButtonLink to={`/admin/coupons/${template.id}/issue`} variant="secondary">
              {t('couponTemplates.issue')}
            </ButtonLink>
            <ButtonLink to="/admin/coupons" variant="ghost">
              {t('common.back')}
            </ButtonLink>
          </>
        }
      />
      {!actionData && searchParams.get('saved') ? (
        <Alert tone="success">{t('couponTemplates.saved')}</Alert>
      ) : null}
      <TemplateTryIt data={tryIt} params={tryParams} />
      <TemplateForm
        template={template}
        choices={choices}
        intent={UPDATE_INTENT}
        frozen={instanceCount > 0}
        lastResult={actionData?.intent === UPDATE_INTENT ? actionData.result : undefined}
        submitLabel="common.save"
      />
    </div>
  );
}
