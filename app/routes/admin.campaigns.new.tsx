import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { submitCampaignForm } from '~/features/campaigns/campaign-action.server';
import { CampaignForm, newCampaignDefaults } from '~/features/campaigns/components/campaign-form';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'campaigns.new.title');

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  // computed once on the server so the hydrated form shows the same dates
  return json({ defaults: newCampaignDefaults() });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const outcome = await submitCampaignForm(
    context.db,
    { userId: user.id, requestId: context.requestId, ip: context.clientIp },
    formData,
    null,
  );
  if (!outcome.ok) return json(outcome.reply, { status: outcome.status });
  return redirect(`/admin/campaigns/${outcome.campaignId}?saved=1`);
}

export default function AdminCampaignNewRoute() {
  const { defaults } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const t = useT();
  return (
    <>
      <PageHeader
        title={t('campaigns.new.title')}
        actions={
          <ButtonLink to="/admin/campaigns" variant="ghost">
            {t('common.back')}
          </ButtonLink>
        }
      />
      <CampaignForm
        campaign={defaults}
        lastResult={lastResult}
        submitLabel="campaigns.new.submit"
      />
    </>
  );
}
