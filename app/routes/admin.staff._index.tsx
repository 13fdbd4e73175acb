import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { PageHeader } from '~/components/ui/page-header';
import { StaffCreateForm } from '~/features/staff/components/staff-create-form';
import { StaffList } from '~/features/staff/components/staff-list';
import { submitCreateStaff } from '~/features/staff/staff-action.server';
import { staffListParams } from '~/features/staff/staff.schema';
import { listStaff, listStoreOptions } from '~/features/staff/staff.server';
import { metaTitle, useT } from '~/i18n/use-t';
import { clampPage, pageWindow } from '~/utils/search-params';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.staff');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const params = staffListParams.parse(request);
  const query = { q: params.q, ...params.filters, sort: params.sort, dir: params.dir };
  let result = await listStaff(context.db, { ...query, ...pageWindow(params) });
  const page = clampPage(params.page, result.total, params.pageSize);
  if (page !== params.page) {
    result = await listStaff(context.db, { ...query, ...pageWindow({ ...params, page }) });
  }
  const stores = await listStoreOptions(context.db);
  return json({
    staff: result.rows,
    stores,
    params: { q: params.q, sort: params.sort, dir: params.dir, filters: params.filters },
    pagination: { page, pageSize: params.pageSize, total: result.total },
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  if (formData.get('intent') !== 'create') {
    return json({ reply: null }, { status: 400 });
  }
  const outcome = await submitCreateStaff(
    context.db,
    { userId: user.id, requestId: context.requestId, ip: context.clientIp },
    formData,
  );
  if (!outcome.ok) return json({ reply: outcome.reply }, { status: outcome.status });
  return redirect(`/admin/staff/${outcome.userId}?done=created`);
}

export default function AdminStaffIndexRoute() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <>
      <PageHeader title={t('nav.admin.staff')} description={t('staff.list.description')} />
      <StaffList staff={data.staff} params={data.params} pagination={data.pagination} />
      <StaffCreateForm stores={data.stores} lastResult={result?.reply ?? null} />
    </>
  );
}
