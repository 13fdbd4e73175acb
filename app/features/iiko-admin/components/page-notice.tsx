import { Alert } from '~/components/ui/alert';
import { useT } from '~/i18n/use-t';
import type { Notice } from '../iiko-admin.schema';

export type ActionError = 'NOT_FAILED' | 'ORDER_PUSH' | 'ALREADY_PENDING' | 'RACE';

/** The success notice of a post/redirect/get, or the refusal an action answered with. */
export function PageNotice({ notice, error }: { notice: Notice | null; error?: ActionError }) {
  const t = useT();
  if (error) {
    return (
      <Alert tone="warning" className="mb-4">
        {t(`iikoAdmin.error.${error}`)}
      </Alert>
    );
  }
  if (!notice) return null;
  return (
    <Alert tone="success" className="mb-4">
      {t(`iikoAdmin.notice.${notice}`)}
    </Alert>
  );
}
