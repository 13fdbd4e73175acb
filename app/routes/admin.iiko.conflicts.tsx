import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { requireRole } from '~/auth/guards.server';
import { ConflictList } from '~/features/iiko-admin/components/conflict-list';
import { PageNotice } from '~/features/iiko-admin/components/page-notice';
import {
  acceptIikoSchema,
  CONFLICT_LIST,
  parseNotice,
} from '~/features/iiko-admin/iiko-admin.schema';
import { listOverrideConflicts } from '~/features/iiko-admin/iiko-admin.server';
import { acceptIikoValuesOf } from '~/features/iiko-admin/iiko-admin.service.server';
import { metaTitle, useT } from '~/i18n/use-t';
import { clampPage, pageWindow } from '~/utils/search-params';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'iikoAdmin.conflicts.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const params = CONFLICT_LIST.parse(request);
  let result = await listOverrideConflicts(context.db, pageWindow(params));
  const page = clampPage(params.page, result.total, params.pageSize);
  if (page !== params.page) {
    result = await listOverrideConflicts(context.db, pageWindow({ ...params, page }));
  }
  return json({
    rows: result.rows,
    pagination: { page, pageSize: params.pageSize, total: result.total },
    notice: parseNotice(new URL(request.url).searchParams.get('notice')),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const parsed = acceptIikoSchema.safeParse({
    intent: formData.get('intent'),
    product_id: formData.get('product_id'),
  });
  if (!parsed.success) throw new Response('Bad Request', { status: 400 });
  const actor = { userId: user.id, requestId: context.requestId, ip: context.clientIp };
  const result = await acceptIikoValuesOf(context.db, actor, parsed.data.product_id);
  if (result === 'NOT_FOUND') throw new Response('Not Found', { status: 404 });
  return redirect('/admin/iiko/conflicts?notice=accepted');
}

export default function AdminIikoConflictsRoute() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <p className="mb-4 text-sm text-stone-600">{t('iikoAdmin.conflicts.description')}</p>
      <PageNotice notice={data.notice} />
      <ConflictList rows={data.rows} pagination={data.pagination} />
    </>
  );
}
