import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { requireStoreAccess } from '~/auth/guards.server';
import { AreaPlaceholder } from '~/components/shell/area-placeholder';
import { metaTitle } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'nav.manage.availability');

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStoreAccess(request, params.storeId);
  return null;
}

export default function ManageStoreMenuRoute() {
  return (
    <AreaPlaceholder
      title="nav.manage.availability"
      description="shell.manage.area.availability"
      icon="availability"
    />
  );
}
