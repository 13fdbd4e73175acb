import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { parseStoreId as parseId, requireRole } from '~/auth/guards.server';
import { Alert } from '~/components/ui/alert';
import { ButtonLink } from '~/components/ui/button';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { PageHeader } from '~/components/ui/page-header';
import {
  submitCampaignForm,
  submitCampaignTransition,
} from '~/features/campaigns/campaign-action.server';
import { formatCampaignTime } from '~/features/campaigns/campaign-time';
import {
  getCampaignCouponStats,
  getCampaignDetail,
  listAttributedOrders,
} from '~/features/campaigns/campaigns.server';
import { CampaignForm } from '~/features/campaigns/components/campaign-form';
import { AttributedOrders, CampaignStats } from '~/features/campaigns/components/campaign-report';
import {
  CampaignLifecycle,
  CampaignStatusBadge,
  TRANSITION_INTENT,
} from '~/features/campaigns/components/campaign-status';
import { performanceTotals } from '~/features/influencers/commission';
import { PerformanceTable } from '~/features/influencers/components/performance-table';
import { listPerformance } from '~/features/influencers/influencers.server';
import type { MessageKey } from '~/i18n/translate';
import { metaTitle, pickLocalized, useLang, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.campaigns');

const UPDATE_INTENT = 'update';

function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const campaignId = parseId(params.campaignId);
  const campaign = campaignId === null ? null : await getCampaignDetail(context.db, campaignId);
  if (!campaign) throw notFound();
  const [codes, coupons, orders] = await Promise.all([
    listPerformance(context.db, { campaignId: campaign.id }),
    getCampaignCouponStats(context.db, campaign.code),
    listAttributedOrders(context.db, campaign.id),
  ]);
  return json({ campaign, codes, coupons, orders, totals: performanceTotals(codes) });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const campaignId = parseId(params.campaignId);
  if (campaignId === null) throw notFound();
  const actor = { userId: user.id, requestId: context.requestId, ip: context.clientIp };
  const intent = formData.get('intent');
  switch (intent) {
    case UPDATE_INTENT: {
      const outcome = await submitCampaignForm(context.db, actor, formData, campaignId);
      if (outcome.ok) return redirect(`/admin/campaigns/${campaignId}?saved=1`);
      if (outcome.status === 404) throw notFound();
      return json(
        { intent: UPDATE_INTENT, result: outcome.reply, error: null },
        { status: outcome.status },
      );
    }
    case TRANSITION_INTENT: {
      const outcome = await submitCampaignTransition(context.db, actor, formData, campaignId);
      if (outcome.ok) return redirect(`/admin/campaigns/${campaignId}?transitioned=1`);
      if (outcome.status === 404) throw notFound();
      return json(
        { intent: TRANSITION_INTENT, result: null, error: outcome.error },
        { status: outcome.status },
      );
    }
    default:
      return json(
        { intent: null, result: null, error: { code: 'UNKNOWN_INTENT', message: 'error.generic' } },
        { status: 400 },
      );
  }
}

export default function AdminCampaignRoute() {
  const { campaign, codes, coupons, orders, totals } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const lang = useLang();
  const notice = actionData
    ? null
    : searchParams.get('saved')
      ? t('campaigns.saved')
      : searchParams.get('transitioned')
        ? t('campaigns.transition.done')
        : null;
  return (
    <div className="space-y-6">
      <PageHeader
        className="mb-0"
        eyebrow={
          <span className="flex items-center gap-2">
            <span className="font-mono text-xs text-stone-500">{campaign.code}</span>
            <CampaignStatusBadge status={campaign.status} />
          </span>
        }
        title={pickLocalized(lang, campaign, 'name')}
        description={`${t(`campaigns.type.${campaign.type}`)} · ${formatCampaignTime(campaign.start_at, lang)} — ${formatCampaignTime(campaign.end_at, lang)}`}
        actions={
          <>
            <ButtonLink
              to={`/admin/influencers/report.csv?campaignId=${campaign.id}`}
              reloadDocument
              variant="secondary"
            >
              {t('campaigns.export')}
            </ButtonLink>
            <ButtonLink to="/admin/campaigns" variant="ghost">
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
          title={t('campaigns.lifecycle.title')}
          description={t('campaigns.lifecycle.hint')}
        />
        <CardBody>
          <CampaignLifecycle status={campaign.status} />
        </CardBody>
      </Card>
      <CampaignStats
        totals={totals}
        budgetKopecks={campaign.budget_kopecks}
        coupons={coupons}
        campaignCode={campaign.code}
      />
      <section className="space-y-2">
        <h2 className="text-sm font-semibold text-stone-900">{t('campaigns.section.codes')}</h2>
        <p className="text-xs text-stone-500">{t('influencers.perf.note')}</p>
        {codes.length === 0 ? (
          <Alert tone="info">
            {t('campaigns.codes.empty')}{' '}
            <a href="/admin/influencers" className="font-medium underline">
              {t('campaigns.codes.toInfluencers')}
            </a>
          </Alert>
        ) : (
          <PerformanceTable rows={codes} view="campaign" />
        )}
      </section>
      <AttributedOrders orders={orders} />
      <CampaignForm
        campaign={campaign}
        intent={UPDATE_INTENT}
        lastResult={actionData?.intent === UPDATE_INTENT ? actionData.result : undefined}
        submitLabel="common.save"
      />
    </div>
  );
}
