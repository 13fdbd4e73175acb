import { Alert } from '~/components/ui/alert';
import type { MessageKey } from '~/i18n/translate';
import { useT } from '~/i18n/use-t';
import type { OrderActionData } from '../order-board.schema';

/** The outcome of an order action: success, a warning (refund pending) or the refusal. */
export function ActionNotice({ data, className }: { data: OrderActionData; className?: string }) {
  const t = useT();
  if (data.ok) {
    const status = t(`orderBoard.status.${data.status}` as MessageKey);
    return (
      <Alert tone={data.tone} className={className}>
        {t(data.notice, { number: data.orderNumber, status })}
      </Alert>
    );
  }
  return (
    <Alert tone="danger" className={className}>
      {t(data.message)}
    </Alert>
  );
}
