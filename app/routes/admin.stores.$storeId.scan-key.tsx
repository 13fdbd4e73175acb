import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { parseStoreId, requireRole } from '~/auth/guards.server';
import { ScanKeyPanel } from '~/features/scans/components/scan-key-panel';
import { getScanKeyStatus } from '~/features/scans/device-key.server';
import { revokeDeviceKey, rotateDeviceKey } from '~/features/scans/device-key.service.server';
import { REVOKE_KEY_INTENT, ROTATE_KEY_INTENT } from '~/features/scans/scans.schema';
import { metaTitle } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'scans.key.title');

function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' });
}

/** The store's scan device key (OS-2; RB-1 "device keys": ADMIN only). The key itself is never read. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const storeId = parseStoreId(params.storeId);
  const status = storeId === null ? null : await getScanKeyStatus(context.db, storeId);
  if (!status) throw notFound();
  return json({
    view: {
      hasKey: status.hasKey,
      lastRotatedAt: status.lastRotatedAt?.toISOString() ?? null,
      lastRevokedAt: status.lastRevokedAt?.toISOString() ?? null,
    },
  });
}

/**
 * rotate: a new key replaces the old one at once and is answered in this response only (no
 * redirect, so it never lands in a URL or the history); revoke: the store's devices are refused.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const storeId = parseStoreId(params.storeId);
  if (storeId === null) throw notFound();
  const actor = { userId: user.id, requestId: context.requestId, ip: context.clientIp };
  switch (formData.get('intent')) {
    case ROTATE_KEY_INTENT: {
      const rotated = await rotateDeviceKey(context.db, actor, storeId);
      if (!rotated) throw notFound();
      return json({ key: rotated.key }, { headers: { 'Cache-Control': 'no-store' } });
    }
    case REVOKE_KEY_INTENT: {
      const revoked = await revokeDeviceKey(context.db, actor, storeId);
      if (!revoked) throw notFound();
      return redirect(`/admin/stores/${storeId}/scan-key?revoked=1`);
    }
    default:
      return json({ key: null, error: 'UNKNOWN_INTENT' }, { status: 400 });
  }
}

export default function AdminStoreScanKeyRoute() {
  const { view } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const newKey = actionData && 'key' in actionData ? actionData.key : null;
  return (
    <ScanKeyPanel
      view={view}
      newKey={newKey ?? null}
      revoked={searchParams.get('revoked') === '1'}
    />
  );
}
