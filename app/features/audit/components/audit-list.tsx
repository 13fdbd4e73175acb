import {
  DataTable,
  FilterSelect,
  ListFilters,
  type DataTableColumn,
} from '~/components/data-table';
import { Badge } from '~/components/ui/badge';
import { Input, Label } from '~/components/ui/input';
import type { Lang } from '~/i18n/languages';
import type { Translate } from '~/i18n/translate';
import { useLang, useT } from '~/i18n/use-t';
import type { AuditListFilterValues } from '../audit-list.params';
import { AuditDiff } from './audit-diff';

export interface AuditListEntry {
  id: number;
  /** ISO instant (serialised by the loader). */
  createdAt: string;
  actorType: string;
  actorUserId: number | null;
  actorName: string | null;
  actorMemberId: number | null;
  storeId: number | null;
  storeCode: string | null;
  action: string;
  entityType: string;
  entityId: string;
  /** Optional: JSON serialisation types `unknown` members as optional. */
  before?: unknown;
  after?: unknown;
  reason: string | null;
}

export interface AuditListFacets {
  entityTypes: string[];
  actions: string[];
  actors: { id: number; name: string }[];
  stores: { id: number; code: string }[];
}

const LOCALES: Record<Lang, string> = { ru: 'ru-RU', zh: 'zh-CN', en: 'en-GB' };

/** Server and browser format the same instant in the same zone, so hydration matches. */
function formatTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: 'Europe/Moscow',
    dateStyle: 'short',
    timeStyle: 'medium',
  }).format(new Date(iso));
}

function actorLabel(entry: AuditListEntry, t: Translate): string {
  switch (entry.actorType) {
    case 'USER':
      return entry.actorName ?? t('audit.actor.USER', { id: entry.actorUserId ?? '?' });
    case 'MEMBER':
      return t('audit.actor.MEMBER', { id: entry.actorMemberId ?? '?' });
    case 'STORE_DEVICE':
      return t('audit.actor.STORE_DEVICE');
    default:
      return t('audit.actor.SYSTEM');
  }
}

export function AuditList({
  entries,
  facets,
  filters,
  pagination,
  showStore,
}: {
  entries: readonly AuditListEntry[];
  facets: AuditListFacets;
  filters: AuditListFilterValues;
  pagination: { page: number; pageSize: number; total: number };
  /** The store column and filter (admin view); a single store's page leaves them out. */
  showStore: boolean;
}) {
  const t = useT();
  const lang = useLang();
  const columns: DataTableColumn<AuditListEntry>[] = [
    {
      id: 'time',
      header: t('audit.column.time'),
      className: 'whitespace-nowrap',
      cell: (e) => <time dateTime={e.createdAt}>{formatTime(e.createdAt, lang)}</time>,
    },
    { id: 'actor', header: t('audit.column.actor'), cell: (e) => actorLabel(e, t) },
    {
      id: 'action',
      header: t('audit.column.action'),
      cell: (e) => (
        <div className="space-y-1">
          <Badge tone="info" className="font-mono">
            {e.action}
          </Badge>
          {e.reason ? (
            <p className="text-xs text-stone-500">{t('audit.reason', { reason: e.reason })}</p>
          ) : null}
        </div>
      ),
    },
    {
      id: 'entity',
      header: t('audit.column.entity'),
      cell: (e) => (
        <span className="font-mono text-xs">
          {e.entityType} #{e.entityId}
        </span>
      ),
    },
    ...(showStore
      ? [
          {
            id: 'store',
            header: t('audit.column.store'),
            cell: (e: AuditListEntry) => e.storeCode ?? '—',
          },
        ]
      : []),
    {
      id: 'changes',
      header: t('audit.column.changes'),
      className: 'min-w-64',
      cell: (e) => <AuditDiff before={e.before} after={e.after} />,
    },
  ];

  return (
    <>
      <ListFilters>
        <FilterSelect
          name="entity"
          label={t('audit.filter.entityType')}
          value={filters.entity}
          options={facets.entityTypes.map((v) => ({ value: v, label: v }))}
        />
        <FilterSelect
          name="action"
          label={t('audit.filter.action')}
          value={filters.action}
          options={facets.actions.map((v) => ({ value: v, label: v }))}
        />
        <FilterSelect
          name="actor"
          label={t('audit.filter.actor')}
          value={filters.actor === undefined ? undefined : String(filters.actor)}
          options={facets.actors.map((a) => ({ value: String(a.id), label: a.name }))}
        />
        {showStore ? (
          <FilterSelect
            name="store"
            label={t('audit.filter.store')}
            value={filters.store === undefined ? undefined : String(filters.store)}
            options={facets.stores.map((s) => ({ value: String(s.id), label: s.code }))}
          />
        ) : null}
        <div className="space-y-1.5">
          <Label htmlFor="audit-from">{t('audit.filter.from')}</Label>
          <Input id="audit-from" type="date" name="from" defaultValue={filters.from ?? ''} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="audit-to">{t('audit.filter.to')}</Label>
          <Input id="audit-to" type="date" name="to" defaultValue={filters.to ?? ''} />
        </div>
      </ListFilters>
      <DataTable
        columns={columns}
        rows={entries}
        rowKey={(e) => e.id}
        pagination={pagination}
        caption={t('audit.title')}
      />
    </>
  );
}
