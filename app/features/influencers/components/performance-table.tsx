import { Link } from '@remix-run/react';
import type { ReactNode } from 'react';
import { Badge } from '~/components/ui/badge';
import { EmptyState } from '~/components/ui/empty-state';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';
import { formatHundredths, performanceTotals } from '../commission';
import type { PerformanceRow } from '../influencers.server';

export type PerformanceView = 'campaign' | 'influencer';

/**
 * Codes with scans, matched orders, GMV, commission and conversion (OS-8). On a campaign's page
 * the rows name influencers; on an influencer's page they name campaigns.
 */
export function PerformanceTable({
  rows,
  view,
  actions,
}: {
  rows: PerformanceRow[];
  view: PerformanceView;
  actions?: (row: PerformanceRow) => ReactNode;
}) {
  const t = useT();
  const lang = useLang();
  if (rows.length === 0) return <EmptyState title={t('influencers.perf.empty')} />;
  const totals = performanceTotals(rows);
  const pct = (v: number | null) =>
    v === null ? '—' : `${formatHundredths(v, lang === 'ru' ? ',' : '.')} %`;
  const th = 'whitespace-nowrap px-3 py-2 font-medium text-stone-600';
  const num = 'px-3 py-2 text-right tabular-nums whitespace-nowrap';
  return (
    <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-stone-200 text-sm">
        <thead className="bg-stone-50">
          <tr>
            <th scope="col" className={`${th} text-left`}>
              {t('influencers.perf.code')}
            </th>
            <th scope="col" className={`${th} text-left`}>
              {view === 'campaign'
                ? t('influencers.perf.influencer')
                : t('influencers.perf.campaign')}
            </th>
            <th scope="col" className={`${th} text-right`}>
              {t('influencers.perf.scans')}
            </th>
            <th scope="col" className={`${th} text-right`}>
              {t('influencers.perf.orders')}
            </th>
            <th scope="col" className={`${th} text-right`}>
              {t('influencers.perf.gmv')}
            </th>
            <th scope="col" className={`${th} text-right`}>
              {t('influencers.perf.rate')}
            </th>
            <th scope="col" className={`${th} text-right`}>
              {t('influencers.perf.commission')}
            </th>
            <th scope="col" className={`${th} text-right`}>
              {t('influencers.perf.conversion')}
            </th>
            {actions ? <th scope="col" className={th} /> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {rows.map((r) => (
            <tr key={r.code_id}>
              <td className="px-3 py-2">
                <span className="font-mono font-semibold">{r.code}</span>{' '}
                {r.is_active ? null : (
                  <Badge tone="warning">{t('influencers.code.inactive')}</Badge>
                )}
              </td>
              <td className="px-3 py-2">
                {view === 'campaign' ? (
                  <Link
                    to={`/admin/influencers/${r.influencer_id}`}
                    className="text-brand-700 hover:underline"
                  >
                    {r.influencer_name}
                  </Link>
                ) : (
                  <Link
                    to={`/admin/campaigns/${r.campaign_id}`}
                    className="text-brand-700 hover:underline"
                  >
                    {pickLocalized(
                      lang,
                      {
                        name_ru: r.campaign_name_ru,
                        name_zh: r.campaign_name_zh,
                        name_en: r.campaign_name_en,
                      },
                      'name',
                    )}
                  </Link>
                )}
              </td>
              <td className={num}>{r.scan_count}</td>
              <td className={num}>{r.order_count}</td>
              <td className={num}>{formatRub(r.gmv_kopecks, lang)}</td>
              <td className={num}>{r.commission_rate}</td>
              <td className={num}>{formatRub(r.commission_kopecks, lang)}</td>
              <td className={num}>{pct(r.conversion_hundredths)}</td>
              {actions ? <td className="px-3 py-2 text-right">{actions(r)}</td> : null}
            </tr>
          ))}
        </tbody>
        <tfoot className="bg-stone-50 font-medium">
          <tr>
            <th scope="row" colSpan={2} className="px-3 py-2 text-left">
              {t('influencers.perf.total')}
            </th>
            <td className={num}>{totals.scans}</td>
            <td className={num}>{totals.orders}</td>
            <td className={num}>{formatRub(totals.gmvKopecks, lang)}</td>
            <td />
            <td className={num}>{formatRub(totals.commissionKopecks, lang)}</td>
            <td className={num}>{pct(totals.conversionHundredths)}</td>
            {actions ? <td /> : null}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
