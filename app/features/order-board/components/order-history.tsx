import type { SerializeFrom } from '@remix-run/node';
import { Link } from '@remix-run/react';
import {
  DataTable,
  FilterSelect,
  ListFilters,
  type DataTableColumn,
} from '~/components/data-table';
import { Input, Label } from '~/components/ui/input';
import { ORDER_STATUSES } from '~/features/orders/order-status';
import type { MessageKey } from '~/i18n/translate';
import { useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';
import { ORDER_TYPES } from '~/utils/vocabularies';
import type { HistoryParams } from '../order-board.schema';
import type { HistoryRow } from '../order-board.server';
import { formatClock, formatLocalDate } from '../order-format';
import {
  OrderStatusBadge,
  OrderTypeBadge,
  PaymentStatusBadge,
  RefundPendingBadge,
} from './order-badges';

type Row = SerializeFrom<HistoryRow>;

/** The history list: filters (search, store-local dates, status, type, store, refund pending). */
export function OrderHistory({
  rows,
  params,
  pagination,
  basePath,
  stores,
}: {
  rows: Row[];
  params: { q: string; sort: string; dir: 'asc' | 'desc'; filters: HistoryParams['filters'] };
  pagination: { page: number; pageSize: number; total: number };
  basePath: string;
  /** The store filter's options (chain-wide history); omitted in a store's own history. */
  stores?: { id: number; code: string }[];
}) {
  const t = useT();
  const lang = useLang();
  const f = params.filters;
  const columns: DataTableColumn<Row>[] = [
    {
      id: 'number',
      header: t('orderBoard.field.number'),
      sortKey: 'number',
      cell: (r) => (
        <Link
          to={`${basePath}/${r.id}`}
          className="font-mono font-medium text-brand-700 hover:underline"
        >
          {r.orderNumber}
        </Link>
      ),
    },
    {
      id: 'created',
      header: t('orderBoard.field.placedAt'),
      sortKey: 'created',
      cell: (r) => (
        <time dateTime={r.createdAt} className="whitespace-nowrap">
          {formatLocalDate(r.localDate, lang)} {formatClock(r.createdAt, r.timezone, lang)}
        </time>
      ),
    },
    ...(stores
      ? [{ id: 'store', header: t('orderBoard.field.store'), cell: (r: Row) => r.storeCode }]
      : []),
    {
      id: 'type',
      header: t('orderBoard.field.type'),
      cell: (r) => <OrderTypeBadge type={r.orderType} />,
    },
    {
      id: 'customer',
      header: t('orderBoard.field.customer'),
      cell: (r) => (
        <span className="whitespace-nowrap">
          {r.customerName ? `${r.customerName} · ` : null}
          <span className="font-mono text-xs">{r.customerPhone}</span>
        </span>
      ),
    },
    {
      id: 'total',
      header: t('orderBoard.field.total'),
      sortKey: 'total',
      align: 'right',
      cell: (r) => <span className="whitespace-nowrap">{formatRub(r.finalAmount, lang)}</span>,
    },
    {
      id: 'status',
      header: t('orderBoard.field.status'),
      cell: (r) => (
        <span className="flex flex-wrap gap-1">
          <OrderStatusBadge status={r.status} />
          <PaymentStatusBadge status={r.paymentStatus} />
          {r.refundPending ? <RefundPendingBadge /> : null}
        </span>
      ),
    },
  ];

  return (
    <>
      <ListFilters q={params.q} searchLabel={t('orderBoard.search.label')}>
        <div className="space-y-1.5">
          <Label htmlFor="history-from">{t('orderBoard.filter.from')}</Label>
          <Input id="history-from" type="date" name="from" defaultValue={f.from ?? ''} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="history-to">{t('orderBoard.filter.to')}</Label>
          <Input id="history-to" type="date" name="to" defaultValue={f.to ?? ''} />
        </div>
        <FilterSelect
          name="status"
          label={t('orderBoard.field.status')}
          value={f.status}
          options={ORDER_STATUSES.map((s) => ({
            value: s,
            label: t(`orderBoard.status.${s}` as MessageKey),
          }))}
        />
        <FilterSelect
          name="type"
          label={t('orderBoard.field.type')}
          value={f.type}
          options={ORDER_TYPES.map((s) => ({
            value: s,
            label: t(`orderBoard.type.${s}` as MessageKey),
          }))}
        />
        {stores ? (
          <FilterSelect
            name="store"
            label={t('orderBoard.field.store')}
            value={f.store === undefined ? undefined : String(f.store)}
            options={stores.map((s) => ({ value: String(s.id), label: s.code }))}
          />
        ) : null}
        <FilterSelect
          name="refund"
          label={t('orderBoard.filter.refund')}
          value={f.refund}
          options={[{ value: 'pending', label: t('orderBoard.refundPending.badge') }]}
        />
      </ListFilters>
      <p className="mb-2 text-xs text-stone-500">{t('orderBoard.history.datesNote')}</p>
      <DataTable
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        sort={{ sort: params.sort, dir: params.dir }}
        pagination={pagination}
        caption={t('orderBoard.history.title')}
      />
    </>
  );
}
