import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { JobAttempts } from '~/features/iiko-admin/components/job-attempts';
import {
  JobActions,
  JobOverview,
  JobPayloadAndResult,
} from '~/features/iiko-admin/components/job-detail';
import { isUnfinished } from '~/features/iiko-admin/components/format';
import { PageNotice } from '~/features/iiko-admin/components/page-notice';
import { useRefreshWhile } from '~/features/iiko-admin/components/use-refresh-while';
import {
  JOB_INTENTS,
  jobActionSchema,
  parseId,
  parseNotice,
} from '~/features/iiko-admin/iiko-admin.schema';
import { getJob, listJobAttempts } from '~/features/iiko-admin/iiko-admin.server';
import { retryJob, runJobNow } from '~/features/iiko-admin/iiko-admin.service.server';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'iikoAdmin.job.title');

function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const id = parseId(params.jobId);
  const job = id === null ? null : await getJob(context.db, id);
  if (!job) throw notFound();
  const attempts = await listJobAttempts(context.db, job.id);
  const notice = parseNotice(new URL(request.url).searchParams.get('notice'));
  return json({ job, attempts, notice });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const id = parseId(params.jobId);
  if (id === null) throw notFound();
  const parsed = jobActionSchema.safeParse({ intent: formData.get('intent') });
  if (!parsed.success) throw new Response('Unknown intent', { status: 400 });
  const actor = { userId: user.id, requestId: context.requestId, ip: context.clientIp };

  if (parsed.data.intent === JOB_INTENTS.retry) {
    const result = await retryJob(context.db, actor, id);
    if (result === 'NOT_FOUND') throw notFound();
    if (result !== 'OK') return json({ error: result }, { status: 409 });
    return redirect(`/admin/iiko/jobs/${id}?notice=retried`);
  }
  const outcome = await runJobNow(context.db, actor, id);
  switch (outcome.status) {
    case 'NOT_FOUND':
      throw notFound();
    case 'ORDER_PUSH':
    case 'RACE':
      return json({ error: outcome.status }, { status: 409 });
    case 'ENQUEUED':
      return redirect(`/admin/iiko/jobs/${outcome.jobId}?notice=enqueued`);
    case 'ALREADY_QUEUED':
      return redirect(`/admin/iiko/jobs/${outcome.jobId}?notice=alreadyQueued`);
  }
}

export default function AdminIikoJobRoute() {
  const { job, attempts, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  useRefreshWhile(isUnfinished(job.status), 3_000);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <Link to="/admin/iiko" className="text-sm text-stone-500 hover:underline">
            ← {t('iikoAdmin.jobs.title')}
          </Link>
          <h2 className="text-lg font-semibold text-stone-900">
            {t('iikoAdmin.job.heading', { id: job.id })}
          </h2>
        </div>
        <JobActions job={job} />
      </div>
      <PageNotice notice={actionData ? null : notice} error={actionData?.error} />
      <JobOverview job={job} />
      <JobPayloadAndResult job={job} />
      <JobAttempts attempts={attempts} />
    </div>
  );
}
