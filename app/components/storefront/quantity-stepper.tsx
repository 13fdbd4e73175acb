import { MAX_LINE_QUANTITY } from '~/features/cart/cart';
import { useT } from '~/i18n/use-t';
import { ShopIcon } from './shop-icons';

const STEP_BUTTON =
  'flex h-9 w-9 items-center justify-center rounded-md text-stone-700 hover:bg-stone-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:text-stone-300';

/** − n + for a quantity 1..99; the number field is the form value, so it works without JS too. */
export function QuantityStepper({
  name,
  value,
  onChange,
  min = 1,
  label,
}: {
  name: string;
  value: number;
  onChange: (value: number) => void;
  min?: number;
  label?: string;
}) {
  const t = useT();
  const clamp = (n: number) => Math.min(MAX_LINE_QUANTITY, Math.max(min, n));
  return (
    <div
      role="group"
      aria-label={label ?? t('shop.quantity.label')}
      className="inline-flex items-center rounded-md bg-white ring-1 ring-inset ring-stone-300"
    >
      <button
        type="button"
        className={STEP_BUTTON}
        onClick={() => onChange(clamp(value - 1))}
        disabled={value <= min}
      >
        <ShopIcon name="minus" className="h-4 w-4" />
        <span className="sr-only">{t('shop.quantity.decrease')}</span>
      </button>
      <input
        type="number"
        name={name}
        min={min}
        max={MAX_LINE_QUANTITY}
        inputMode="numeric"
        value={value}
        onChange={(e) => {
          const n = Number(e.target.value);
          if (Number.isInteger(n)) onChange(clamp(n));
        }}
        aria-label={t('shop.quantity.value')}
        className="h-9 w-12 border-0 bg-transparent p-0 text-center text-sm font-medium [appearance:textfield] focus:ring-0 [&::-webkit-inner-spin-button]:appearance-none [&::-webkit-outer-spin-button]:appearance-none"
      />
      <button
        type="button"
        className={STEP_BUTTON}
        onClick={() => onChange(clamp(value + 1))}
        disabled={value >= MAX_LINE_QUANTITY}
      >
        <ShopIcon name="plus" className="h-4 w-4" />
        <span className="sr-only">{t('shop.quantity.increase')}</span>
      </button>
    </div>
  );
}
