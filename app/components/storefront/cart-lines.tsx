import { Form, useNavigation } from '@remix-run/react';
import type { CartViewLine } from '~/features/cart/cart-view.server';
import { MAX_LINE_QUANTITY } from '~/features/cart/cart';
import { detailParams } from '~/features/cart/format';
import { useLang, useT } from '~/i18n/use-t';
import type { MessageKey } from '~/i18n/translate';
import { formatRub } from '~/utils/money';
import { ShopIcon } from './shop-icons';

const STEP =
  'flex h-8 w-8 items-center justify-center rounded-md text-stone-700 hover:bg-stone-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:text-stone-300';

/**
 * The cart's lines with quantity − / + and remove. Each control is its own small POST form
 * (works without JavaScript); the page reloads its prices from the quote after every change.
 */
export function CartLines({ lines }: { lines: CartViewLine[] }) {
  const t = useT();
  const lang = useLang();
  const navigation = useNavigation();
  const busy = navigation.state !== 'idle';
  return (
    <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
      {lines.map((line) => (
        <li key={line.key} className="space-y-2 p-4" data-testid="cart-line">
          <div className="flex items-start justify-between gap-3">
            <div className="min-w-0">
              <p className="font-medium text-stone-900">
                {line.name || t('cart.line.unknownProduct')}
              </p>
              {line.options.length > 0 ? (
                <p className="mt-0.5 text-xs text-stone-500">{line.options.join(', ')}</p>
              ) : null}
              {line.unitKopecks !== null ? (
                <p className="mt-0.5 text-xs text-stone-500">
                  {t('cart.line.unitPrice', { price: formatRub(line.unitKopecks, lang) })}
                </p>
              ) : null}
            </div>
            <p className="shrink-0 text-sm font-semibold text-stone-900">
              {line.lineTotalKopecks !== null ? formatRub(line.lineTotalKopecks, lang) : '—'}
            </p>
          </div>
          {line.problem ? (
            <p role="alert" className="text-xs font-medium text-red-700">
              {t(line.problem.message_key as MessageKey, detailParams(line.problem.details, lang))}
            </p>
          ) : null}
          <div className="flex items-center justify-between gap-3">
            <Form
              method="post"
              preventScrollReset
              className="inline-flex items-center rounded-md ring-1 ring-inset ring-stone-300"
              aria-label={t('cart.line.quantityOf', { name: line.name })}
            >
              <input type="hidden" name="intent" value="quantity" />
              <input type="hidden" name="key" value={line.key} />
              <button
                type="submit"
                name="quantity"
                value={line.quantity - 1}
                className={STEP}
                disabled={busy}
              >
                <ShopIcon name="minus" className="h-4 w-4" />
                <span className="sr-only">{t('shop.quantity.decrease')}</span>
              </button>
              <span className="w-8 text-center text-sm font-medium" aria-live="polite">
                {line.quantity}
              </span>
              <button
                type="submit"
                name="quantity"
                value={line.quantity + 1}
                className={STEP}
                disabled={busy || line.quantity >= MAX_LINE_QUANTITY}
              >
                <ShopIcon name="plus" className="h-4 w-4" />
                <span className="sr-only">{t('shop.quantity.increase')}</span>
              </button>
            </Form>
            <Form method="post" preventScrollReset>
              <input type="hidden" name="intent" value="remove" />
              <input type="hidden" name="key" value={line.key} />
              <button
                type="submit"
                disabled={busy}
                className="inline-flex items-center gap-1 rounded-md px-2 py-1 text-xs text-stone-600 hover:bg-stone-100 hover:text-red-700"
              >
                <ShopIcon name="trash" className="h-4 w-4" />
                {t('cart.line.remove')}
                <span className="sr-only">{line.name}</span>
              </button>
            </Form>
          </div>
        </li>
      ))}
    </ul>
  );
}
