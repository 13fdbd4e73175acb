import { Link } from '@remix-run/react';
import {
  DataTable,
  FilterSelect,
  ListFilters,
  type DataTableColumn,
} from '~/components/data-table';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';
import type { SortDir } from '~/utils/search-params';
import { CAMPAIGN_STATUSES, CAMPAIGN_TYPES } from '~/utils/vocabularies';
import { formatCampaignTime } from '../campaign-time';
import type { CampaignListItem } from '../campaigns.server';
import { CampaignStatusBadge } from './campaign-status';

export function CampaignList({
  campaigns,
  params,
  pagination,
}: {
  campaigns: CampaignListItem[];
  params: { q: string; sort: string; dir: SortDir; filters: { status?: string; type?: string } };
  pagination: { page: number; pageSize: number; total: number };
}) {
  const t = useT();
  const lang = useLang();
  const columns: DataTableColumn<CampaignListItem>[] = [
    {
      id: 'code',
      header: t('campaigns.field.code'),
      sortKey: 'code',
      cell: (c) => (
        <Link
          to={`/admin/campaigns/${c.id}`}
          className="font-mono font-medium text-brand-700 hover:underline"
        >
          {c.code}
        </Link>
      ),
    },
    {
      id: 'name',
      header: t('campaigns.column.name'),
      sortKey: 'name',
      cell: (c) => (
        <div>
          <div className="font-medium">{pickLocalized(lang, c, 'name')}</div>
          <div className="text-xs text-stone-500">{t(`campaigns.type.${c.type}`)}</div>
        </div>
      ),
    },
    {
      id: 'period',
      header: t('campaigns.column.period'),
      sortKey: 'start',
      cell: (c) => (
        <span className="whitespace-nowrap text-xs">
          {formatCampaignTime(c.start_at, lang)} — {formatCampaignTime(c.end_at, lang)}
        </span>
      ),
    },
    {
      id: 'status',
      header: t('campaigns.field.status'),
      sortKey: 'status',
      cell: (c) => <CampaignStatusBadge status={c.status} />,
    },
    { id: 'codes', header: t('campaigns.column.codes'), align: 'right', cell: (c) => c.code_count },
    {
      id: 'orders',
      header: t('campaigns.column.orders'),
      align: 'right',
      cell: (c) => c.order_count,
    },
    {
      id: 'gmv',
      header: t('campaigns.column.gmv'),
      align: 'right',
      cell: (c) => <span className="whitespace-nowrap">{formatRub(c.gmv_kopecks, lang)}</span>,
    },
  ];
  return (
    <>
      <ListFilters q={params.q} searchLabel={t('campaigns.list.searchLabel')}>
        <FilterSelect
          name="status"
          label={t('campaigns.field.status')}
          value={params.filters.status}
          options={CAMPAIGN_STATUSES.map((s) => ({ value: s, label: t(`campaigns.status.${s}`) }))}
        />
        <FilterSelect
          name="type"
          label={t('campaigns.field.type')}
          value={params.filters.type}
          options={CAMPAIGN_TYPES.map((s) => ({ value: s, label: t(`campaigns.type.${s}`) }))}
        />
      </ListFilters>
      <DataTable
        caption={t('nav.admin.campaigns')}
        columns={columns}
        rows={campaigns}
        rowKey={(c) => c.id}
        sort={params}
        pagination={pagination}
      />
    </>
  );
}
