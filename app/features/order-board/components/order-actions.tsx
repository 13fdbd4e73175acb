import { useFetcher } from '@remix-run/react';
import { useEffect, useId, type ReactNode } from 'react';
import type { StaffRole } from '~/auth/permissions';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Button } from '~/components/ui/button';
import { Textarea } from '~/components/ui/input';
import { cn } from '~/components/ui/cn';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';
import {
  CANCEL_REASON_MAX,
  RETRY_REFUND_INTENT,
  STATUS_INTENT,
  staffActionsFor,
  type OrderAction,
  type OrderActionData,
} from '../order-board.schema';
import { ActionNotice } from './action-notice';

export interface ActionableOrder {
  id: number;
  orderNumber: string;
  status: string;
  paymentStatus: string;
  orderType: string;
  refundPending: boolean;
}

function forwardLabel(action: OrderAction, orderType: string): MessageKey {
  if (action.to === 'COMPLETED') {
    return orderType === 'DELIVERY' ? 'orderBoard.action.delivered' : 'orderBoard.action.handOver';
  }
  return `orderBoard.action.${action.to}` as MessageKey;
}

/**
 * The buttons an order offers its viewer (fulfilment steps, cancel with a reason, the admin's
 * refund and refund retry), each a CSRF-protected POST through a fetcher so the board does not
 * navigate. `compact` (board cards) shows only the next step besides cancel. The result goes to
 * `onResult` when given (the board lists it above the columns: a moved card remounts in its new
 * column), otherwise it is shown under the buttons.
 */
export function OrderActions({
  order,
  role,
  compact = false,
  onResult,
}: {
  order: ActionableOrder;
  role: StaffRole;
  compact?: boolean;
  onResult?: (data: OrderActionData) => void;
}) {
  const t = useT();
  const fetcher = useFetcher<OrderActionData>();
  const busy = fetcher.state !== 'idle';
  const data = fetcher.state === 'idle' ? fetcher.data : undefined;
  useEffect(() => {
    if (data && onResult) onResult(data);
  }, [data, onResult]);

  const actions = staffActionsFor(order, role);
  const forward = actions.filter((a) => a.kind === 'forward');
  const shown = compact ? forward.slice(0, 1) : forward;
  const cancel = actions.find((a) => a.kind === 'cancel');
  const refund = actions.find((a) => a.kind === 'refund');
  const retry = actions.find((a) => a.kind === 'retry-refund');
  if (actions.length === 0) return null;

  const hidden = (
    <>
      <CsrfInput />
      <input type="hidden" name="orderId" value={order.id} />
      <input type="hidden" name="from" value={order.status} />
    </>
  );
  const reasonError = data && !data.ok && data.result?.error?.reason ? data.message : undefined;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        {shown.map((action, i) => (
          <fetcher.Form method="post" key={action.to}>
            {hidden}
            <input type="hidden" name="intent" value={STATUS_INTENT} />
            <input type="hidden" name="to" value={action.to ?? ''} />
            <Button
              type="submit"
              size="sm"
              variant={i === 0 ? 'primary' : 'secondary'}
              disabled={busy}
              aria-label={`${t(forwardLabel(action, order.orderType))} · ${order.orderNumber}`}
            >
              {t(forwardLabel(action, order.orderType))}
            </Button>
          </fetcher.Form>
        ))}
        {retry ? (
          <fetcher.Form method="post">
            <CsrfInput />
            <input type="hidden" name="orderId" value={order.id} />
            <input type="hidden" name="intent" value={RETRY_REFUND_INTENT} />
            <Button type="submit" size="sm" variant="danger" disabled={busy}>
              {t('orderBoard.action.retryRefund')}
            </Button>
          </fetcher.Form>
        ) : null}
      </div>
      {cancel ? (
        <ReasonForm
          summary="orderBoard.action.cancel"
          submit="orderBoard.action.confirmCancel"
          hint={
            order.paymentStatus === 'SUCCEEDED'
              ? 'orderBoard.cancel.refundHint'
              : 'orderBoard.cancel.hint'
          }
          to="CANCELLED"
          required
          busy={busy}
          error={reasonError}
          fetcher={fetcher}
        >
          {hidden}
        </ReasonForm>
      ) : null}
      {refund ? (
        <ReasonForm
          summary="orderBoard.action.refund"
          submit="orderBoard.action.confirmRefund"
          hint="orderBoard.refund.hint"
          to="REFUNDED"
          required={false}
          busy={busy}
          fetcher={fetcher}
        >
          {hidden}
        </ReasonForm>
      ) : null}
      {data && !onResult ? <ActionNotice data={data} /> : null}
      {data && onResult && !data.ok ? <ActionNotice data={data} /> : null}
    </div>
  );
}

type Fetcher = ReturnType<typeof useFetcher<OrderActionData>>;

/** A disclosure with a reason field and a confirm button (cancel, refund). Works without JS. */
function ReasonForm({
  summary,
  submit,
  hint,
  to,
  required,
  busy,
  error,
  fetcher,
  children,
}: {
  summary: MessageKey;
  submit: MessageKey;
  hint: MessageKey;
  to: 'CANCELLED' | 'REFUNDED';
  required: boolean;
  busy: boolean;
  error?: MessageKey;
  fetcher: Fetcher;
  children: ReactNode;
}) {
  const t = useT();
  const id = useId();
  return (
    <details className="group rounded-md text-sm" open={error ? true : undefined}>
      <summary
        className={cn(
          'inline-flex cursor-pointer list-none items-center rounded-md px-2 py-1 text-xs font-medium',
          'text-red-700 hover:bg-red-50 group-open:bg-red-50',
        )}
      >
        {t(summary)}
      </summary>
      <fetcher.Form method="post" className="mt-2 space-y-2 rounded-md border border-red-200 p-3">
        {children}
        <input type="hidden" name="intent" value={STATUS_INTENT} />
        <input type="hidden" name="to" value={to} />
        <label htmlFor={`${id}-reason`} className="block text-xs font-medium text-stone-800">
          {t(required ? 'orderBoard.cancel.reason' : 'orderBoard.refund.reason')}
        </label>
        <Textarea
          id={`${id}-reason`}
          name="reason"
          rows={2}
          maxLength={CANCEL_REASON_MAX}
          required={required}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        />
        <p id={`${id}-hint`} className="text-xs text-stone-500">
          {t(hint)}
        </p>
        {error ? (
          <p id={`${id}-error`} className="text-xs font-medium text-red-600">
            {t(error)}
          </p>
        ) : null}
        <Button type="submit" size="sm" variant="danger" disabled={busy}>
          {t(submit)}
        </Button>
      </fetcher.Form>
    </details>
  );
}
