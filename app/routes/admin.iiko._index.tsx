import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { JobList } from '~/features/iiko-admin/components/job-list';
import { JOB_LIST } from '~/features/iiko-admin/iiko-admin.schema';
import { listJobs } from '~/features/iiko-admin/iiko-admin.server';
import { metaTitle } from '~/i18n/use-t';
import { clampPage, pageWindow } from '~/utils/search-params';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'iikoAdmin.jobs.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const params = JOB_LIST.parse(request);
  const query = { filters: params.filters, sort: params.sort, dir: params.dir };
  let result = await listJobs(context.db, { ...query, ...pageWindow(params) });
  const page = clampPage(params.page, result.total, params.pageSize);
  if (page !== params.page) {
    // a page past the end (the list shrank, or a hand-edited URL) shows the last page
    result = await listJobs(context.db, { ...query, ...pageWindow({ ...params, page }) });
  }
  return json({
    jobs: result.rows,
    params: { sort: params.sort, dir: params.dir, filters: params.filters },
    pagination: { page, pageSize: params.pageSize, total: result.total },
  });
}

export default function AdminIikoJobsRoute() {
  const data = useLoaderData<typeof loader>();
  return <JobList jobs={data.jobs} params={data.params} pagination={data.pagination} />;
}
