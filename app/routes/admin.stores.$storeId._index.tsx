import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { parseStoreId, requireRole } from '~/auth/guards.server';
import { Alert } from '~/components/ui/alert';
import { ScanKeyCard } from '~/features/scans/components/scan-key-panel';
import { StoreForm } from '~/features/stores/components/store-form';
import { submitStoreForm } from '~/features/stores/store-action.server';
import { getStoreDetail } from '~/features/stores/stores.server';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'stores.edit.title');

function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const storeId = parseStoreId(params.storeId);
  const store = storeId === null ? null : await getStoreDetail(context.db, storeId);
  if (!store) throw notFound();
  const { id: _id, ...values } = store;
  return json({ store: values });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const storeId = parseStoreId(params.storeId);
  if (storeId === null) throw notFound();
  const outcome = await submitStoreForm(
    context.db,
    { userId: user.id, requestId: context.requestId, ip: context.clientIp },
    formData,
    storeId,
  );
  if (!outcome.ok) {
    if (outcome.status === 404) throw notFound();
    return json(outcome.reply, { status: outcome.status });
  }
  return redirect(`/admin/stores/${storeId}?saved=1`);
}

export default function AdminStoreEditRoute() {
  const { store } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const t = useT();
  return (
    <>
      {searchParams.get('saved') && !lastResult ? (
        <Alert tone="success" className="mb-4">
          {t('stores.saved')}
        </Alert>
      ) : null}
      <StoreForm store={store} lastResult={lastResult} submitLabel="common.save" />
      <ScanKeyCard />
    </>
  );
}
