import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { PageHeader } from '~/components/ui/page-header';
import { IikoTabs } from '~/features/iiko-admin/components/iiko-tabs';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.iiko');

/** Layout of /admin/iiko/*: header and tabs. Each child guards its own loader and action. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  return null;
}

export default function AdminIikoLayout() {
  const t = useT();
  return (
    <>
      <PageHeader title={t('nav.admin.iiko')} description={t('iikoAdmin.description')} />
      <IikoTabs />
      <Outlet />
    </>
  );
}
