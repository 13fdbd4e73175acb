import { Form, useNavigation } from '@remix-run/react';
import { useMemo, useState } from 'react';
import { Alert } from '~/components/ui/alert';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { cn } from '~/components/ui/cn';
import { detailParams } from '~/features/cart/format';
import { checkSelection, defaultSelection } from '~/features/cart/product-options';
import type { StoreMenuProduct } from '~/features/menu/store-menu.types';
import { useLang, useT } from '~/i18n/use-t';
import type { MessageKey } from '~/i18n/translate';
import { formatRub } from '~/utils/money';
import { ProductImage } from './product-card';
import { QuantityStepper } from './quantity-stepper';

export interface SheetError {
  message_key: string;
  details: Record<string, unknown>;
}

/**
 * The product sheet: option groups (required single choices preselected with their defaults,
 * toppings as a multi-select, unavailable items disabled), quantity and the live price. It posts
 * a plain form, so it works before JavaScript loads; the action checks everything again.
 */
export function ProductSheet({
  product,
  error,
}: {
  product: StoreMenuProduct;
  error: SheetError | null;
}) {
  const t = useT();
  const lang = useLang();
  const navigation = useNavigation();
  const [chosen, setChosen] = useState<number[]>(() => defaultSelection(product));
  const [quantity, setQuantity] = useState(1);
  const selection = useMemo(() => checkSelection(product, chosen), [product, chosen]);
  const missing = selection.problems.filter((p) => p.code === 'OPTION_REQUIRED');
  const busy = navigation.state !== 'idle' && navigation.formData?.get('intent') === 'add';

  function choose(groupId: number, itemId: number, multi: boolean, on: boolean) {
    const group = product.optionGroups.find((g) => g.id === groupId);
    if (!group) return;
    const inGroup = new Set(group.items.map((i) => i.id));
    setChosen((current) => {
      if (multi) return on ? [...current, itemId] : current.filter((id) => id !== itemId);
      return [...current.filter((id) => !inGroup.has(id)), itemId];
    });
  }

  return (
    <Form method="post" className="space-y-6">
      <input type="hidden" name="intent" value="add" />
      <div className="flex flex-col gap-4 sm:flex-row">
        <ProductImage src={product.imageUrl} className="h-48 w-full rounded-lg sm:h-40 sm:w-40" />
        <div className="min-w-0 flex-1">
          <h1 className="text-2xl font-bold tracking-tight text-stone-900">{product.name}</h1>
          {product.description ? (
            <p className="mt-2 text-sm leading-relaxed text-stone-600">{product.description}</p>
          ) : null}
          <div className="mt-3 flex flex-wrap items-center gap-2">
            <span className="text-lg font-semibold text-stone-900">
              {formatRub(product.priceKopecks, lang)}
            </span>
            {product.stockStatus === 'LOW_STOCK' ? (
              <Badge tone="warning">{t('shop.menu.lowStock')}</Badge>
            ) : null}
            {product.isSpecialPrice ? (
              <Badge tone="brand">{t('shop.menu.specialPrice')}</Badge>
            ) : null}
          </div>
          {product.isSpecialPrice ? (
            <p className="mt-1 text-xs text-stone-500">{t('shop.product.specialPriceHint')}</p>
          ) : null}
        </div>
      </div>

      {error ? (
        <Alert tone="danger">
          {t(error.message_key as MessageKey, detailParams(error.details, lang))}
        </Alert>
      ) : null}

      {product.optionGroups.map((group) => (
        <fieldset key={group.id} className="space-y-2">
          <legend className="flex w-full items-center justify-between gap-2 text-sm font-semibold text-stone-900">
            <span>{group.name}</span>
            <span className="text-xs font-normal text-stone-500">
              {t(group.multi ? 'shop.product.chooseAny' : 'shop.product.chooseOne')}
            </span>
          </legend>
          <div className="grid grid-cols-2 gap-2">
            {group.items.map((item) => {
              const checked = chosen.includes(item.id);
              return (
                <label
                  key={item.id}
                  className={cn(
                    'flex items-center gap-3 rounded-md border px-3 py-2 text-sm',
                    item.available
                      ? 'cursor-pointer border-stone-200 bg-white hover:border-brand-500'
                      : 'cursor-not-allowed border-stone-200 bg-stone-50 text-stone-400',
                    checked && 'border-brand-600 ring-1 ring-brand-600',
                  )}
                >
                  <input
                    type={group.multi ? 'checkbox' : 'radio'}
                    name={`option.${group.id}`}
                    value={item.id}
                    checked={checked}
                    disabled={!item.available}
                    onChange={(e) => choose(group.id, item.id, group.multi, e.target.checked)}
                    className="h-4 w-4 accent-brand-600"
                  />
                  <span className="flex-1">{item.name}</span>
                  {!item.available ? (
                    <span className="text-xs">{t('shop.product.itemUnavailable')}</span>
                  ) : item.priceDeltaKopecks > 0 ? (
                    <span className="text-xs text-stone-600">
                      {t('shop.product.delta', { price: formatRub(item.priceDeltaKopecks, lang) })}
                    </span>
                  ) : null}
                </label>
              );
            })}
          </div>
        </fieldset>
      ))}

      <div className="sticky bottom-0 -mx-4 flex flex-wrap items-center gap-3 border-t border-stone-200 bg-white/95 px-4 py-3 backdrop-blur sm:static sm:mx-0 sm:rounded-lg sm:border sm:px-4">
        <QuantityStepper name="quantity" value={quantity} onChange={setQuantity} />
        <Button
          type="submit"
          variant="primary"
          className="h-11 flex-1 text-base"
          disabled={missing.length > 0 || busy}
          aria-describedby={missing.length > 0 ? 'options-missing' : undefined}
        >
          {t('shop.product.addToCart', {
            price: formatRub(selection.unitKopecks * quantity, lang),
          })}
        </Button>
        {missing.length > 0 ? (
          <p id="options-missing" className="w-full text-xs text-amber-700">
            {t('shop.product.chooseRequired', {
              groups: missing
                .map((p) => product.optionGroups.find((g) => g.code === p.details.group_code)?.name)
                .filter(Boolean)
                .join(', '),
            })}
          </p>
        ) : null}
      </div>
    </Form>
  );
}
