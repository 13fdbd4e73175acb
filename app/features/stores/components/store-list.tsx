import { Link } from '@remix-run/react';
import {
  DataTable,
  FilterSelect,
  ListFilters,
  type DataTableColumn,
} from '~/components/data-table';
import { Badge } from '~/components/ui/badge';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import type { SortDir } from '~/utils/search-params';

export interface StoreListItem {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  city: string;
  address_ru: string;
  is_active: boolean;
  pickup_enabled: boolean;
  delivery_enabled: boolean;
  iiko_connected: boolean;
  zone_count: number;
}

export function StoreList({
  stores,
  cities,
  params,
  pagination,
}: {
  stores: StoreListItem[];
  cities: string[];
  params: { q: string; sort: string; dir: SortDir; filters: { active?: boolean; city?: string } };
  pagination: { page: number; pageSize: number; total: number };
}) {
  const t = useT();
  const lang = useLang();
  const columns: DataTableColumn<StoreListItem>[] = [
    {
      id: 'code',
      header: t('stores.field.code'),
      sortKey: 'code',
      cell: (s) => (
        <Link
          to={`/admin/stores/${s.id}`}
          className="font-mono font-medium text-brand-700 hover:underline"
        >
          {s.code}
        </Link>
      ),
    },
    {
      id: 'name',
      header: t('stores.column.name'),
      sortKey: 'name',
      cell: (s) => (
        <div>
          <div className="font-medium">{pickLocalized(lang, s, 'name')}</div>
          <div className="text-xs text-stone-500">{s.address_ru}</div>
        </div>
      ),
    },
    { id: 'city', header: t('stores.field.city'), sortKey: 'city', cell: (s) => s.city },
    {
      id: 'orderTypes',
      header: t('stores.column.orderTypes'),
      cell: (s) => (
        <div className="flex flex-wrap gap-1">
          {s.pickup_enabled ? <Badge tone="info">{t('stores.field.pickup')}</Badge> : null}
          {s.delivery_enabled ? (
            <Badge tone="info">{t('stores.column.deliveryZones', { count: s.zone_count })}</Badge>
          ) : null}
        </div>
      ),
    },
    {
      id: 'iiko',
      header: t('stores.column.iiko'),
      cell: (s) =>
        s.iiko_connected ? (
          <Badge tone="success">{t('stores.iiko.connected')}</Badge>
        ) : (
          <Badge>{t('stores.iiko.notConnected')}</Badge>
        ),
    },
    {
      id: 'status',
      header: t('stores.column.status'),
      cell: (s) =>
        s.is_active ? (
          <Badge tone="success">{t('stores.status.active')}</Badge>
        ) : (
          <Badge tone="warning">{t('stores.status.inactive')}</Badge>
        ),
    },
  ];
  const active = params.filters.active;
  return (
    <>
      <ListFilters q={params.q} searchLabel={t('stores.list.searchLabel')}>
        <FilterSelect
          name="active"
          label={t('stores.column.status')}
          value={active === undefined ? undefined : String(active)}
          options={[
            { value: 'true', label: t('stores.status.active') },
            { value: 'false', label: t('stores.status.inactive') },
          ]}
        />
        <FilterSelect
          name="city"
          label={t('stores.field.city')}
          value={params.filters.city}
          options={cities.map((c) => ({ value: c, label: c }))}
        />
      </ListFilters>
      <DataTable
        caption={t('nav.admin.stores')}
        columns={columns}
        rows={stores}
        rowKey={(s) => s.id}
        sort={params}
        pagination={pagination}
      />
    </>
  );
}
