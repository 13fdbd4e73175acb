import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireCsrf } from '~/auth/csrf.server';
import { parseStoreId, requireRole } from '~/auth/guards.server';
import { Alert } from '~/components/ui/alert';
import { ZoneList } from '~/features/delivery/components/zone-list';
import { listZones } from '~/features/delivery/delivery.server';
import { submitZoneForm, ZONE_INTENTS } from '~/features/delivery/zone-action.server';
import { getStoreDetail } from '~/features/stores/stores.server';
import { metaTitle, useT } from '~/i18n/use-t';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'stores.tabs.zones');

function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' });
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const storeId = parseStoreId(params.storeId);
  const store = storeId === null ? null : await getStoreDetail(context.db, storeId);
  if (!store) throw notFound();
  const zones = await listZones(context.db, store.id);
  const point =
    store.latitude !== null && store.longitude !== null
      ? ([Number(store.latitude), Number(store.longitude)] as const)
      : null;
  return json({ storeId: store.id, deliveryEnabled: store.delivery_enabled, point, zones });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, 'ADMIN');
  const formData = await request.formData();
  requireCsrf(request, formData, user);
  const storeId = parseStoreId(params.storeId);
  const store = storeId === null ? null : await getStoreDetail(context.db, storeId);
  if (!store) throw notFound();
  const intent = formData.get('intent');
  if (typeof intent !== 'string' || !(ZONE_INTENTS as readonly string[]).includes(intent)) {
    return json({ intent: null, zoneId: null, reply: null }, { status: 400 });
  }
  let zoneId: number | null = null;
  if (intent === 'update') {
    zoneId = parseStoreId(String(formData.get('zoneId') ?? ''));
    if (zoneId === null) throw notFound();
  }
  const outcome = await submitZoneForm(
    context.db,
    { userId: user.id, requestId: context.requestId, ip: context.clientIp },
    store.id,
    formData,
    zoneId,
  );
  if (!outcome.ok) {
    if (outcome.status === 404) throw notFound();
    return json({ intent, zoneId, reply: outcome.reply }, { status: outcome.status });
  }
  return redirect(`/admin/stores/${store.id}/zones?saved=${outcome.zoneId}`);
}

export default function AdminStoreZonesRoute() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const t = useT();
  return (
    <>
      {searchParams.get('saved') && !result ? (
        <Alert tone="success" className="mb-4">
          {t('delivery.saved')}
        </Alert>
      ) : null}
      {!data.deliveryEnabled ? (
        <Alert tone="warning" className="mb-4">
          {t('delivery.disabledForStore')}
        </Alert>
      ) : null}
      <ZoneList
        point={data.point}
        zones={data.zones}
        result={result && result.reply ? { zoneId: result.zoneId, reply: result.reply } : null}
      />
    </>
  );
}
