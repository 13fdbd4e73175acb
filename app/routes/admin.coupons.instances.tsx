import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { PageHeader } from '~/components/ui/page-header';
import {
  InstanceFilters,
  InstanceOperationsForm,
  InstanceTable,
} from '~/features/coupons/components/instance-list';
import { instanceListParams } from '~/features/coupons/instances.schema';
import { listInstances, listTemplateOptions } from '~/features/coupons/instances.server';
import { submitInstanceOperation } from '~/features/coupons/instances.service.server';
import { metaTitle, useT } from '~/i18n/use-t';
import { clampPage, pageWindow } from '~/utils/search-params';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'couponInstances.title');

function countParam(url: URL, name: string): number | null {
  const v = url.searchParams.get(name);
  return v && /^[0-9]{1,9}$/.test(v) ? Number(v) : null;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const params = instanceListParams.parse(request);
  const query = { ...params.filters, sort: params.sort, dir: params.dir };
  let result = await listInstances(context.db, { ...query, ...pageWindow(params) });
  const page = clampPage(params.page, result.total, params.pageSize);
  if (page !== params.page) {
    result = await listInstances(context.db, { ...query, ...pageWindow({ ...params, page }) });
  }
  const url = new URL(request.url);
  const changed = countParam(url, 'changed');
  const skipped = countParam(url, 'skipped');
  return json({
    instances: result.rows,
    templates: await listTemplateOptions(context.db),
    params: { sort: params.sort, dir: params.dir, filters: params.filters },
    pagination: { page, pageSize: params.pageSize, total: result.total },
    done: changed !== null ? { changed, skipped: skipped ?? 0 } : null,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const outcome = await submitInstanceOperation(
    context.db,
    { userId: user.id, requestId: context.requestId, ip: context.clientIp },
    formData,
  );
  if (!outcome.ok) {
    return json({ reply: outcome.reply, error: outcome.error ?? null }, { status: outcome.status });
  }
  // back to the same list (filters and page kept) with the counts to show
  const url = new URL(request.url);
  url.searchParams.set('changed', String(outcome.changed));
  url.searchParams.set('skipped', String(outcome.skipped));
  return redirect(`${url.pathname}${url.search}`);
}

export default function AdminCouponInstancesRoute() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  return (
    <>
      <PageHeader
        title={t('couponInstances.title')}
        description={t('couponInstances.description')}
      />
      <InstanceFilters filters={data.params.filters} templates={data.templates} />
      <InstanceTable
        rows={data.instances}
        sort={{ sort: data.params.sort, dir: data.params.dir }}
        pagination={data.pagination}
      />
      <InstanceOperationsForm lastResult={actionData?.reply} done={actionData ? null : data.done} />
    </>
  );
}
