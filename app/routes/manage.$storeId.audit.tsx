import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireStoreAccess } from '~/auth/guards.server';
import { PageHeader } from '~/components/ui/page-header';
import { AUDIT_LIST, toAuditFilters } from '~/features/audit/audit-list.params';
import { listAuditFacets, listAuditLog } from '~/features/audit/audit-list.server';
import { AuditList } from '~/features/audit/components/audit-list';
import { metaTitle, useT } from '~/i18n/use-t';
import { pageWindow } from '~/utils/search-params';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'audit.title');

/** RB-1 "Audit log: own stores": only rows carrying this (verified) store's id. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { storeId } = await requireStoreAccess(request, params.storeId);
  const list = AUDIT_LIST.parse(request);
  const scope = { kind: 'stores', storeIds: [storeId] } as const;
  // the store filter of the admin page means nothing here; the scope is the store
  const filters = { ...toAuditFilters(list.filters), storeId: undefined };
  const [{ rows, total }, facets] = await Promise.all([
    listAuditLog(context.db, { scope, filters, ...pageWindow(list) }),
    listAuditFacets(context.db, { scope }),
  ]);
  return json({
    entries: rows,
    facets,
    filters: list.filters,
    pagination: { page: list.page, pageSize: list.pageSize, total },
  });
}

export default function ManageStoreAuditRoute() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.storeDescription')} />
      <AuditList
        entries={data.entries}
        facets={data.facets}
        filters={data.filters}
        pagination={data.pagination}
        showStore={false}
      />
    </>
  );
}
