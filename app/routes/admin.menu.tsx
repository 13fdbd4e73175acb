import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { requireRole } from '~/auth/guards.server';
import { AreaPlaceholder } from '~/components/shell/area-placeholder';
import { metaTitle } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.admin.menu');

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  return null;
}

export default function AdminMenuRoute() {
  return <AreaPlaceholder title="nav.admin.menu" description="shell.area.menu" icon="menu" />;
}
