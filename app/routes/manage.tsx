import type { LoaderFunctionArgs } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { requireUser } from '~/auth/guards.server';

// Guards only this layout: the store picker and every /manage/$storeId route check access themselves.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export default function ManageLayoutRoute() {
  return <Outlet />;
}
