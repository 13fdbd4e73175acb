import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { requireRole } from '~/auth/guards.server';
import { AreaPlaceholder } from '~/components/shell/area-placeholder';
import { metaTitle } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.stores');

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  return null;
}

export default function AdminStoresRoute() {
  return <AreaPlaceholder title="nav.admin.stores" description="shell.area.stores" icon="stores" />;
}
