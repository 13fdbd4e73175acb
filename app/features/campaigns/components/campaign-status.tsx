import { Form } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Badge, type BadgeTone } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { useT } from '~/i18n/use-t';
import type { CampaignStatus } from '~/utils/vocabularies';
import { CAMPAIGN_TRANSITIONS } from '../campaigns.schema';

const TONES: Record<CampaignStatus, BadgeTone> = {
  DRAFT: 'neutral',
  ACTIVE: 'success',
  PAUSED: 'warning',
  ENDED: 'info',
};

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  const t = useT();
  return <Badge tone={TONES[status]}>{t(`campaigns.status.${status}`)}</Badge>;
}

export const TRANSITION_INTENT = 'transition';

/**
 * One button per legal next status. Each posts the status the page showed as `from`, so a click on
 * a stale page is refused (409) instead of applying to a campaign that has moved on.
 */
export function CampaignLifecycle({ status }: { status: CampaignStatus }) {
  const t = useT();
  const next = CAMPAIGN_TRANSITIONS[status];
  if (next.length === 0) {
    return <p className="text-sm text-stone-500">{t('campaigns.lifecycle.ended')}</p>;
  }
  return (
    <div className="flex flex-wrap gap-2">
      {next.map((to) => (
        <Form
          key={to}
          method="post"
          onSubmit={(event) => {
            if (to === 'ENDED' && !window.confirm(t('campaigns.action.endConfirm'))) {
              event.preventDefault();
            }
          }}
        >
          <CsrfInput />
          <input type="hidden" name="intent" value={TRANSITION_INTENT} />
          <input type="hidden" name="from" value={status} />
          <input type="hidden" name="to" value={to} />
          <Button
            type="submit"
            variant={to === 'ENDED' ? 'danger' : to === 'ACTIVE' ? 'primary' : 'secondary'}
          >
            {to === 'ACTIVE' && status === 'PAUSED'
              ? t('campaigns.action.resume')
              : t(`campaigns.action.${to as 'ACTIVE' | 'PAUSED' | 'ENDED'}`)}
          </Button>
        </Form>
      ))}
    </div>
  );
}
