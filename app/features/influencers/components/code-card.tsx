import { Button } from '~/components/ui/button';
import { formatCampaignTime } from '~/features/campaigns/campaign-time';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import type { CodeCard as CodeCardData } from '../influencers.server';

// Printing shows the card alone: everything else on the page (the admin shell) is hidden.
const PRINT_CSS = `
@media print {
  @page { margin: 12mm; }
  body * { visibility: hidden !important; }
  #code-card, #code-card * { visibility: visible !important; }
  #code-card { position: absolute; left: 0; top: 0; width: 100%; box-shadow: none; border-color: #000; }
  .code-card-no-print { display: none !important; }
}`;

/** The till card: the code in large type, its QR code, the campaign and the influencer. */
export function CodeCard({ card, qrSvg }: { card: CodeCardData; qrSvg: string }) {
  const t = useT();
  const lang = useLang();
  const campaignName = pickLocalized(
    lang,
    {
      name_ru: card.campaign_name_ru,
      name_zh: card.campaign_name_zh,
      name_en: card.campaign_name_en,
    },
    'name',
  );
  return (
    <div className="space-y-4">
      <style>{PRINT_CSS}</style>
      <div className="code-card-no-print flex items-center gap-3">
        <Button variant="primary" onClick={() => window.print()}>
          {t('influencers.card.print')}
        </Button>
        {card.is_active ? null : (
          <p className="text-sm font-medium text-amber-700">{t('influencers.card.inactive')}</p>
        )}
      </div>
      <article
        id="code-card"
        className="mx-auto flex max-w-md flex-col items-center rounded-xl border-2 border-stone-300 bg-white px-8 py-8 text-center shadow-sm"
      >
        <p className="text-xs uppercase tracking-widest text-stone-500">
          {t('influencers.card.title')}
        </p>
        <p
          className="mt-2 font-mono text-7xl font-bold tracking-widest text-stone-900"
          data-testid="code-card-code"
        >
          {card.code}
        </p>
        <div
          className="mt-6 w-56"
          role="img"
          aria-label={card.code}
          // the SVG is produced by the qrcode library from a code matching ^[A-Z][1-9][0-9]{3}$
          dangerouslySetInnerHTML={{ __html: qrSvg }}
        />
        <p className="mt-4 text-sm text-stone-600">{t('influencers.card.scanHint')}</p>
        <hr className="my-4 w-full border-stone-200" />
        <p className="text-lg font-semibold text-stone-900">{campaignName}</p>
        <p className="text-base text-stone-700">{card.influencer_name}</p>
        <p className="mt-2 text-xs text-stone-500">
          {t('influencers.card.period', {
            from: formatCampaignTime(card.start_at, lang),
            to: formatCampaignTime(card.end_at, lang),
          })}
        </p>
      </article>
    </div>
  );
}
