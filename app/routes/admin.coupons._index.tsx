import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { TemplateList } from '~/features/coupons/components/template-list';
import { couponTemplateListParams } from '~/features/coupons/templates.schema';
import { listCouponTemplates } from '~/features/coupons/templates.server';
import { metaTitle, useT } from '~/i18n/use-t';
import { clampPage, pageWindow } from '~/utils/search-params';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.coupons');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const params = couponTemplateListParams.parse(request);
  const query = { q: params.q, ...params.filters, sort: params.sort, dir: params.dir };
  let result = await listCouponTemplates(context.db, { ...query, ...pageWindow(params) });
  const page = clampPage(params.page, result.total, params.pageSize);
  if (page !== params.page) {
    // a page past the end (hand-edited URL, list shrank) shows the last page
    result = await listCouponTemplates(context.db, {
      ...query,
      ...pageWindow({ ...params, page }),
    });
  }
  return json({
    templates: result.rows,
    params: { q: params.q, sort: params.sort, dir: params.dir, filters: params.filters },
    pagination: { page, pageSize: params.pageSize, total: result.total },
  });
}

export default function AdminCouponsIndexRoute() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHeader
        title={t('nav.admin.coupons')}
        description={t('couponTemplates.list.description')}
        actions={
          <ButtonLink to="/admin/coupons/new" variant="primary">
            {t('couponTemplates.list.new')}
          </ButtonLink>
        }
      />
      <TemplateList templates={data.templates} params={data.params} pagination={data.pagination} />
    </>
  );
}
