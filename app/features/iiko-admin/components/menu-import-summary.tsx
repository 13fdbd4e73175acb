import { Link } from '@remix-run/react';
import { Alert } from '~/components/ui/alert';
import type { Lang } from '~/i18n/languages';
import { useLang, useT } from '~/i18n/use-t';
import { formatRub, fromDecimal } from '~/utils/money';
import type { MenuImportResult } from '../iiko-admin.schema';
import { plainValue } from './format';

/** IK-8 stores prices as decimal strings ("300.00"); shown as money, anything else as is. */
function conflictValue(field: string, value: unknown, lang: Lang): string {
  if (field === 'base_price' && typeof value === 'string' && /^\d{1,10}(\.\d{1,2})?$/.test(value)) {
    return formatRub(fromDecimal(value), lang);
  }
  return plainValue(value);
}

const COUNTS = ['created', 'updated', 'unchanged', 'deactivated', 'skipped', 'conflicts'] as const;

/** The IK-8 result of a MENU_IMPORT: counts, revisions and the conflicts it found. */
export function MenuImportSummary({ result }: { result: MenuImportResult }) {
  const t = useT();
  const lang = useLang();
  if (result.kind === 'unchanged') {
    return <Alert tone="info">{t('iikoAdmin.summary.unchangedRevision')}</Alert>;
  }
  const items = result.conflict_items;
  return (
    <div className="space-y-4">
      <p className="text-sm text-stone-600">
        {t('iikoAdmin.summary.revision', {
          from: result.revision_from ?? '—',
          to: result.revision_to ?? '—',
        })}
      </p>
      <dl
        className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6"
        data-testid="import-counts"
      >
        {COUNTS.map((key) => (
          <div key={key} className="rounded-md border border-stone-200 px-3 py-2">
            <dt className="text-xs text-stone-500">{t(`iikoAdmin.summary.${key}`)}</dt>
            <dd className="text-lg font-semibold text-stone-900" data-count={key}>
              {result[key]}
            </dd>
          </div>
        ))}
      </dl>
      {items.length > 0 ? (
        <div>
          <h3 className="mb-2 text-sm font-semibold text-stone-900">
            {t('iikoAdmin.conflictItems.title')}
          </h3>
          {result.conflicts > items.length ? (
            <p className="mb-2 text-xs text-stone-500">
              {t('iikoAdmin.conflictItems.truncated', {
                shown: items.length,
                total: result.conflicts,
              })}
            </p>
          ) : null}
          <div className="overflow-x-auto rounded-lg border border-stone-200">
            <table className="min-w-full divide-y divide-stone-200 text-sm">
              <thead className="bg-stone-50 text-left text-stone-600">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    {t('iikoAdmin.conflictItems.product')}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    {t('iikoAdmin.conflictItems.field')}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    {t('iikoAdmin.conflictItems.local')}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    {t('iikoAdmin.conflictItems.iiko')}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {items.map((item, i) => (
                  <tr key={`${item.product_id}-${item.field}-${i}`}>
                    <td className="px-3 py-2">
                      <Link
                        to={`/admin/menu/products/${item.product_id}`}
                        className="font-mono text-brand-700 hover:underline"
                      >
                        #{item.product_id}
                      </Link>
                    </td>
                    <td className="px-3 py-2">
                      {item.field === 'base_price' || item.field === 'name_ru'
                        ? t(`iikoAdmin.field.${item.field}`)
                        : item.field}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs">
                      {conflictValue(item.field, item.local, lang)}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs">
                      {conflictValue(item.field, item.iiko, lang)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </div>
  );
}
