import type { SerializeFrom } from '@remix-run/node';
import { Link } from '@remix-run/react';
import { useCallback, useState } from 'react';
import type { StaffRole } from '~/auth/permissions';
import { Button } from '~/components/ui/button';
import type { MessageKey } from '~/i18n/translate';
import { useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';
import {
  BOARD_COLUMNS,
  BOARD_REFRESH_MS,
  boardColumnOf,
  type BoardColumn,
  type OrderActionData,
} from '../order-board.schema';
import type { BoardCard, BoardData } from '../order-board.server';
import { formatClock, formatLocalDate, minutesSince } from '../order-format';
import { ActionNotice } from './action-notice';
import { OrderActions } from './order-actions';
import { OrderTypeBadge, PaymentStatusBadge, RefundPendingBadge } from './order-badges';
import { useBoardRefresh } from './use-board-refresh';

type Card = SerializeFrom<BoardCard>;

const COLUMN_ACCENT: Record<BoardColumn, string> = {
  NEW: 'border-t-sky-500',
  CONFIRMED: 'border-t-indigo-500',
  PREPARING: 'border-t-amber-500',
  READY: 'border-t-emerald-500',
  DELIVERING: 'border-t-brand-600',
};

/**
 * The store board: one column per state, oldest order on top, refreshed every 10 s while the tab
 * is visible; refund-pending orders below; today's closed orders as counts. Actions post through
 * fetchers and the board revalidates after each.
 */
export function OrderBoard({
  board,
  role,
  basePath,
  showStore,
  generatedAt,
  timeZone,
}: {
  board: SerializeFrom<BoardData>;
  role: StaffRole;
  /** `/manage/<id>/orders` or `/admin/orders`: order pages are `${basePath}/<orderId>`. */
  basePath: string;
  showStore: boolean;
  generatedAt: string;
  /** The zone of the "updated at" clock: the store's, or Moscow for the chain-wide board. */
  timeZone: string;
}) {
  const t = useT();
  const lang = useLang();
  const [notices, setNotices] = useState<OrderActionData[]>([]);
  const onResult = useCallback((data: OrderActionData) => {
    if (data.ok) setNotices((current) => [data, ...current].slice(0, 3));
  }, []);
  const { refresh, refreshing } = useBoardRefresh(BOARD_REFRESH_MS);
  const now = new Date(generatedAt);
  const closed = ['COMPLETED', 'CANCELLED', 'VOIDED', 'REFUNDED'] as const;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3 text-xs text-stone-500">
        <p>
          {t('orderBoard.board.closedToday')}{' '}
          {closed.map((status, i) => (
            <span key={status}>
              {i > 0 ? ' · ' : null}
              {t(`orderBoard.status.${status}` as MessageKey)}: {board.closedToday[status] ?? 0}
            </span>
          ))}
        </p>
        <div className="flex items-center gap-2">
          <span>
            {t('orderBoard.board.updatedAt', {
              time: formatClock(generatedAt, timeZone, lang),
            })}
          </span>
          <Button size="sm" variant="ghost" onClick={refresh} disabled={refreshing}>
            {t('orderBoard.board.refresh')}
          </Button>
        </div>
      </div>

      {notices.length > 0 ? (
        <div className="space-y-2" aria-live="polite">
          {notices.map((n, i) => (
            <ActionNotice key={`${n.orderId}-${i}`} data={n} />
          ))}
        </div>
      ) : null}

      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-5">
        {BOARD_COLUMNS.map((column) => {
          const cards = board.active.filter((c) => boardColumnOf(c) === column);
          return (
            <section
              key={column}
              aria-labelledby={`board-${column}`}
              className={`rounded-lg border border-t-4 border-stone-200 bg-stone-50 ${COLUMN_ACCENT[column]}`}
            >
              <h2
                id={`board-${column}`}
                className="flex items-center justify-between px-3 py-2 text-sm font-semibold text-stone-900"
              >
                {t(`orderBoard.column.${column}` as MessageKey)}
                <span className="rounded-full bg-white px-2 text-xs text-stone-600 ring-1 ring-stone-200">
                  {cards.length}
                </span>
              </h2>
              <ul className="space-y-2 px-2 pb-2">
                {cards.length === 0 ? (
                  <li className="px-1 py-3 text-center text-xs text-stone-400">
                    {t('orderBoard.column.empty')}
                  </li>
                ) : (
                  cards.map((card) => (
                    <li key={card.id}>
                      <OrderCard
                        card={card}
                        role={role}
                        href={`${basePath}/${card.id}`}
                        showStore={showStore}
                        now={now}
                        onResult={onResult}
                      />
                    </li>
                  ))
                )}
              </ul>
            </section>
          );
        })}
      </div>

      {board.refundPending.length > 0 ? (
        <section aria-labelledby="board-refund-pending" className="space-y-2">
          <h2 id="board-refund-pending" className="text-sm font-semibold text-red-700">
            {t('orderBoard.refundPending.title')} ({board.refundPending.length})
          </h2>
          <p className="text-xs text-stone-500">
            {t(
              role === 'ADMIN'
                ? 'orderBoard.refundPending.adminHint'
                : 'orderBoard.refundPending.managerHint',
            )}
          </p>
          <ul className="grid gap-2 md:grid-cols-2 xl:grid-cols-4">
            {board.refundPending.map((card) => (
              <li key={card.id}>
                <OrderCard
                  card={card}
                  role={role}
                  href={`${basePath}/${card.id}`}
                  showStore={showStore}
                  now={now}
                  onResult={onResult}
                />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function OrderCard({
  card,
  role,
  href,
  showStore,
  now,
  onResult,
}: {
  card: Card;
  role: StaffRole;
  href: string;
  showStore: boolean;
  now: Date;
  onResult: (data: OrderActionData) => void;
}) {
  const t = useT();
  const lang = useLang();
  const name = (line: { nameRu: string; nameZh: string | null }) =>
    lang === 'zh' && line.nameZh ? line.nameZh : line.nameRu;
  return (
    <article
      aria-label={card.orderNumber}
      className="space-y-2 rounded-md border border-stone-200 bg-white p-3 shadow-sm"
    >
      <header className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <Link
            to={href}
            className="font-mono text-sm font-semibold text-brand-700 hover:underline"
          >
            {card.orderNumber}
          </Link>
          <p className="text-xs text-stone-500">
            {card.placedToday ? null : `${formatLocalDate(card.localDate, lang)} · `}
            {formatClock(card.createdAt, card.timezone, lang)} ·{' '}
            {t('orderBoard.card.waiting', { minutes: minutesSince(card.createdAt, now) })}
            {showStore ? ` · ${card.storeCode}` : null}
          </p>
        </div>
        <span className="whitespace-nowrap text-sm font-semibold text-stone-900">
          {formatRub(card.finalAmount, lang)}
        </span>
      </header>
      <div className="flex flex-wrap gap-1">
        <OrderTypeBadge type={card.orderType} />
        {card.status === 'PENDING' ? <PaymentStatusBadge status={card.paymentStatus} /> : null}
        {card.refundPending ? <RefundPendingBadge /> : null}
        {card.orderType === 'DELIVERY' && card.deliveryEtaMinutes ? (
          <span className="text-xs text-stone-500">
            {t('orderBoard.card.eta', { minutes: card.deliveryEtaMinutes })}
          </span>
        ) : null}
      </div>
      {card.customerName ? <p className="text-xs text-stone-700">{card.customerName}</p> : null}
      <ul className="space-y-0.5 text-xs text-stone-800">
        {card.lines.map((line) => (
          <li key={line.lineNo}>
            <span className="font-semibold">{line.quantity}×</span> {name(line)}
            {line.options.length > 0 ? (
              <span className="text-stone-500"> ({line.options.map(name).join(', ')})</span>
            ) : null}
          </li>
        ))}
      </ul>
      {card.status === 'PENDING' ? (
        <p className="text-xs text-stone-500">{t('orderBoard.card.awaitingConfirmation')}</p>
      ) : null}
      <OrderActions order={card} role={role} compact onResult={onResult} />
    </article>
  );
}
