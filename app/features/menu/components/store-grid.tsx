import { Form, useFetcher } from '@remix-run/react';
import { CsrfInput } from '~/components/auth/csrf-input';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardBody, CardHeader } from '~/components/ui/card';
import { Field, Input, Select } from '~/components/ui/input';
import type { MessageKey } from '~/i18n/translate';
import { pickLocalized, useLang, useT } from '~/i18n/use-t';
import { formatRub, toDecimal } from '~/utils/money';
import { STOCK_STATUSES } from '~/utils/vocabularies';
import { useFieldError } from './form-controls';

type Localized = { name_ru: string; name_zh: string | null; name_en: string | null };
export type GridStore = Localized & { id: number; code: string; is_active: boolean };
export type GridProduct = Localized & {
  id: number;
  sku: string;
  base_price: number;
  is_active: boolean;
};
export type GridCell = {
  store_id: number;
  product_id: number;
  is_active: boolean;
  price_override: number | null;
  stock_status: string;
  stock_status_source: string;
};
type Reply = { intent: string; result: { error?: Record<string, string[] | null> } };

export const GRID_INTENTS = { cell: 'cell', bulkEnable: 'bulk-enable', copy: 'copy' } as const;

const STOCK_TONES = { IN_STOCK: 'success', LOW_STOCK: 'warning', OUT_OF_STOCK: 'danger' } as const;

/** One store × product listing, saved on its own (a fetcher: the grid keeps its scroll). */
function Cell({
  store,
  product,
  cell,
}: {
  store: GridStore;
  product: GridProduct;
  cell?: GridCell;
}) {
  const t = useT();
  const lang = useLang();
  const errorOf = useFieldError();
  const fetcher = useFetcher<Reply>();
  const errors = fetcher.data?.result.error ?? {};
  const error =
    errorOf(errors.price_override ?? undefined) ??
    errorOf(errors.stock_status ?? undefined) ??
    errorOf(errors.store_id ?? undefined);
  const label = `${product.sku} · ${store.code}`;
  return (
    <fetcher.Form method="post" className="w-44 space-y-1.5">
      <CsrfInput />
      <input type="hidden" name="intent" value={GRID_INTENTS.cell} />
      <input type="hidden" name="store_id" value={store.id} />
      <input type="hidden" name="product_id" value={product.id} />
      <label className="flex items-center gap-1.5 text-xs text-stone-700">
        <input
          type="checkbox"
          name="is_active"
          defaultChecked={cell?.is_active ?? false}
          aria-label={t('menu.grid.listed', { cell: label })}
          className="h-4 w-4 rounded border-stone-300 text-brand-600"
        />
        {cell ? t('menu.grid.listedShort') : t('menu.grid.notListed')}
        {cell?.stock_status_source === 'IIKO' ? <Badge tone="info">iiko</Badge> : null}
      </label>
      <Input
        name="price_override"
        defaultValue={cell?.price_override == null ? '' : toDecimal(cell.price_override)}
        placeholder={formatRub(product.base_price, lang)}
        inputMode="decimal"
        aria-label={t('menu.grid.priceOverride', { cell: label })}
        aria-invalid={error ? true : undefined}
        className="h-8 text-xs"
      />
      <Select
        name="stock_status"
        defaultValue={cell?.stock_status ?? 'IN_STOCK'}
        aria-label={t('menu.grid.stock', { cell: label })}
        className="h-8 text-xs"
      >
        {STOCK_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`menu.stock.${s}` as MessageKey)}
          </option>
        ))}
      </Select>
      <div className="flex items-center justify-between gap-2">
        {cell ? (
          <Badge tone={STOCK_TONES[cell.stock_status as keyof typeof STOCK_TONES] ?? 'neutral'}>
            {t(`menu.stock.${cell.stock_status}` as MessageKey)}
          </Badge>
        ) : (
          <span />
        )}
        <Button type="submit" size="sm" disabled={fetcher.state !== 'idle'}>
          {t('common.save')}
        </Button>
      </div>
      {error ? <p className="text-xs font-medium text-red-600">{error}</p> : null}
    </fetcher.Form>
  );
}

