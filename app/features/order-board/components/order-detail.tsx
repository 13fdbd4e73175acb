import type { SerializeFrom } from '@remix-run/node';
import type { ReactNode } from 'react';
import type { StaffRole } from '~/auth/permissions';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import type { MessageKey, Translate } from '~/i18n/translate';
import { useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';
import { staffActionsFor } from '../order-board.schema';
import type { AuditTrailRow, OrderDetail } from '../order-board.server';
import { formatStoreDateTime } from '../order-format';
import { OrderActions } from './order-actions';
import { PaymentStatusBadge } from './order-badges';

type Detail = SerializeFrom<OrderDetail>;

function Row({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <div className="flex justify-between gap-4 py-1 text-sm">
      <dt className="text-stone-500">{label}</dt>
      <dd className="text-right text-stone-900">{children}</dd>
    </div>
  );
}

/** The order page: actions, lines with options, amounts, customer, payments, audit trail. */
export function OrderDetailView({ order, role }: { order: Detail; role: StaffRole }) {
  const t = useT();
  const lang = useLang();
  const when = (value: string | null) =>
    value ? formatStoreDateTime(value, order.timezone, lang) : '—';
  const name = (x: { nameRu: string; nameZh: string | null }) =>
    lang === 'zh' && x.nameZh ? x.nameZh : x.nameRu;
  const rub = (k: number) => formatRub(k, lang);
  const hasActions = staffActionsFor(order, role).length > 0;

  return (
    <div className="space-y-6">
      {hasActions ? (
        <Card>
          <CardHeader
            title={t('orderBoard.detail.actions')}
            description={
              order.refundPending
                ? t(
                    role === 'ADMIN'
                      ? 'orderBoard.refundPending.adminHint'
                      : 'orderBoard.refundPending.managerHint',
                  )
                : undefined
            }
          />
          <CardBody>
            <OrderActions order={order} role={role} />
          </CardBody>
        </Card>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title={t('orderBoard.detail.lines')} />
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-stone-200 text-sm">
              <thead className="bg-stone-50 text-left text-stone-600">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    {t('orderBoard.detail.product')}
                  </th>
                  <th scope="col" className="px-4 py-2 text-right font-medium">
                    {t('orderBoard.detail.quantity')}
                  </th>
                  <th scope="col" className="px-4 py-2 text-right font-medium">
                    {t('orderBoard.detail.unitPrice')}
                  </th>
                  <th scope="col" className="px-4 py-2 text-right font-medium">
                    {t('orderBoard.detail.lineTotal')}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {order.lines.map((line) => (
                  <tr key={line.lineNo}>
                    <td className="px-4 py-2">
                      <p className="font-medium text-stone-900">{name(line)}</p>
                      <p className="font-mono text-xs text-stone-400">{line.sku}</p>
                      {line.options.length > 0 ? (
                        <ul className="mt-1 text-xs text-stone-600">
                          {line.options.map((o, i) => (
                            <li key={i}>+ {name(o)}</li>
                          ))}
                        </ul>
                      ) : null}
                    </td>
                    <td className="px-4 py-2 text-right">{line.quantity}</td>
                    <td className="whitespace-nowrap px-4 py-2 text-right">
                      {rub(line.unitPrice + line.optionsPrice)}
                    </td>
                    <td className="whitespace-nowrap px-4 py-2 text-right">
                      {rub(line.lineTotal)}
                      {line.discount > 0 ? (
                        <p className="text-xs text-emerald-700">−{rub(line.discount)}</p>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <CardBody>
            <dl className="ml-auto max-w-sm">
              <Row label={t('orderBoard.detail.subtotal')}>{rub(order.subtotal)}</Row>
              {order.deliveryFee > 0 ? (
                <Row label={t('orderBoard.detail.deliveryFee')}>{rub(order.deliveryFee)}</Row>
              ) : null}
              {order.couponDiscount > 0 ? (
                <Row label={t('orderBoard.detail.couponDiscount')}>
                  −{rub(order.couponDiscount)}
                </Row>
              ) : null}
              {order.pointsUsed > 0 ? (
                <Row label={t('orderBoard.detail.pointsUsed', { points: order.pointsUsed })}>
                  −{rub(order.pointsDiscount)}
                </Row>
              ) : null}
              <Row label={<strong>{t('orderBoard.detail.final')}</strong>}>
                <strong>{rub(order.finalAmount)}</strong>
              </Row>
              {order.pointsEarned > 0 ? (
                <Row label={t('orderBoard.detail.pointsEarned')}>{order.pointsEarned}</Row>
              ) : null}
            </dl>
          </CardBody>
        </Card>

        <div className="space-y-6">
          <Card>
            <CardHeader title={t('orderBoard.detail.customer')} />
            <CardBody>
              <dl>
                <Row label={t('orderBoard.field.customer')}>{order.customerName ?? '—'}</Row>
                <Row label={t('orderBoard.detail.phone')}>
                  <span className="font-mono">{order.customerPhone}</span>
                </Row>
                <Row label={t('orderBoard.field.type')}>
                  {t(`orderBoard.type.${order.orderType}` as MessageKey)}
                </Row>
                {order.deliveryAddress ? (
                  <Row label={t('orderBoard.detail.address')}>{order.deliveryAddress}</Row>
                ) : null}
                {order.deliveryNote ? (
                  <Row label={t('orderBoard.detail.note')}>{order.deliveryNote}</Row>
                ) : null}
                {order.deliveryEtaMinutes ? (
                  <Row label={t('orderBoard.detail.eta')}>
                    {t('orderBoard.card.eta', { minutes: order.deliveryEtaMinutes })}
                  </Row>
                ) : null}
              </dl>
            </CardBody>
          </Card>
          <Card>
            <CardHeader title={t('orderBoard.detail.timeline')} />
            <CardBody>
              <dl>
                <Row label={t('orderBoard.detail.createdAt')}>{when(order.createdAt)}</Row>
                <Row label={t('orderBoard.detail.confirmedAt')}>{when(order.confirmedAt)}</Row>
                <Row label={t('orderBoard.detail.completedAt')}>{when(order.completedAt)}</Row>
                {order.cancelledAt ? (
                  <Row label={t('orderBoard.detail.cancelledAt')}>{when(order.cancelledAt)}</Row>
                ) : null}
                {order.cancelReason ? (
                  <Row label={t('orderBoard.detail.cancelReason')}>{order.cancelReason}</Row>
                ) : null}
                {order.refundedAt ? (
                  <Row label={t('orderBoard.detail.refundedAt')}>{when(order.refundedAt)}</Row>
                ) : null}
                <Row label={t('orderBoard.detail.iiko')}>
                  {t(`orderBoard.iiko.${order.iikoSyncStatus}` as MessageKey)}
                </Row>
              </dl>
            </CardBody>
          </Card>
        </div>
      </div>

      <Card>
        <CardHeader
          title={t('orderBoard.detail.payments')}
          actions={<PaymentStatusBadge status={order.paymentStatus} />}
        />
        {order.payments.length === 0 ? (
          <CardBody>
            <p className="text-sm text-stone-500">
              {t(`orderBoard.method.${order.paymentMethod}` as MessageKey)}
            </p>
          </CardBody>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-stone-200 text-sm">
              <thead className="bg-stone-50 text-left text-stone-600">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    {t('orderBoard.payments.kind')}
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    {t('orderBoard.field.status')}
                  </th>
                  <th scope="col" className="px-4 py-2 text-right font-medium">
                    {t('orderBoard.field.total')}
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    {t('orderBoard.payments.time')}
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    {t('orderBoard.payments.provider')}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {order.payments.map((p) => (
                  <tr key={p.id}>
                    <td className="px-4 py-2">
                      {t(`orderBoard.payments.${p.kind}` as MessageKey, { attempt: p.attemptNo })}
                    </td>
                    <td className="px-4 py-2">
                      {t(`orderBoard.tx.${p.status}` as MessageKey)}
                      {p.failureCode ? (
                        <span className="ml-1 font-mono text-xs text-red-700">{p.failureCode}</span>
                      ) : null}
                    </td>
                    <td className="whitespace-nowrap px-4 py-2 text-right">{rub(p.amount)}</td>
                    <td className="whitespace-nowrap px-4 py-2">
                      {when(
                        p.capturedAt ?? p.canceledAt ?? p.failedAt ?? p.authorizedAt ?? p.createdAt,
                      )}
                    </td>
                    <td className="px-4 py-2 font-mono text-xs text-stone-500">
                      {p.providerPaymentId ?? '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <Card>
        <CardHeader title={t('orderBoard.detail.audit')} />
        <CardBody>
          <ol className="space-y-2 text-sm">
            {order.audit.map((entry) => (
              <li key={entry.id} className="flex flex-wrap gap-x-3 gap-y-0.5">
                <time dateTime={entry.createdAt} className="whitespace-nowrap text-stone-500">
                  {when(entry.createdAt)}
                </time>
                <span className="text-stone-900">{auditSummary(entry, t)}</span>
                <span className="text-stone-500">{auditActor(entry, t)}</span>
                {entry.reason ? <span className="text-stone-700">«{entry.reason}»</span> : null}
              </li>
            ))}
          </ol>
        </CardBody>
      </Card>
    </div>
  );
}

type AuditEntry = SerializeFrom<AuditTrailRow>;

function statusOf(value: unknown): string | null {
  if (value && typeof value === 'object' && 'status' in value) {
    const status = (value as { status: unknown }).status;
    return typeof status === 'string' ? status : null;
  }
  return null;
}

function auditSummary(entry: AuditEntry, t: Translate): string {
  if (entry.action === 'order.create') return t('orderBoard.audit.create');
  if (entry.action === 'order.status') {
    const from = statusOf(entry.before);
    const to = statusOf(entry.after);
    const label = (s: string | null) => (s ? t(`orderBoard.status.${s}` as MessageKey) : '—');
    return t('orderBoard.audit.status', { from: label(from), to: label(to) });
  }
  if (entry.action === 'payment.refund') {
    const after = entry.after as { attempt_no?: unknown } | null | undefined;
    return t('orderBoard.audit.refund', { attempt: String(after?.attempt_no ?? '') });
  }
  return entry.action;
}

function auditActor(entry: AuditEntry, t: Translate): string {
  if (entry.actorType === 'USER') return entry.actorName ?? t('orderBoard.audit.actor.USER');
  return t(`orderBoard.audit.actor.${entry.actorType}` as MessageKey);
}
