import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { InfluencerList } from '~/features/influencers/components/influencer-list';
import { influencerListParams } from '~/features/influencers/influencers.schema';
import { listInfluencers } from '~/features/influencers/influencers.server';
import { metaTitle, useT } from '~/i18n/use-t';
import { clampPage, pageWindow } from '~/utils/search-params';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.influencers');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const params = influencerListParams.parse(request);
  const query = { q: params.q, ...params.filters, sort: params.sort, dir: params.dir };
  let result = await listInfluencers(context.db, { ...query, ...pageWindow(params) });
  const page = clampPage(params.page, result.total, params.pageSize);
  if (page !== params.page) {
    result = await listInfluencers(context.db, { ...query, ...pageWindow({ ...params, page }) });
  }
  return json({
    influencers: result.rows,
    params: { q: params.q, sort: params.sort, dir: params.dir, filters: params.filters },
    pagination: { page, pageSize: params.pageSize, total: result.total },
  });
}

export default function AdminInfluencersIndexRoute() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHeader
        title={t('nav.admin.influencers')}
        description={t('influencers.list.description')}
        actions={
          <>
            <ButtonLink to="/admin/influencers/report.csv" reloadDocument variant="secondary">
              {t('influencers.export')}
            </ButtonLink>
            <ButtonLink to="/admin/influencers/new" variant="primary">
              {t('influencers.list.new')}
            </ButtonLink>
          </>
        }
      />
      <InfluencerList
        influencers={data.influencers}
        params={data.params}
        pagination={data.pagination}
      />
    </>
  );
}
