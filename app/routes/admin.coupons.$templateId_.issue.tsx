import crypto from 'node:crypto';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { ButtonLink } from '~/components/ui/button';
import { Alert } from '~/components/ui/alert';
import { PageHeader } from '~/components/ui/page-header';
import { IssueForm } from '~/features/coupons/components/issue-form';
import { IssueSummaryReport } from '~/features/coupons/components/issue-summary';
import { parseIssueTemplateId } from '~/features/coupons/issue.schema';
import {
  countBatchInstances,
  getIssueTemplate,
  issueRefusal,
  listGroupOptions,
} from '~/features/coupons/issue.server';
import { submitIssueForm } from '~/features/coupons/issue.service.server';
import { formatCampaignTime } from '~/features/campaigns/campaign-time';
import { metaTitle, pickLocalized, useLang, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'couponIssue.title');

function notFound(): never {
  throw new Response('Not Found', { status: 404 });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const templateId = parseIssueTemplateId(params.templateId);
  if (templateId === null) notFound();
  const template = await getIssueTemplate(context.db, templateId);
  if (!template) notFound();
  const batch = new URL(request.url).searchParams.get('batch');
  const progress =
    batch && /^[0-9a-f-]{36}$/i.test(batch)
      ? await countBatchInstances(context.db, templateId, batch.toLowerCase())
      : null;
  return json({
    template,
    refusal: issueRefusal(template),
    groups: await listGroupOptions(context.db),
    // a fresh key per render: one form = one batch (idempotent resubmission)
    batchKey: crypto.randomUUID(),
    progress,
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const templateId = parseIssueTemplateId(params.templateId);
  if (templateId === null) notFound();
  const outcome = await submitIssueForm(
    context.db,
    { userId: user.id, requestId: context.requestId, ip: context.clientIp },
    templateId,
    formData,
  );
  if (!outcome.ok) {
    return json({ reply: outcome.reply, summary: null }, { status: outcome.status });
  }
  return json({ reply: outcome.reply, summary: outcome.summary });
}

export default function AdminCouponIssueRoute() {
  const { template, refusal, groups, batchKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  return (
    <>
      <PageHeader
        title={`${t('couponIssue.title')}: ${pickLocalized(lang, template, 'name')}`}
        description={t('couponIssue.description', { code: template.code })}
        actions={
          <>
            <ButtonLink to="/admin/coupons/instances" variant="secondary">
              {t('couponIssue.instancesLink')}
            </ButtonLink>
            <ButtonLink to={`/admin/coupons/${template.id}`} variant="ghost">
              {t('common.back')}
            </ButtonLink>
          </>
        }
      />
      <p className="mb-4 text-sm text-stone-600">
        {t('couponIssue.template.status', {
          used: template.current_usage_count,
          max: template.max_total_usage ?? t('couponIssue.template.unlimited'),
          until: formatCampaignTime(template.valid_until, lang),
        })}
      </p>
      {refusal ? (
        <Alert tone="warning" className="mb-4">
          {t(
            refusal === 'INACTIVE'
              ? 'couponIssue.error.inactive'
              : refusal === 'EXPIRED'
                ? 'couponIssue.error.expired'
                : 'couponIssue.error.usageLimitReached',
          )}
        </Alert>
      ) : null}
      {actionData?.summary ? (
        <div className="mb-4">
          <IssueSummaryReport summary={actionData.summary} />
        </div>
      ) : null}
      <IssueForm
        batchKey={batchKey}
        groups={groups}
        lastResult={actionData?.summary ? null : actionData?.reply}
        progressPath={`/admin/coupons/${template.id}/issue?batch=${batchKey}`}
      />
    </>
  );
}
