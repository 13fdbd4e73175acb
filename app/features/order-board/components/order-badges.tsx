import { Badge, type BadgeTone } from '~/components/ui/badge';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';

const STATUS_TONES: Record<string, BadgeTone> = {
  PENDING: 'neutral',
  CONFIRMED: 'info',
  PREPARING: 'warning',
  READY: 'success',
  DELIVERING: 'brand',
  COMPLETED: 'neutral',
  CANCELLED: 'danger',
  VOIDED: 'danger',
  REFUNDED: 'neutral',
};

const PAYMENT_TONES: Record<string, BadgeTone> = {
  PENDING: 'neutral',
  WAITING_FOR_CAPTURE: 'info',
  SUCCEEDED: 'success',
  CANCELED: 'neutral',
  FAILED: 'danger',
  REFUNDED: 'neutral',
  NOT_REQUIRED: 'neutral',
};

export function OrderStatusBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <Badge tone={STATUS_TONES[status] ?? 'neutral'}>
      {t(`orderBoard.status.${status}` as MessageKey)}
    </Badge>
  );
}

export function PaymentStatusBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <Badge tone={PAYMENT_TONES[status] ?? 'neutral'}>
      {t(`orderBoard.payment.${status}` as MessageKey)}
    </Badge>
  );
}

export function RefundPendingBadge() {
  const t = useT();
  return <Badge tone="danger">{t('orderBoard.refundPending.badge')}</Badge>;
}

export function OrderTypeBadge({ type }: { type: string }) {
  const t = useT();
  return (
    <Badge tone={type === 'DELIVERY' ? 'brand' : 'neutral'}>
      {t(`orderBoard.type.${type}` as MessageKey)}
    </Badge>
  );
}
