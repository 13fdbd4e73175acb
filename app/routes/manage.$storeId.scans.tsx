import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useParams } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireStoreAccess } from '~/auth/guards.server';
import { ScanLogPage } from '~/features/scans/components/scan-log-page';
import { afterActionHref, submitScanAction } from '~/features/scans/scan-action.server';
import { filterQuery } from '~/features/scans/scans-list.params';
import { getStoreTimeZone } from '~/features/scans/scans-list.server';
import { loadScanLog } from '~/features/scans/scans-page.server';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.manage.scans');

function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' });
}

/** This store's scans only (RB-1 "own stores"), in the store's time zone. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { storeId } = await requireStoreAccess(request, params.storeId);
  const timeZone = await getStoreTimeZone(context.db, storeId);
  if (!timeZone) throw notFound();
  return json(
    await loadScanLog(context.db, {
      request,
      scope: { kind: 'stores', storeIds: [storeId] },
      timeZone,
      withStoreFilter: false,
    }),
  );
}

/** Manual match / unmatch (OS-7); a scan of another store is not found here (RB-2). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, storeId } = await requireStoreAccess(request, params.storeId);
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const outcome = await submitScanAction(context.db, {
    formData,
    scope: { kind: 'stores', storeIds: [storeId] },
    actor: { userId: user.id, requestId: context.requestId, ip: context.clientIp },
  });
  if (outcome.ok) return redirect(afterActionHref(request, outcome));
  if (outcome.status === 404) throw notFound();
  return json({ error: outcome.error }, { status: outcome.status });
}

export default function ManageStoreScansRoute() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { storeId } = useParams();
  const t = useT();
  return (
    <ScanLogPage
      data={data}
      description={t('scans.storeDescription')}
      csvHref={`/manage/${storeId}/scans.csv${filterQuery(data.filters, { withStore: false })}`}
      actionError={actionData?.error}
    />
  );
}
