import { Link } from '@remix-run/react';
import {
  DataTable,
  FilterSelect,
  ListFilters,
  type DataTableColumn,
} from '~/components/data-table';
import { Badge, type BadgeTone } from '~/components/ui/badge';
import { useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';
import type { SortDir } from '~/utils/search-params';
import { INFLUENCER_STATUSES, type InfluencerStatus } from '~/utils/vocabularies';
import type { InfluencerListItem } from '../influencers.server';

const TONES: Record<InfluencerStatus, BadgeTone> = {
  ACTIVE: 'success',
  INACTIVE: 'neutral',
  SUSPENDED: 'danger',
};

export function InfluencerStatusBadge({ status }: { status: InfluencerStatus }) {
  const t = useT();
  return <Badge tone={TONES[status]}>{t(`influencers.status.${status}`)}</Badge>;
}

export function InfluencerList({
  influencers,
  params,
  pagination,
}: {
  influencers: InfluencerListItem[];
  params: { q: string; sort: string; dir: SortDir; filters: { status?: string } };
  pagination: { page: number; pageSize: number; total: number };
}) {
  const t = useT();
  const lang = useLang();
  const columns: DataTableColumn<InfluencerListItem>[] = [
    {
      id: 'name',
      header: t('influencers.field.name'),
      sortKey: 'name',
      cell: (i) => (
        <div>
          <Link
            to={`/admin/influencers/${i.id}`}
            className="font-medium text-brand-700 hover:underline"
          >
            {i.name}
          </Link>
          {i.social_platform || i.social_handle ? (
            <div className="text-xs text-stone-500">
              {[i.social_platform, i.social_handle].filter(Boolean).join(' · ')}
            </div>
          ) : null}
        </div>
      ),
    },
    {
      id: 'followers',
      header: t('influencers.field.followers'),
      sortKey: 'followers',
      align: 'right',
      cell: (i) => (i.follower_count === null ? '—' : i.follower_count.toLocaleString(lang)),
    },
    {
      id: 'rate',
      header: t('influencers.perf.rate'),
      sortKey: 'rate',
      align: 'right',
      cell: (i) => i.commission_rate,
    },
    {
      id: 'status',
      header: t('influencers.field.status'),
      cell: (i) => <InfluencerStatusBadge status={i.status} />,
    },
    {
      id: 'codes',
      header: t('influencers.column.codes'),
      align: 'right',
      cell: (i) => i.code_count,
    },
    { id: 'scans', header: t('influencers.perf.scans'), align: 'right', cell: (i) => i.scan_count },
    {
      id: 'orders',
      header: t('influencers.perf.orders'),
      align: 'right',
      cell: (i) => i.order_count,
    },
    {
      id: 'gmv',
      header: t('influencers.perf.gmv'),
      align: 'right',
      cell: (i) => <span className="whitespace-nowrap">{formatRub(i.gmv_kopecks, lang)}</span>,
    },
  ];
  return (
    <>
      <ListFilters q={params.q} searchLabel={t('influencers.list.searchLabel')}>
        <FilterSelect
          name="status"
          label={t('influencers.field.status')}
          value={params.filters.status}
          options={INFLUENCER_STATUSES.map((s) => ({
            value: s,
            label: t(`influencers.status.${s}`),
          }))}
        />
      </ListFilters>
      <DataTable
        caption={t('nav.admin.influencers')}
        columns={columns}
        rows={influencers}
        rowKey={(i) => i.id}
        sort={params}
        pagination={pagination}
      />
    </>
  );
}
