import { Badge, type BadgeTone } from '~/components/ui/badge';
import { useT } from '~/i18n/use-t';
import type { IikoJobStatus, IikoJobType } from '~/utils/vocabularies';

const STATUS_TONE: Record<IikoJobStatus, BadgeTone> = {
  PENDING: 'info',
  RUNNING: 'brand',
  COMPLETED: 'success',
  FAILED: 'danger',
  CANCELLED: 'neutral',
};

export function JobStatusBadge({ status }: { status: IikoJobStatus }) {
  const t = useT();
  return (
    <Badge tone={STATUS_TONE[status]} data-status={status}>
      {t(`iikoAdmin.status.${status}`)}
    </Badge>
  );
}

export function JobTypeLabel({ type }: { type: IikoJobType }) {
  const t = useT();
  return <>{t(`iikoAdmin.type.${type}`)}</>;
}
