import { Form, Link, useLocation } from '@remix-run/react';
import {
  DataTable,
  FilterSelect,
  ListFilters,
  type DataTableColumn,
} from '~/components/data-table';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';
import type { SortDir } from '~/utils/search-params';

export interface ProductListRow {
  id: number;
  sku: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  base_price: number;
  image_url: string | null;
  is_active: boolean;
  is_special_price: boolean;
  is_manual_override: boolean;
  has_conflict: boolean;
  iiko_price: number | null;
  iiko_name: string | null;
  category_name_ru: string | null;
  category_name_zh: string | null;
  category_name_en: string | null;
  store_count: number;
}

/** "Overridden" badge, plus "conflict with iiko" when iiko's values differ (IK-9). */
export function OverrideBadges({
  row,
}: {
  row: { is_manual_override: boolean; has_conflict: boolean };
}) {
  const t = useT();
  if (!row.is_manual_override) return null;
  return (
    <>
      <Badge tone="info" title={t('menu.override.hint')}>
        {t('menu.override.badge')}
      </Badge>
      {row.has_conflict ? (
        <Badge tone="warning" title={t('menu.override.conflictHint')}>
          {t('menu.override.conflict')}
        </Badge>
      ) : null}
    </>
  );
}

export function AcceptIikoButton({ productId, intent }: { productId: number; intent: string }) {
  const t = useT();
  const location = useLocation();
  return (
    <Form method="post" action={`${location.pathname}${location.search}`} replace>
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="product_id" value={productId} />
      <Button type="submit" size="sm" variant="secondary">
        {t('menu.override.accept')}
      </Button>
    </Form>
  );
}

export function ProductList({
  params,
  rows,
  total,
  categories,
  acceptIntent,
}: {
  params: {
    q: string;
    sort: string;
    dir: SortDir;
    page: number;
    pageSize: number;
    filters: { category?: number; active?: boolean; override?: string };
  };
  rows: ProductListRow[];
  total: number;
  categories: { id: number; name_ru: string; name_zh: string | null; name_en: string | null }[];
  acceptIntent: string;
}) {
  const t = useT();
  const lang = useLang();
  const columns: DataTableColumn<ProductListRow>[] = [
    {
      id: 'sku',
      header: t('menu.field.sku'),
      sortKey: 'sku',
      cell: (r) => <span className="font-mono text-xs">{r.sku}</span>,
    },
    {
      id: 'name',
      header: t('menu.field.name'),
      sortKey: 'name',
      cell: (r) => (
        <div className="flex flex-wrap items-center gap-1.5">
          <Link
            to={`/admin/menu/products/${r.id}`}
            className="font-medium text-brand-700 hover:underline"
          >
            {pickLocalized(lang, r, 'name')}
          </Link>
          {!r.is_active ? <Badge>{t('menu.status.inactive')}</Badge> : null}
          {r.is_special_price ? <Badge tone="brand">{t('menu.field.specialPrice')}</Badge> : null}
          <OverrideBadges row={r} />
        </div>
      ),
    },
    {
      id: 'category',
      header: t('menu.field.category'),
      cell: (r) =>
        r.category_name_ru ? (
          pickLocalized(lang, { ...r, category_name_ru: r.category_name_ru }, 'category_name')
        ) : (
          <span className="text-stone-400">—</span>
        ),
    },
    {
      id: 'price',
      header: t('menu.field.basePrice'),
      sortKey: 'price',
      align: 'right',
      cell: (r) => (
        <div>
          <div>{formatRub(r.base_price, lang)}</div>
          {r.has_conflict && r.iiko_price !== null && r.iiko_price !== r.base_price ? (
            <div className="text-xs text-amber-700">
              {t('menu.override.iikoPrice', { price: formatRub(r.iiko_price, lang) })}
            </div>
          ) : null}
        </div>
      ),
    },
    {
      id: 'stores',
      header: t('menu.products.stores'),
      align: 'right',
      cell: (r) => r.store_count,
    },
    {
      id: 'actions',
      header: <span className="sr-only">{t('menu.actions')}</span>,
      align: 'right',
      cell: (r) =>
        r.is_manual_override ? <AcceptIikoButton productId={r.id} intent={acceptIntent} /> : null,
    },
  ];
  return (
    <>
      <ListFilters q={params.q} searchLabel={t('menu.products.searchLabel')}>
        <FilterSelect
          name="category"
          label={t('menu.field.category')}
          value={params.filters.category?.toString()}
          options={categories.map((c) => ({
            value: String(c.id),
            label: pickLocalized(lang, c, 'name'),
          }))}
        />
        <FilterSelect
          name="active"
          label={t('menu.filter.active')}
          value={params.filters.active === undefined ? undefined : String(params.filters.active)}
          options={[
            { value: 'true', label: t('menu.status.active') },
            { value: 'false', label: t('menu.status.inactive') },
          ]}
        />
        <FilterSelect
          name="override"
          label={t('menu.filter.override')}
          value={params.filters.override}
          options={[
            { value: 'override', label: t('menu.filter.overrideYes') },
            { value: 'conflict', label: t('menu.filter.overrideConflict') },
            { value: 'none', label: t('menu.filter.overrideNo') },
          ]}
        />
      </ListFilters>
      <DataTable
        caption={t('menu.products.title')}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        sort={{ sort: params.sort, dir: params.dir }}
        pagination={{ page: params.page, pageSize: params.pageSize, total }}
      />
    </>
  );
}
