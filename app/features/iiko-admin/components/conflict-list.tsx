import { Form, Link, useLocation } from '@remix-run/react';
import { DataTable, type DataTableColumn } from '~/components/data-table';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Button } from '~/components/ui/button';
import { EmptyState } from '~/components/ui/empty-state';
import { useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';
import { CONFLICT_INTENTS } from '../iiko-admin.schema';
import { formatTime } from './format';

export interface ConflictListItem {
  productId: number;
  sku: string;
  nameRu: string;
  basePrice: number;
  iikoName: string | null;
  iikoPrice: number | null;
  iikoLastSyncAt: string | null;
  priceDiffers: boolean;
  nameDiffers: boolean;
}

function Differs({ on, children }: { on: boolean; children: React.ReactNode }) {
  return <span className={on ? 'font-medium text-amber-800' : 'text-stone-500'}>{children}</span>;
}

/** IK-9 open conflicts: local vs iiko values and "accept iiko values" per product. */
export function ConflictList({
  rows,
  pagination,
}: {
  rows: ConflictListItem[];
  pagination: { page: number; pageSize: number; total: number };
}) {
  const t = useT();
  const lang = useLang();
  const location = useLocation();
  const columns: DataTableColumn<ConflictListItem>[] = [
    {
      id: 'product',
      header: t('iikoAdmin.conflicts.product'),
      cell: (r) => (
        <Link to={`/admin/menu/products/${r.productId}`} className="hover:underline">
          <span className="font-mono text-xs text-stone-500">{r.sku}</span>{' '}
          <span className="font-medium text-brand-700">{r.nameRu}</span>
        </Link>
      ),
    },
    {
      id: 'local',
      header: t('iikoAdmin.conflicts.local'),
      cell: (r) => (
        <div className="space-y-0.5">
          <div>
            <Differs on={r.nameDiffers}>{r.nameRu}</Differs>
          </div>
          <div>
            <Differs on={r.priceDiffers}>{formatRub(r.basePrice, lang)}</Differs>
          </div>
        </div>
      ),
    },
    {
      id: 'iiko',
      header: t('iikoAdmin.conflicts.iiko'),
      cell: (r) => (
        <div className="space-y-0.5">
          <div>
            <Differs on={r.nameDiffers}>{r.iikoName ?? '—'}</Differs>
          </div>
          <div>
            <Differs on={r.priceDiffers}>
              {r.iikoPrice === null ? '—' : formatRub(r.iikoPrice, lang)}
            </Differs>
          </div>
        </div>
      ),
    },
    {
      id: 'sync',
      header: t('iikoAdmin.conflicts.lastSync'),
      className: 'whitespace-nowrap',
      cell: (r) => formatTime(r.iikoLastSyncAt, lang),
    },
    {
      id: 'accept',
      header: <span className="sr-only">{t('iikoAdmin.conflicts.accept')}</span>,
      align: 'right',
      cell: (r) => (
        <Form method="post" action={`${location.pathname}${location.search}`} replace>
          <CsrfInput />
          <input type="hidden" name="intent" value={CONFLICT_INTENTS.accept} />
          <input type="hidden" name="product_id" value={r.productId} />
          <Button type="submit" size="sm" variant="secondary">
            {t('iikoAdmin.conflicts.accept')}
          </Button>
        </Form>
      ),
    },
  ];
  return (
    <DataTable
      caption={t('iikoAdmin.conflicts.title')}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.productId}
      pagination={pagination}
      empty={
        <EmptyState
          title={t('iikoAdmin.conflicts.emptyTitle')}
          description={t('iikoAdmin.conflicts.empty')}
        />
      }
    />
  );
}
