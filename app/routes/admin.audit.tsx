import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/guards.server';
import { PageHeader } from '~/components/ui/page-header';
import { AUDIT_LIST, toAuditFilters } from '~/features/audit/audit-list.params';
import { listAuditFacets, listAuditLog } from '~/features/audit/audit-list.server';
import { AuditList } from '~/features/audit/components/audit-list';
import { metaTitle, useT } from '~/i18n/use-t';
import { pageWindow } from '~/utils/search-params';

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, 'audit.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, 'ADMIN');
  const params = AUDIT_LIST.parse(request);
  const scope = { kind: 'all' } as const;
  const [{ rows, total }, facets] = await Promise.all([
    listAuditLog(context.db, {
      scope,
      filters: toAuditFilters(params.filters),
      ...pageWindow(params),
    }),
    listAuditFacets(context.db, { scope }),
  ]);
  return json({
    entries: rows,
    facets,
    filters: params.filters,
    pagination: { page: params.page, pageSize: params.pageSize, total },
  });
}

export default function AdminAuditRoute() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.description')} />
      <AuditList
        entries={data.entries}
        facets={data.facets}
        filters={data.filters}
        pagination={data.pagination}
        showStore
      />
    </>
  );
}
