import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { isUnfinished } from '~/features/iiko-admin/components/format';
import { ImportPanel } from '~/features/iiko-admin/components/import-panel';
import { PageNotice } from '~/features/iiko-admin/components/page-notice';
import { useRefreshWhile } from '~/features/iiko-admin/components/use-refresh-while';
import {
  IMPORT_INTENTS,
  importActionSchema,
  parseId,
  parseNotice,
} from '~/features/iiko-admin/iiko-admin.schema';
import {
  getJob,
  getLatestJobId,
  listStopListStores,
} from '~/features/iiko-admin/iiko-admin.server';
import {
  importMenuNow,
  menuImportResource,
  stopListsNow,
} from '~/features/iiko-admin/iiko-admin.service.server';
import { metaTitle } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'iikoAdmin.import.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const url = new URL(request.url);
  const resourceId = menuImportResource();
  // ?job= names the import this page started; otherwise the newest import of the organisation
  const asked = parseId(url.searchParams.get('job'));
  let job = asked === null ? null : await getJob(context.db, asked);
  if (job && job.jobType !== 'MENU_IMPORT') job = null;
  if (!job) {
    const latest = await getLatestJobId(context.db, 'MENU_IMPORT', resourceId);
    job = latest === null ? null : await getJob(context.db, latest);
  }
  const stores = await listStopListStores(context.db);
  return json({
    resourceId,
    job,
    stopListStores: stores.length,
    notice: parseNotice(url.searchParams.get('notice')),
    stopLists: {
      enqueued: parseId(url.searchParams.get('enqueued')) ?? 0,
      already: parseId(url.searchParams.get('already')) ?? 0,
    },
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const parsed = importActionSchema.safeParse({ intent: formData.get('intent') });
  if (!parsed.success) throw new Response('Unknown intent', { status: 400 });
  const actor = { userId: user.id, requestId: context.requestId, ip: context.clientIp };

  if (parsed.data.intent === IMPORT_INTENTS.importMenu) {
    const outcome = await importMenuNow(context.db, actor);
    if (outcome.status === 'RACE') return redirect('/admin/iiko/import');
    const notice = outcome.status === 'ENQUEUED' ? 'enqueued' : 'alreadyQueued';
    return redirect(`/admin/iiko/import?job=${outcome.jobId}&notice=${notice}`);
  }
  const result = await stopListsNow(context.db, actor);
  const search = new URLSearchParams({ notice: 'stopListsEnqueued' });
  if (result.enqueued.length) search.set('enqueued', String(result.enqueued.length));
  if (result.alreadyQueued.length) search.set('already', String(result.alreadyQueued.length));
  return redirect(`/admin/iiko/import?${search}`);
}

export default function AdminIikoImportRoute() {
  const data = useLoaderData<typeof loader>();
  useRefreshWhile(data.job !== null && isUnfinished(data.job.status), 2_000);
  return (
    <>
      <PageNotice notice={data.notice === 'stopListsEnqueued' ? null : data.notice} />
      <ImportPanel
        resourceId={data.resourceId}
        job={data.job}
        stopListStores={data.stopListStores}
        stopLists={data.notice === 'stopListsEnqueued' ? data.stopLists : null}
      />
    </>
  );
}
