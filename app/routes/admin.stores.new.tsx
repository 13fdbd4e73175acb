import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { requireCsrf } from '~/auth/csrf.server';
import { ButtonLink } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/page-header';
import { NEW_STORE_DEFAULTS, StoreForm } from '~/features/stores/components/store-form';
import { submitStoreForm } from '~/features/stores/store-action.server';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'stores.new.title');

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const outcome = await submitStoreForm(
    context.db,
    { userId: user.id, requestId: context.requestId, ip: context.clientIp },
    formData,
    null,
  );
  if (!outcome.ok) return json(outcome.reply, { status: outcome.status });
  return redirect(`/admin/stores/${outcome.storeId}?saved=1`);
}

export default function AdminStoreNewRoute() {
  const lastResult = useActionData<typeof action>();
  const t = useT();
  return (
    <>
      <PageHeader
        title={t('stores.new.title')}
        actions={
          <ButtonLink to="/admin/stores" variant="ghost">
            {t('common.back')}
          </ButtonLink>
        }
      />
      <StoreForm
        store={NEW_STORE_DEFAULTS}
        lastResult={lastResult}
        submitLabel="stores.new.submit"
      />
    </>
  );
}
