import { Link } from '@remix-run/react';
import {
  DataTable,
  FilterSelect,
  ListFilters,
  type DataTableColumn,
} from '~/components/data-table';
import { Badge } from '~/components/ui/badge';
import { formatCampaignTime } from '~/features/campaigns/campaign-time';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import type { SortDir } from '~/utils/search-params';
import { COUPON_TYPES } from '~/utils/vocabularies';
import type { CouponTemplateListItem } from '../templates.server';

export function TemplateList({
  templates,
  params,
  pagination,
}: {
  templates: CouponTemplateListItem[];
  params: {
    q: string;
    sort: string;
    dir: SortDir;
    filters: { type?: string; active?: boolean; valid_now?: boolean };
  };
  pagination: { page: number; pageSize: number; total: number };
}) {
  const t = useT();
  const lang = useLang();
  const yesNo = [
    { value: 'true', label: t('couponTemplates.filter.yes') },
    { value: 'false', label: t('couponTemplates.filter.no') },
  ];
  const bool = (v: boolean | undefined) => (v === undefined ? undefined : String(v));
  const columns: DataTableColumn<CouponTemplateListItem>[] = [
    {
      id: 'code',
      header: t('couponTemplates.field.code'),
      sortKey: 'code',
      cell: (c) => (
        <Link
          to={`/admin/coupons/${c.id}`}
          className="font-mono font-medium text-brand-700 hover:underline"
        >
          {c.code}
        </Link>
      ),
    },
    {
      id: 'name',
      header: t('couponTemplates.column.name'),
      sortKey: 'name',
      cell: (c) => <span className="font-medium">{pickLocalized(lang, c, 'name')}</span>,
    },
    {
      id: 'type',
      header: t('couponTemplates.field.type'),
      sortKey: 'type',
      cell: (c) => <span className="text-xs">{t(`couponTemplates.type.${c.type}`)}</span>,
    },
    {
      id: 'validity',
      header: t('couponTemplates.column.validity'),
      sortKey: 'valid_until',
      cell: (c) => (
        <span className="whitespace-nowrap text-xs">
          {formatCampaignTime(c.valid_from, lang)} — {formatCampaignTime(c.valid_until, lang)}
        </span>
      ),
    },
    {
      id: 'usage',
      header: t('couponTemplates.column.usage'),
      sortKey: 'usage',
      align: 'right',
      cell: (c) =>
        c.max_total_usage === null
          ? t('couponTemplates.usage.unlimited', { used: c.current_usage_count })
          : t('couponTemplates.usage.limited', {
              used: c.current_usage_count,
              max: c.max_total_usage,
            }),
    },
    {
      id: 'instances',
      header: t('couponTemplates.column.instances'),
      align: 'right',
      cell: (c) => c.instance_count,
    },
    {
      id: 'active',
      header: t('couponTemplates.column.active'),
      cell: (c) =>
        c.is_active ? (
          <Badge tone="success">{t('couponTemplates.status.active')}</Badge>
        ) : (
          <Badge tone="neutral">{t('couponTemplates.status.inactive')}</Badge>
        ),
    },
  ];
  return (
    <>
      <ListFilters q={params.q} searchLabel={t('couponTemplates.list.searchLabel')}>
        <FilterSelect
          name="type"
          label={t('couponTemplates.field.type')}
          value={params.filters.type}
          options={COUPON_TYPES.map((s) => ({ value: s, label: t(`couponTemplates.type.${s}`) }))}
        />
        <FilterSelect
          name="active"
          label={t('couponTemplates.filter.active')}
          value={bool(params.filters.active)}
          options={yesNo}
        />
        <FilterSelect
          name="valid_now"
          label={t('couponTemplates.filter.validNow')}
          value={bool(params.filters.valid_now)}
          options={yesNo}
        />
      </ListFilters>
      <DataTable
        caption={t('nav.admin.coupons')}
        columns={columns}
        rows={templates}
        rowKey={(c) => c.id}
        sort={params}
        pagination={pagination}
      />
    </>
  );
}
