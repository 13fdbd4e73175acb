import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { CampaignList } from '~/features/campaigns/components/campaign-list';
import { campaignListParams } from '~/features/campaigns/campaigns.schema';
import { listCampaigns } from '~/features/campaigns/campaigns.server';
import { metaTitle, useT } from '~/i18n/use-t';
import { clampPage, pageWindow } from '~/utils/search-params';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.campaigns');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const params = campaignListParams.parse(request);
  const query = { q: params.q, ...params.filters, sort: params.sort, dir: params.dir };
  let result = await listCampaigns(context.db, { ...query, ...pageWindow(params) });
  const page = clampPage(params.page, result.total, params.pageSize);
  if (page !== params.page) {
    // a page past the end (hand-edited URL, list shrank) shows the last page
    result = await listCampaigns(context.db, { ...query, ...pageWindow({ ...params, page }) });
  }
  return json({
    campaigns: result.rows,
    params: { q: params.q, sort: params.sort, dir: params.dir, filters: params.filters },
    pagination: { page, pageSize: params.pageSize, total: result.total },
  });
}

export default function AdminCampaignsIndexRoute() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHeader
        title={t('nav.admin.campaigns')}
        description={t('campaigns.list.description')}
        actions={
          <>
            <ButtonLink to="/admin/influencers/report.csv" reloadDocument variant="secondary">
              {t('campaigns.export')}
            </ButtonLink>
            <ButtonLink to="/admin/campaigns/new" variant="primary">
              {t('campaigns.list.new')}
            </ButtonLink>
          </>
        }
      />
      <CampaignList campaigns={data.campaigns} params={data.params} pagination={data.pagination} />
    </>
  );
}
