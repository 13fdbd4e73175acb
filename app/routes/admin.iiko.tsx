import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { requireRole } from '~/auth/guards.server';
import { AreaPlaceholder } from '~/components/shell/area-placeholder';
import { metaTitle } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.iiko');

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  return null;
}

export default function AdminIikoRoute() {
  return <AreaPlaceholder title="nav.admin.iiko" description="shell.area.iiko" icon="iiko" />;
}
