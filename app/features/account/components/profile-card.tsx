import { Form } from '@remix-run/react';
import { CSRF_FIELD_NAME } from '~/components/auth/csrf-input';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { useLang, useT } from '~/i18n/use-t';
import { formatPoints } from '../format';

export interface ProfileCardProps {
  displayName: string;
  /** Already masked for display. */
  phone: string;
  tier: string | null;
  pointsBalance: number;
  csrfToken: string;
}

export function ProfileCard({
  displayName,
  phone,
  tier,
  pointsBalance,
  csrfToken,
}: ProfileCardProps) {
  const t = useT();
  const lang = useLang();
  return (
    <Card className="p-5">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h2 className="text-sm font-semibold text-stone-900">{t('account.profile.title')}</h2>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
            <dt className="text-stone-500">{t('account.profile.name')}</dt>
            <dd className="font-medium text-stone-900">{displayName}</dd>
            <dt className="text-stone-500">{t('account.profile.phone')}</dt>
            <dd className="tabular-nums text-stone-900">{phone}</dd>
            <dt className="text-stone-500">{t('account.profile.tier')}</dt>
            <dd className="text-stone-900">{tier ?? t('account.profile.noTier')}</dd>
          </dl>
        </div>
        <div className="rounded-lg bg-brand-50 px-4 py-3 text-right ring-1 ring-inset ring-brand-600/20">
          <p className="text-xs font-medium text-brand-700" id="points-balance-label">
            {t('account.profile.points')}
          </p>
          <p
            className="mt-1 text-2xl font-bold tabular-nums text-brand-800"
            aria-labelledby="points-balance-label"
            data-testid="points-balance"
          >
            {formatPoints(pointsBalance, lang)}
          </p>
        </div>
      </div>
      <Form method="post" action="/signout" className="mt-4 border-t border-stone-100 pt-4">
        <input type="hidden" name={CSRF_FIELD_NAME} value={csrfToken} />
        <Button type="submit" variant="secondary" size="sm">
          {t('account.signOut')}
        </Button>
      </Form>
    </Card>
  );
}
