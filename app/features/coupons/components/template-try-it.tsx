import { Form } from '@remix-run/react';
import { Alert } from '~/components/ui/alert';
import { Button } from '~/components/ui/button';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { Input, Label, Select } from '~/components/ui/input';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import { formatRub } from '~/utils/money';
import { describeCouponRejection } from '../coupon-reasons';
import { TRY_MAX_LINES, type TryItParams } from '../templates.schema';
import type { TryItPanelData } from '../templates.server';

/**
 * The "try it" panel: a GET form whose state lives in the URL (`try_store`, `try_product` /
 * `try_qty` pairs), so it works without JavaScript and a result can be shared. Each submit adds
 * one blank row for the next product.
 */
export function TemplateTryIt({ data, params }: { data: TryItPanelData; params: TryItParams }) {
  const t = useT();
  const lang = useLang();
  const rows = [...params.lines, { productId: 0, quantity: 1 }].slice(0, TRY_MAX_LINES);
  const { outcome } = data;
  return (
    <Card>
      <CardHeader
        title={t('couponTemplates.try.title')}
        description={t('couponTemplates.try.hint')}
      />
      <CardBody className="space-y-4">
        <Form method="get" className="space-y-3" preventScrollReset>
          <div className="max-w-sm space-y-1.5">
            <Label htmlFor="try-store">{t('couponTemplates.try.store')}</Label>
            <Select id="try-store" name="try_store" defaultValue={data.storeId ?? ''}>
              <option value="">{t('couponTemplates.try.chooseStore')}</option>
              {data.stores.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.code} · {pickLocalized(lang, s, 'name')}
                </option>
              ))}
            </Select>
          </div>
          {data.storeId !== null && data.products.length > 0
            ? rows.map((row, i) => (
                <div key={`${i}-${row.productId}`} className="flex flex-wrap items-end gap-3">
                  <div className="min-w-64 space-y-1.5">
                    <Label htmlFor={`try-product-${i}`}>
                      {t('couponTemplates.try.product', { n: i + 1 })}
                    </Label>
                    <Select
                      id={`try-product-${i}`}
                      name="try_product"
                      defaultValue={row.productId || ''}
                    >
                      <option value="">—</option>
                      {data.products.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name} · {formatRub(p.priceKopecks + p.optionsKopecks, lang)}
                        </option>
                      ))}
                    </Select>
                  </div>
                  <div className="w-24 space-y-1.5">
                    <Label htmlFor={`try-qty-${i}`}>
                      {t('couponTemplates.try.quantity', { n: i + 1 })}
                    </Label>
                    <Input
                      id={`try-qty-${i}`}
                      name="try_qty"
                      type="number"
                      min={1}
                      max={99}
                      defaultValue={row.quantity}
                    />
                  </div>
                </div>
              ))
            : null}
          <Button type="submit" variant="secondary">
            {data.storeId === null
              ? t('couponTemplates.try.load')
              : t('couponTemplates.try.calculate')}
          </Button>
        </Form>
        {outcome.kind === 'error' ? <Alert tone="danger">{t(outcome.message)}</Alert> : null}
        {outcome.kind === 'result' ? (
          <div className="space-y-3">
            <table className="w-full text-sm" aria-label={t('couponTemplates.try.title')}>
              <thead>
                <tr className="text-left text-xs text-stone-500">
                  <th className="py-1">{t('couponTemplates.try.line')}</th>
                  <th className="py-1 text-right">{t('couponTemplates.try.qty')}</th>
                  <th className="py-1 text-right">{t('couponTemplates.try.price')}</th>
                  <th className="py-1 text-right">{t('couponTemplates.try.lineTotal')}</th>
                  <th className="py-1 text-right">{t('couponTemplates.try.discount')}</th>
                </tr>
              </thead>
              <tbody>
                {outcome.lines.map((l) => (
                  <tr key={l.lineNo} className="border-t border-stone-100">
                    <td className="py-1">{l.name}</td>
                    <td className="py-1 text-right">{l.quantity}</td>
                    <td className="py-1 text-right">
                      {formatRub(l.unitPriceKopecks + l.optionsPriceKopecks, lang)}
                    </td>
                    <td className="py-1 text-right">{formatRub(l.lineTotalKopecks, lang)}</td>
                    <td className="py-1 text-right" data-testid={`try-line-discount-${l.lineNo}`}>
                      {formatRub(l.discountKopecks, lang)}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="border-t border-stone-200 font-medium">
                  <td className="py-1" colSpan={3}>
                    {t('couponTemplates.try.subtotal')}
                  </td>
                  <td className="py-1 text-right">{formatRub(outcome.subtotalKopecks, lang)}</td>
                  <td />
                </tr>
              </tfoot>
            </table>
            {outcome.evaluation?.eligible ? (
              <Alert tone="success">
                <span data-testid="try-total-discount">
                  {t('couponTemplates.try.total', {
                    amount: formatRub(outcome.evaluation.discountKopecks, lang),
                  })}
                </span>
              </Alert>
            ) : outcome.evaluation ? (
              <Alert tone="warning">
                <span data-testid="try-rejection">
                  {describeCouponRejection(outcome.evaluation.rejection, lang)}
                </span>
              </Alert>
            ) : null}
          </div>
        ) : null}
      </CardBody>
    </Card>
  );
}
