import { useRouteLoaderData } from '@remix-run/react';
import type { loader as manageStoreLoader } from '~/routes/manage.$storeId';

export const MANAGE_STORE_ROUTE_ID = 'routes/manage.$storeId';

/**
 * The /manage/$storeId layout's data (current store, the user's stores) for the layout's children
 * and error boundary; undefined when the layout's own loader failed (no access).
 */
export function useManageStore() {
  return useRouteLoaderData<typeof manageStoreLoader>(MANAGE_STORE_ROUTE_ID);
}

export type ManageStoreData = NonNullable<ReturnType<typeof useManageStore>>;
