import { rhu } from '~/utils/money';

/** A pool line for the unit-based types: its units cost unit price + options price each (CP-4). */
export type UnitLine = {
  lineNo: number;
  unitPriceKopecks: number;
  optionsPriceKopecks: number;
  quantity: number;
};

type Unit = { lineNo: number; priceKopecks: number };

/** Every unit of the lines, cheapest first, ties to the lower line_no (CP-4). */
export function cheapestUnits(lines: readonly UnitLine[]): Unit[] {
  const units: Unit[] = [];
  for (const line of lines) {
    const priceKopecks = line.unitPriceKopecks + line.optionsPriceKopecks;
    for (let q = 0; q < line.quantity; q++) units.push({ lineNo: line.lineNo, priceKopecks });
  }
  return units.sort((a, b) => a.priceKopecks - b.priceKopecks || a.lineNo - b.lineNo);
}

/** How many units one rule discounts, before max_free_items. */
export function discountedUnitCount(
  rule: { buyQuantity: number; getQuantity: number },
  pool: { sameSet: true; units: number } | { sameSet: false; buyUnits: number; getUnits: number },
): number {
  const { buyQuantity: n, getQuantity: m } = rule;
  if (pool.sameSet) return Math.floor(pool.units / (n + m)) * m;
  const applications = Math.min(Math.floor(pool.buyUnits / n), Math.floor(pool.getUnits / m));
  return applications * m;
}

/**
 * Discounts the `count` cheapest of `candidates` (capped by max_free_items); each loses
 * rhu(unit price × percent, 100). Returns the per-line sums, only for lines that got something.
 */
export function discountCheapestUnits(
  candidates: readonly UnitLine[],
  count: number,
  percent: number,
  maxFreeItems: number | null,
): Map<number, number> {
  const limit = maxFreeItems === null ? count : Math.min(count, maxFreeItems);
  const perLine = new Map<number, number>();
  for (const unit of cheapestUnits(candidates).slice(0, limit)) {
    const off = rhu(unit.priceKopecks * percent, 100);
    perLine.set(unit.lineNo, (perLine.get(unit.lineNo) ?? 0) + off);
  }
  return perLine;
}
