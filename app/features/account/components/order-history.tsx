import { Link } from '@remix-run/react';
import { Card, CardHeader } from '~/components/ui/card';
import type { MessageKey } from '~/i18n/translate';
import { useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';
import { formatDateTime } from '../format';

export interface OrderRow {
  id: number;
  orderNumber: string;
  publicToken: string;
  createdAt: string;
  status: string;
  finalAmount: number;
  storeName: string;
}

/** OR-5: the member's own orders; each opens its public order page. */
export function OrderHistory({ orders }: { orders: OrderRow[] }) {
  const t = useT();
  const lang = useLang();
  return (
    <Card>
      <CardHeader title={t('account.orders.title')} />
      {orders.length === 0 ? (
        <p className="px-4 py-6 text-sm text-stone-500">{t('account.orders.empty')}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm">
            <thead className="bg-stone-50 text-left text-xs font-medium text-stone-500">
              <tr>
                <th scope="col" className="px-4 py-2">
                  {t('account.orders.number')}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t('account.orders.store')}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t('account.orders.date')}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t('account.orders.status')}
                </th>
                <th scope="col" className="px-4 py-2 text-right">
                  {t('account.orders.total')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {orders.map((order) => (
                <tr key={order.id}>
                  <td className="whitespace-nowrap px-4 py-2 font-medium">
                    <Link to={`/o/${order.publicToken}`} className="text-brand-700 hover:underline">
                      {order.orderNumber}
                    </Link>
                  </td>
                  <td className="px-4 py-2 text-stone-700">{order.storeName}</td>
                  <td className="whitespace-nowrap px-4 py-2 text-stone-600">
                    {formatDateTime(order.createdAt, lang)}
                  </td>
                  <td className="px-4 py-2 text-stone-900">
                    {t(`shop.orderStatus.${order.status}` as MessageKey)}
                  </td>
                  <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums text-stone-900">
                    {formatRub(order.finalAmount, lang)}
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
