import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { parseStoreId as parseId, requireRole } from '~/auth/guards.server';
import { Alert } from '~/components/ui/alert';
import { ButtonLink } from '~/components/ui/button';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { PageHeader } from '~/components/ui/page-header';
import { listOpenCampaigns } from '~/features/campaigns/campaigns.server';
import {
  CodeRowActions,
  GenerateCodeForm,
  GENERATE_INTENT,
  TOGGLE_INTENT,
} from '~/features/influencers/components/code-actions';
import { InfluencerForm } from '~/features/influencers/components/influencer-form';
import { InfluencerStatusBadge } from '~/features/influencers/components/influencer-list';
import { PerformanceTable } from '~/features/influencers/components/performance-table';
import {
  submitCodeToggle,
  submitGenerateCode,
  submitInfluencerForm,
} from '~/features/influencers/influencer-action.server';
import { getInfluencerDetail, listPerformance } from '~/features/influencers/influencers.server';
import type { MessageKey } from '~/i18n/translate';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.influencers');

const UPDATE_INTENT = 'update';

function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const influencerId = parseId(params.influencerId);
  const influencer =
    influencerId === null ? null : await getInfluencerDetail(context.db, influencerId);
  if (!influencer) throw notFound();
  const [codes, campaigns] = await Promise.all([
    listPerformance(context.db, { influencerId: influencer.id }),
    listOpenCampaigns(context.db),
  ]);
  return json({ influencer, codes, campaigns });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const influencerId = parseId(params.influencerId);
  if (influencerId === null) throw notFound();
  const actor = { userId: user.id, requestId: context.requestId, ip: context.clientIp };
  const base = `/admin/influencers/${influencerId}`;
  const intent = formData.get('intent');
  switch (intent) {
    case UPDATE_INTENT: {
      const outcome = await submitInfluencerForm(context.db, actor, formData, influencerId);
      if (outcome.ok) return redirect(`${base}?saved=1`);
      if (outcome.status === 404) throw notFound();
      return json(
        { intent: UPDATE_INTENT, result: outcome.reply, error: null },
        { status: outcome.status },
      );
    }
    case GENERATE_INTENT:
    case TOGGLE_INTENT: {
      const outcome =
        intent === GENERATE_INTENT
          ? await submitGenerateCode(context.db, actor, formData, influencerId)
          : await submitCodeToggle(context.db, actor, formData, influencerId);
      if (outcome.ok) {
        const notice =
          intent === TOGGLE_INTENT ? 'toggled' : outcome.created ? 'created' : 'existing';
        return redirect(`${base}?code=${outcome.codeId}&notice=${notice}`);
      }
      if (outcome.status === 404) throw notFound();
      return json({ intent, result: null, error: outcome.error }, { status: outcome.status });
    }
    default:
      return json(
        { intent: null, result: null, error: { code: 'UNKNOWN_INTENT', message: 'error.generic' } },
        { status: 400 },
      );
  }
}

const NOTICES = {
  created: 'influencers.code.created',
  existing: 'influencers.code.existing',
  toggled: 'influencers.code.toggled',
} as const satisfies Record<string, MessageKey>;

export default function AdminInfluencerRoute() {
  const { influencer, codes, campaigns } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const noticeKey = searchParams.get('notice') as keyof typeof NOTICES | null;
  const noticeCode = codes.find((c) => String(c.code_id) === searchParams.get('code'));
  const notice = actionData
    ? null
    : noticeKey && noticeKey in NOTICES && noticeCode
      ? t(NOTICES[noticeKey], { code: noticeCode.code })
      : searchParams.get('saved')
        ? t('influencers.saved')
        : null;
  return (
    <div className="space-y-6">
      <PageHeader
        className="mb-0"
        eyebrow={<InfluencerStatusBadge status={influencer.status} />}
        title={influencer.name}
        description={[influencer.social_platform, influencer.social_handle]
          .filter(Boolean)
          .join(' · ')}
        actions={
          <>
            <ButtonLink
              to={`/admin/influencers/report.csv?influencerId=${influencer.id}`}
              reloadDocument
              variant="secondary"
            >
              {t('influencers.export')}
            </ButtonLink>
            <ButtonLink to="/admin/influencers" variant="ghost">
              {t('common.back')}
            </ButtonLink>
          </>
        }
      />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {actionData?.error ? (
        <Alert tone="danger">{t(actionData.error.message as MessageKey)}</Alert>
      ) : null}
      <Card>
        <CardHeader
          title={t('influencers.generate.title')}
          description={t('influencers.generate.hint')}
        />
        <CardBody>
          {influencer.status === 'ACTIVE' ? null : (
            <p className="mb-3 text-sm text-amber-700">{t('influencers.generate.notActive')}</p>
          )}
          <GenerateCodeForm campaigns={campaigns} disabled={influencer.status !== 'ACTIVE'} />
        </CardBody>
      </Card>
      <section className="space-y-2">
        <h2 className="text-sm font-semibold text-stone-900">{t('influencers.section.codes')}</h2>
        <p className="text-xs text-stone-500">{t('influencers.perf.note')}</p>
        <PerformanceTable
          rows={codes}
          view="influencer"
          actions={(row) => <CodeRowActions row={row} />}
        />
      </section>
      <InfluencerForm
        influencer={influencer}
        intent={UPDATE_INTENT}
        lastResult={actionData?.intent === UPDATE_INTENT ? actionData.result : undefined}
        submitLabel="common.save"
      />
    </div>
  );
}
