import { Link } from '@remix-run/react';
import { Card, CardHeader } from '~/components/ui/card';
import type { MessageKey } from '~/i18n/translate';
import { useLang, useT } from '~/i18n/use-t';
import { cn } from '~/components/ui/cn';
import { formatDateTime, formatPoints, formatPointsDelta } from '../format';

export interface LedgerRow {
  id: number;
  createdAt: string;
  delta: number;
  balanceAfter: number;
  reason: string;
  orderNumber: string | null;
  orderToken: string | null;
}

export function PointsLedger({ entries, limit }: { entries: LedgerRow[]; limit: number }) {
  const t = useT();
  const lang = useLang();
  return (
    <Card>
      <CardHeader
        title={t('account.points.title')}
        description={
          entries.length >= limit ? t('account.points.caption', { count: limit }) : undefined
        }
      />
      {entries.length === 0 ? (
        <p className="px-4 py-6 text-sm text-stone-500">{t('account.points.empty')}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm">
            <thead className="bg-stone-50 text-left text-xs font-medium text-stone-500">
              <tr>
                <th scope="col" className="px-4 py-2">
                  {t('account.points.date')}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t('account.points.operation')}
                </th>
                <th scope="col" className="px-4 py-2 text-right">
                  {t('account.points.delta')}
                </th>
                <th scope="col" className="px-4 py-2 text-right">
                  {t('account.points.balance')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td className="whitespace-nowrap px-4 py-2 text-stone-600">
                    {formatDateTime(entry.createdAt, lang)}
                  </td>
                  <td className="px-4 py-2 text-stone-900">
                    {t(`account.points.reason.${entry.reason}` as MessageKey)}
                    {entry.orderNumber && entry.orderToken ? (
                      <>
                        {' · '}
                        <Link
                          to={`/o/${entry.orderToken}`}
                          className="text-brand-700 hover:underline"
                        >
                          {t('account.points.order', { number: entry.orderNumber })}
                        </Link>
                      </>
                    ) : null}
                  </td>
                  <td
                    className={cn(
                      'whitespace-nowrap px-4 py-2 text-right font-medium tabular-nums',
                      entry.delta < 0 ? 'text-red-700' : 'text-emerald-700',
                    )}
                  >
                    {formatPointsDelta(entry.delta, lang)}
                  </td>
                  <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums text-stone-700">
                    {formatPoints(entry.balanceAfter, lang)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
