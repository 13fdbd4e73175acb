import { Form, Link } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Button, buttonClasses } from '~/components/ui/button';
import { Label, Select } from '~/components/ui/input';
import type { CampaignOption } from '~/features/campaigns/campaigns.server';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import type { PerformanceRow } from '../influencers.server';

export const GENERATE_INTENT = 'generate-code';
export const TOGGLE_INTENT = 'toggle-code';

/** Campaign picker + "Get code" (OS-1; a second click for the same campaign shows the same code). */
export function GenerateCodeForm({
  campaigns,
  disabled,
}: {
  campaigns: CampaignOption[];
  disabled: boolean;
}) {
  const t = useT();
  const lang = useLang();
  if (campaigns.length === 0) {
    return <p className="text-sm text-stone-500">{t('influencers.generate.none')}</p>;
  }
  return (
    <Form method="post" className="flex flex-wrap items-end gap-3">
      <CsrfInput />
      <input type="hidden" name="intent" value={GENERATE_INTENT} />
      <div className="min-w-64 space-y-1.5">
        <Label htmlFor="generate-campaign">{t('influencers.generate.campaign')}</Label>
        <Select id="generate-campaign" name="campaignId" defaultValue="" required>
          <option value="" disabled>
            {t('influencers.generate.choose')}
          </option>
          {campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.code} · {pickLocalized(lang, c, 'name')} ({c.code_letter}…,{' '}
              {t(`campaigns.status.${c.status}`)})
            </option>
          ))}
        </Select>
      </div>
      <Button type="submit" variant="primary" disabled={disabled}>
        {t('influencers.generate.submit')}
      </Button>
    </Form>
  );
}

/** Activate / deactivate and the printable card, per code row. */
export function CodeRowActions({ row }: { row: PerformanceRow }) {
  const t = useT();
  return (
    <div className="flex justify-end gap-2">
      <Link
        to={`/admin/influencers/${row.influencer_id}/codes/${row.code_id}/card`}
        className={buttonClasses({ variant: 'secondary', size: 'sm' })}
      >
        {t('influencers.code.card')}
      </Link>
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value={TOGGLE_INTENT} />
        <input type="hidden" name="codeId" value={row.code_id} />
        <input type="hidden" name="active" value={row.is_active ? 'false' : 'true'} />
        <Button type="submit" size="sm" variant={row.is_active ? 'ghost' : 'secondary'}>
          {row.is_active ? t('influencers.code.deactivate') : t('influencers.code.activate')}
        </Button>
      </Form>
    </div>
  );
}
