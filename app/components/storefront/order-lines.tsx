import { useT } from '~/i18n/use-t';

export interface OrderLineView {
  key: string | number;
  name: string;
  quantity: number;
  optionNames: readonly string[];
  /** Already formatted, e.g. "300,00 ₽". */
  total: string;
}

/** Lines of a cart or an order: "name × quantity", chosen options, line total. */
export function OrderLines({ lines, className }: { lines: OrderLineView[]; className?: string }) {
  const t = useT();
  return (
    <ul className={`divide-y divide-stone-100 text-sm ${className ?? ''}`}>
      {lines.map((line) => (
        <li key={line.key} className="flex items-start justify-between gap-3 py-2">
          <div className="min-w-0">
            <p className="text-stone-900">
              {t('checkout.summary.lineName', { name: line.name, quantity: line.quantity })}
            </p>
            {line.optionNames.length > 0 ? (
              <p className="text-xs text-stone-500">{line.optionNames.join(', ')}</p>
            ) : null}
          </div>
          <span className="shrink-0 text-stone-900">{line.total}</span>
        </li>
      ))}
    </ul>
  );
}
