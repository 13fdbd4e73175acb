import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { ScanLogPage } from '~/features/scans/components/scan-log-page';
import { afterActionHref, submitScanAction } from '~/features/scans/scan-action.server';
import { filterQuery } from '~/features/scans/scans-list.params';
import { CHAIN_TIME_ZONE } from '~/features/scans/scans-list.server';
import { loadScanLog } from '~/features/scans/scans-page.server';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.scans');

const ALL_STORES = { kind: 'all' } as const;

/** Every store's scans (RB-1 "Scan logs, manual matching: all"), in Moscow time (C-3). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  return json(
    await loadScanLog(context.db, {
      request,
      scope: ALL_STORES,
      timeZone: CHAIN_TIME_ZONE,
      withStoreFilter: true,
    }),
  );
}

/** Manual match / unmatch of any store's scan (OS-7). */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const outcome = await submitScanAction(context.db, {
    formData,
    scope: ALL_STORES,
    actor: { userId: user.id, requestId: context.requestId, ip: context.clientIp },
  });
  if (outcome.ok) return redirect(afterActionHref(request, outcome));
  if (outcome.status === 404) throw new Response('Not Found', { status: 404 });
  return json({ error: outcome.error }, { status: outcome.status });
}

export default function AdminScansRoute() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  return (
    <ScanLogPage
      data={data}
      description={t('scans.adminDescription')}
      csvHref={`/admin/scans.csv${filterQuery(data.filters, { withStore: true })}`}
      actionError={actionData?.error}
    />
  );
}
