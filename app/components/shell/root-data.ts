import { useRouteLoaderData } from '@remix-run/react';
import type { loader as rootLoader } from '~/root';

/** The root loader's data; undefined when the root loader itself failed (root error boundary). */
export function useRootData() {
  return useRouteLoaderData<typeof rootLoader>('root');
}

/** The signed-in staff member as the root loader exposes it (no secrets besides the CSRF token). */
export function useOptionalStaff() {
  return useRootData()?.user ?? null;
}

export type RootStaff = NonNullable<ReturnType<typeof useOptionalStaff>>;
