import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import {
  InfluencerForm,
  NEW_INFLUENCER_DEFAULTS,
} from '~/features/influencers/components/influencer-form';
import { submitInfluencerForm } from '~/features/influencers/influencer-action.server';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'influencers.new.title');

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const outcome = await submitInfluencerForm(
    context.db,
    { userId: user.id, requestId: context.requestId, ip: context.clientIp },
    formData,
    null,
  );
  if (!outcome.ok) return json(outcome.reply, { status: outcome.status });
  return redirect(`/admin/influencers/${outcome.influencerId}?saved=1`);
}

export default function AdminInfluencerNewRoute() {
  const lastResult = useActionData<typeof action>();
  const t = useT();
  return (
    <>
      <PageHeader
        title={t('influencers.new.title')}
        actions={
          <ButtonLink to="/admin/influencers" variant="ghost">
            {t('common.back')}
          </ButtonLink>
        }
      />
      <InfluencerForm
        influencer={NEW_INFLUENCER_DEFAULTS}
        lastResult={lastResult}
        submitLabel="influencers.new.submit"
      />
    </>
  );
}
