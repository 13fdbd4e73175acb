import { dateFilter, defineListParams, idFilter, textFilter } from '~/utils/search-params';
import type { AuditFilters } from './audit-list.server';

/** URL state of the audit lists: always newest first, filters only (bad values are ignored). */
export const AUDIT_LIST = defineListParams({
  sortKeys: ['time'] as const,
  defaultSort: 'time',
  defaultDir: 'desc',
  defaultPageSize: 50,
  filters: {
    entity: textFilter(40),
    action: textFilter(60),
    actor: idFilter(),
    store: idFilter(),
    from: dateFilter(),
    to: dateFilter(),
  },
});

export type AuditListFilterValues = ReturnType<typeof AUDIT_LIST.parse>['filters'];

export function toAuditFilters(values: AuditListFilterValues): AuditFilters {
  return {
    entityType: values.entity,
    action: values.action,
    actorUserId: values.actor,
    storeId: values.store,
    from: values.from,
    to: values.to,
  };
}
