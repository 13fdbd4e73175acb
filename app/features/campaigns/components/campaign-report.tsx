import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { EmptyState } from '~/components/ui/empty-state';
import { formatHundredths, type PerformanceTotals } from '~/features/influencers/commission';
import { useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';
import { formatCampaignTime } from '../campaign-time';
import type { AttributedOrder, CampaignCouponStats } from '../campaigns.server';

function Stat({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="rounded-md bg-stone-50 px-3 py-2">
      <dt className="text-xs text-stone-500">{label}</dt>
      <dd className="mt-0.5 text-base font-semibold tabular-nums text-stone-900">{value}</dd>
      {note ? <dd className="text-xs text-stone-500">{note}</dd> : null}
    </div>
  );
}

/** Totals, budget against the commission earned, and the campaign's coupons. */
export function CampaignStats({
  totals,
  budgetKopecks,
  coupons,
  campaignCode,
}: {
  totals: PerformanceTotals;
  budgetKopecks: number | null;
  coupons: CampaignCouponStats;
  campaignCode: string;
}) {
  const t = useT();
  const lang = useLang();
  const rub = (v: number) => formatRub(v, lang);
  const over = budgetKopecks !== null && totals.commissionKopecks > budgetKopecks;
  return (
    <Card>
      <CardHeader title={t('campaigns.section.performance')} />
      <CardBody className="space-y-4">
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
          <Stat label={t('campaigns.stat.scans')} value={String(totals.scans)} />
          <Stat label={t('campaigns.stat.orders')} value={String(totals.orders)} />
          <Stat label={t('campaigns.stat.gmv')} value={rub(totals.gmvKopecks)} />
          <Stat label={t('campaigns.stat.commission')} value={rub(totals.commissionKopecks)} />
          <Stat
            label={t('campaigns.stat.conversion')}
            value={
              totals.conversionHundredths === null
                ? '—'
                : `${formatHundredths(totals.conversionHundredths, lang === 'ru' ? ',' : '.')} %`
            }
          />
        </dl>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
          <Stat
            label={t('campaigns.stat.budget')}
            value={budgetKopecks === null ? t('campaigns.stat.noBudget') : rub(budgetKopecks)}
          />
          <Stat label={t('campaigns.stat.spent')} value={rub(totals.commissionKopecks)} />
          {budgetKopecks !== null ? (
            <Stat
              label={t('campaigns.stat.remaining')}
              value={rub(Math.max(0, budgetKopecks - totals.commissionKopecks))}
              note={
                over
                  ? t('campaigns.stat.overBudget', {
                      amount: rub(totals.commissionKopecks - budgetKopecks),
                    })
                  : undefined
              }
            />
          ) : null}
        </dl>
        <div>
          <h3 className="mb-2 text-sm font-semibold text-stone-900">
            {t('campaigns.section.coupons')}
          </h3>
          <dl className="grid grid-cols-3 gap-3">
            <Stat label={t('campaigns.stat.couponsIssued')} value={String(coupons.issued)} />
            <Stat label={t('campaigns.stat.couponsRedeemed')} value={String(coupons.redeemed)} />
            <Stat label={t('campaigns.stat.discountGiven')} value={rub(coupons.discountKopecks)} />
          </dl>
          <p className="mt-2 text-xs text-stone-500">
            {t('campaigns.coupons.note', { code: campaignCode })}
          </p>
        </div>
      </CardBody>
    </Card>
  );
}

export function AttributedOrders({ orders }: { orders: AttributedOrder[] }) {
  const t = useT();
  const lang = useLang();
  return (
    <Card>
      <CardHeader title={t('campaigns.section.orders')} />
      {orders.length === 0 ? (
        <CardBody>
          <EmptyState title={t('campaigns.orders.empty')} />
        </CardBody>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-stone-200 text-sm">
            <thead className="bg-stone-50 text-left text-stone-600">
              <tr>
                <th className="px-3 py-2 font-medium">{t('campaigns.orders.number')}</th>
                <th className="px-3 py-2 font-medium">{t('campaigns.orders.code')}</th>
                <th className="px-3 py-2 font-medium">{t('campaigns.orders.store')}</th>
                <th className="px-3 py-2 font-medium">{t('campaigns.orders.status')}</th>
                <th className="px-3 py-2 text-right font-medium">{t('campaigns.orders.amount')}</th>
                <th className="px-3 py-2 font-medium">{t('campaigns.orders.created')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {orders.map((o) => (
                <tr key={o.id}>
                  <td className="px-3 py-2 font-mono">{o.order_number}</td>
                  <td className="px-3 py-2 font-mono">{o.code}</td>
                  <td className="px-3 py-2 font-mono">{o.store_code}</td>
                  <td className="px-3 py-2">{o.status}</td>
                  <td className="px-3 py-2 text-right tabular-nums">
                    {formatRub(o.final_kopecks, lang)}
                  </td>
                  <td className="px-3 py-2 text-xs">{formatCampaignTime(o.created_at, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
