import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { parseStoreId, requireRole } from '~/auth/guards.server';
import { StaffDetailView } from '~/features/staff/components/staff-detail';
import { isStaffIntent, submitStaffChange } from '~/features/staff/staff-action.server';
import { getStaffDetail, listStoreOptions } from '~/features/staff/staff.server';
import { metaTitle } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.staff');

function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, 'ADMIN');
  // the same positive-int rule as store ids
  const userId = parseStoreId(params.userId);
  const user = userId === null ? null : await getStaffDetail(context.db, userId);
  if (!user) throw notFound();
  const stores = await listStoreOptions(context.db);
  return json({ user, stores, isSelf: viewer.id === user.id });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, viewer);
  const userId = parseStoreId(params.userId);
  if (userId === null) throw notFound();
  const intent = formData.get('intent');
  if (!isStaffIntent(intent)) return json({ intent: null, reply: null }, { status: 400 });
  const outcome = await submitStaffChange(
    context.db,
    { userId: viewer.id, requestId: context.requestId, ip: context.clientIp },
    userId,
    intent,
    formData,
  );
  if (!outcome.ok) {
    if (outcome.status === 404) throw notFound();
    return json({ intent, reply: outcome.reply }, { status: outcome.status });
  }
  return redirect(`/admin/staff/${userId}?done=${intent}`);
}

export default function AdminStaffDetailRoute() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <StaffDetailView
      user={data.user}
      stores={data.stores}
      isSelf={data.isSelf}
      done={result ? null : searchParams.get('done')}
      result={
        result?.intent && result.reply ? { intent: result.intent, reply: result.reply } : null
      }
    />
  );
}
