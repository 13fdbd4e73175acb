import type { Db } from '~db/database.server';
import type { Lang } from '~/i18n/languages';
import { translator } from '~/i18n/translate';
import { formatHundredths } from './commission';
import { listPerformance } from './influencers.server';
import { csvMoney, toCsv } from './report-csv';

/** The performance report (one row per influencer × campaign code) as CSV text. */
export async function performanceCsv(
  db: Db,
  lang: Lang,
  filter: { campaignId?: number; influencerId?: number },
): Promise<string> {
  const t = translator(lang);
  const rows = await listPerformance(db, filter);
  const header = [
    t('influencers.perf.influencer'),
    t('influencers.perf.campaignCode'),
    t('influencers.perf.campaign'),
    t('influencers.perf.code'),
    t('influencers.perf.codeStatus'),
    t('influencers.perf.scans'),
    t('influencers.perf.orders'),
    t('influencers.perf.gmv'),
    t('influencers.perf.rate'),
    t('influencers.perf.commission'),
    t('influencers.perf.conversion'),
  ];
  return toCsv(
    header,
    rows.map((r) => [
      r.influencer_name,
      r.campaign_code,
      // C-7: the reader's language, falling back to Russian
      (lang === 'zh' ? r.campaign_name_zh : lang === 'en' ? r.campaign_name_en : null) ||
        r.campaign_name_ru,
      r.code,
      r.is_active ? t('influencers.code.active') : t('influencers.code.inactive'),
      r.scan_count,
      r.order_count,
      csvMoney(r.gmv_kopecks),
      { text: r.commission_rate.replace('.', ',') },
      csvMoney(r.commission_kopecks),
      r.conversion_hundredths === null
        ? null
        : { text: formatHundredths(r.conversion_hundredths, ',') },
    ]),
  );
}
