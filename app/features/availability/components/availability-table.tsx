import { Form, useNavigation } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { DataTable, type DataTableColumn } from '~/components/data-table';
import { Badge, type BadgeTone } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { EmptyState } from '~/components/ui/empty-state';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import { STOCK_STATUSES, type StockStatus } from '~/utils/vocabularies';
import { SET_STOCK_INTENT } from '../availability.schema';

export interface AvailabilityTableRow {
  id: number;
  productId: number;
  sku: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  categoryId: number | null;
  category_name_ru: string | null;
  category_name_zh: string | null;
  category_name_en: string | null;
  stockStatus: StockStatus;
  stockStatusSource: 'MANUAL' | 'IIKO';
}

export const STOCK_TONE: Record<StockStatus, BadgeTone> = {
  IN_STOCK: 'success',
  LOW_STOCK: 'warning',
  OUT_OF_STOCK: 'danger',
};

/** One form per row; each button submits its own status (the current one is disabled). */
function StockButtons({ row, productName }: { row: AvailabilityTableRow; productName: string }) {
  const t = useT();
  const navigation = useNavigation();
  const busy =
    navigation.state !== 'idle' && navigation.formData?.get('productId') === String(row.productId);
  return (
    <Form method="post" className="flex flex-wrap justify-end gap-1.5" preventScrollReset>
      <CsrfInput />
      <input type="hidden" name="intent" value={SET_STOCK_INTENT} />
      <input type="hidden" name="productId" value={row.productId} />
      {STOCK_STATUSES.map((status) => (
        <Button
          key={status}
          type="submit"
          name="stockStatus"
          value={status}
          size="sm"
          variant={status === 'OUT_OF_STOCK' ? 'danger' : 'secondary'}
          disabled={busy || row.stockStatus === status}
          aria-label={t('availability.setLabel', {
            product: productName,
            status: t(`availability.set.${status}`),
          })}
        >
          {t(`availability.set.${status}`)}
        </Button>
      ))}
    </Form>
  );
}

export function AvailabilityTable({ rows }: { rows: readonly AvailabilityTableRow[] }) {
  const t = useT();
  const lang = useLang();
  const columns: DataTableColumn<AvailabilityTableRow>[] = [
    {
      id: 'product',
      header: t('availability.column.product'),
      cell: (row) => (
        <div className="min-w-0">
          <div className="font-medium text-stone-900">{pickLocalized(lang, row, 'name')}</div>
          <div className="font-mono text-xs text-stone-500">{row.sku}</div>
        </div>
      ),
    },
    {
      id: 'category',
      header: t('availability.column.category'),
      cell: (row) =>
        row.category_name_ru === null
          ? t('availability.uncategorized')
          : pickLocalized(
              lang,
              {
                name_ru: row.category_name_ru,
                name_zh: row.category_name_zh,
                name_en: row.category_name_en,
              },
              'name',
            ),
    },
    {
      id: 'status',
      header: t('availability.column.status'),
      cell: (row) => (
        <span className="flex flex-wrap items-center gap-1.5" data-testid="stock-status">
          <Badge tone={STOCK_TONE[row.stockStatus]}>
            {t(`availability.status.${row.stockStatus}`)}
          </Badge>
          <span className="text-xs text-stone-500">
            {t(`availability.source.${row.stockStatusSource}`)}
          </span>
        </span>
      ),
    },
    {
      id: 'actions',
      header: t('availability.column.actions'),
      align: 'right',
      cell: (row) => <StockButtons row={row} productName={pickLocalized(lang, row, 'name')} />,
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={rows}
      rowKey={(row) => row.id}
      caption={t('availability.title')}
      empty={
        <EmptyState
          title={t('availability.emptyTitle')}
          description={t('availability.emptyBody')}
        />
      }
    />
  );
}