export function StoreGrid({
  stores,
  products,
  cells,
}: {
  stores: GridStore[];
  products: GridProduct[];
  cells: GridCell[];
}) {
  const t = useT();
  const lang = useLang();
  const byKey = new Map(cells.map((c) => [`${c.store_id}:${c.product_id}`, c]));
  return (
    <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-stone-200 text-sm">
        <caption className="sr-only">{t('menu.grid.title')}</caption>
        <thead className="bg-stone-50">
          <tr>
            <th scope="col" className="sticky left-0 bg-stone-50 px-3 py-2 text-left font-medium">
              {t('menu.grid.product')}
            </th>
            {stores.map((s) => (
              <th key={s.id} scope="col" className="px-3 py-2 text-left font-medium">
                <div>{s.code}</div>
                <div className="text-xs font-normal text-stone-500">
                  {pickLocalized(lang, s, 'name')}
                  {!s.is_active ? ` · ${t('menu.status.inactive')}` : ''}
                </div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {products.map((p) => (
            <tr key={p.id}>
              <th
                scope="row"
                className="sticky left-0 bg-white px-3 py-2 text-left align-top font-normal"
              >
                <div className="font-medium">{pickLocalized(lang, p, 'name')}</div>
                <div className="font-mono text-xs text-stone-500">{p.sku}</div>
                <div className="text-xs text-stone-500">{formatRub(p.base_price, lang)}</div>
              </th>
              {stores.map((s) => (
                <td key={s.id} className="px-3 py-2 align-top">
                  <Cell store={s} product={p} cell={byKey.get(`${s.id}:${p.id}`)} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function BulkActions({
  stores,
  products,
  actionData,
}: {
  stores: GridStore[];
  products: (Localized & { id: number; sku: string })[];
  actionData: Reply | undefined;
}) {
  const t = useT();
  const lang = useLang();
  const errorOf = useFieldError();
  const errs = (intent: string) =>
    actionData?.intent === intent ? (actionData.result.error ?? {}) : {};
  const bulk = errs(GRID_INTENTS.bulkEnable);
  const copy = errs(GRID_INTENTS.copy);
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card>
        <CardHeader title={t('menu.grid.bulkEnable')} description={t('menu.grid.bulkEnableHint')} />
        <CardBody>
          <Form method="post" className="flex flex-wrap items-end gap-3">
            <CsrfInput />
            <input type="hidden" name="intent" value={GRID_INTENTS.bulkEnable} />
            <Field
              label={t('menu.grid.product')}
              error={errorOf(bulk.product_id ?? undefined)}
              className="min-w-64 flex-1"
            >
              {(p) => (
                <Select name="product_id" defaultValue="" {...p}>
                  <option value="">{t('menu.grid.chooseProduct')}</option>
                  {products.map((pr) => (
                    <option key={pr.id} value={pr.id}>
                      {pr.sku} · {pickLocalized(lang, pr, 'name')}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Button type="submit" variant="primary">
              {t('menu.grid.enableEverywhere')}
            </Button>
          </Form>
        </CardBody>
      </Card>
      <Card>
        <CardHeader title={t('menu.grid.copy')} description={t('menu.grid.copyHint')} />
        <CardBody>
          <Form method="post" className="flex flex-wrap items-end gap-3">
            <CsrfInput />
            <input type="hidden" name="intent" value={GRID_INTENTS.copy} />
            {(['from_store_id', 'to_store_id'] as const).map((name) => (
              <Field
                key={name}
                label={t(name === 'from_store_id' ? 'menu.grid.from' : 'menu.grid.to')}
                error={errorOf(copy[name] ?? undefined)}
              >
                {(p) => (
                  <Select name={name} defaultValue="" {...p}>
                    <option value="">{t('menu.grid.chooseStore')}</option>
                    {stores.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.code} · {pickLocalized(lang, s, 'name')}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
            ))}
            <Button type="submit" variant="primary">
              {t('menu.grid.copyAction')}
            </Button>
          </Form>
        </CardBody>
      </Card>
    </div>
  );
}
