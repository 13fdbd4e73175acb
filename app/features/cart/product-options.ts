import type { StoreMenuProduct } from '~/features/menu/store-menu.types';
import { normalizeOptionIds } from './cart';

/**
 * A product's option choice checked against the public menu model (PR-3, PR-4) and priced per
 * unit (PR-5). The product sheet runs it in the browser for the live price and the add button; the
 * add-to-cart action runs it again before anything reaches the cart. Checkout prices and checks
 * everything once more from the database, so this is a convenience, never the authority.
 */

export type SelectionProblem =
  | { code: 'OPTION_INVALID'; details: { item_id: number } }
  | { code: 'OPTION_REQUIRED'; details: { group_code: string } };

export interface SelectionResult {
  optionItemIds: number[];
  /** Base price plus the chosen deltas, per unit. */
  unitKopecks: number;
  problems: SelectionProblem[];
}

type ProductOptions = Pick<StoreMenuProduct, 'priceKopecks' | 'optionGroups'>;

export function checkSelection(
  product: ProductOptions,
  chosen: readonly number[],
): SelectionResult {
  const ids = normalizeOptionIds(chosen);
  const problems: SelectionProblem[] = [];
  const perGroup = new Map<number, number>();
  let unit: number = product.priceKopecks;

  for (const id of ids) {
    const group = product.optionGroups.find((g) => g.items.some((i) => i.id === id));
    const item = group?.items.find((i) => i.id === id);
    if (!group || !item || !item.available) {
      problems.push({ code: 'OPTION_INVALID', details: { item_id: id } });
      continue;
    }
    perGroup.set(group.id, (perGroup.get(group.id) ?? 0) + 1);
    unit += item.priceDeltaKopecks;
  }
  for (const group of product.optionGroups) {
    const count = perGroup.get(group.id) ?? 0;
    if (group.required && count === 0) {
      problems.push({ code: 'OPTION_REQUIRED', details: { group_code: group.code } });
    } else if (!group.multi && count > 1) {
      const extra = ids.filter((id) => group.items.some((i) => i.id === id))[1]!;
      problems.push({ code: 'OPTION_INVALID', details: { item_id: extra } });
    }
  }
  return { optionItemIds: ids, unitKopecks: unit, problems };
}

/**
 * The preselection of the product sheet (PR-4): each required group's default item when it is
 * available; nothing else. An unavailable default is left unchosen for the customer to decide.
 */
export function defaultSelection(product: Pick<StoreMenuProduct, 'optionGroups'>): number[] {
  const ids: number[] = [];
  for (const group of product.optionGroups) {
    if (group.multi || group.defaultItemId === null) continue;
    const item = group.items.find((i) => i.id === group.defaultItemId);
    if (item?.available) ids.push(item.id);
  }
  return ids;
}
