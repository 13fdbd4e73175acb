import type { NotApplicableDetails } from '../coupon-reasons';
import { spreadProportionally } from './allocate';
import type { EngineCartLine, EngineTemplate, LineDiscount } from './types';
import { discountCheapestUnits, discountedUnitCount } from './unit-discount';
import { rhu, toDecimal } from '~/utils/money';

export type ComputedDiscount = {
  discountKopecks: number;
  eligibleAmountKopecks: number;
  /** One entry per cart line, ascending lineNo; Σ = discountKopecks. */
  lines: LineDiscount[];
  /** Units the rule discounted (BOGO, BUY_N_GET_M; after max_free_items, before the max-discount
   *  cap), null for the other types. */
  discountedUnits: number | null;
  /** Why the discount is 0 (CP-9), null when it is not. */
  zeroCause: NotApplicableDetails | null;
};

type DiscountRules = Pick<
  EngineTemplate,
  'discount' | 'scopeType' | 'scopeCategoryIds' | 'scopeProductIds' | 'maxDiscountKopecks'
>;

type PricedLine = EngineCartLine & { lineTotalKopecks: number };

export function lineTotalKopecks(line: EngineCartLine): number {
  return (line.unitPriceKopecks + line.optionsPriceKopecks) * line.quantity;
}

/** Programming errors, not customer errors: the pricing layer hands over whole, valid lines. */
export function assertValidLines(lines: readonly EngineCartLine[]): void {
  const seen = new Set<number>();
  for (const line of lines) {
    const ok =
      Number.isSafeInteger(line.lineNo) &&
      Number.isSafeInteger(line.productId) &&
      (line.categoryId === null || Number.isSafeInteger(line.categoryId)) &&
      Number.isSafeInteger(line.unitPriceKopecks) &&
      line.unitPriceKopecks >= 0 &&
      Number.isSafeInteger(line.optionsPriceKopecks) &&
      line.optionsPriceKopecks >= 0 &&
      Number.isSafeInteger(line.quantity) &&
      line.quantity >= 1 &&
      Number.isSafeInteger(lineTotalKopecks(line));
    if (!ok) throw new RangeError(`invalid cart line ${JSON.stringify(line)}`);
    if (seen.has(line.lineNo)) throw new RangeError(`duplicate line_no ${line.lineNo}`);
    seen.add(line.lineNo);
  }
}

function includes(ids: readonly number[] | null, id: number | null): boolean {
  return id !== null && ids !== null && ids.includes(id);
}

/** The lines the discount is computed on (CP-3; the rule's own lists for unit types). */
export function eligibleLines<L extends EngineCartLine>(
  rules: DiscountRules,
  lines: readonly L[],
): L[] {
  const d = rules.discount;
  switch (d.type) {
    case 'BOGO':
      return lines.filter(
        (l) => d.buyProductIds.includes(l.productId) || d.getProductIds.includes(l.productId),
      );
    case 'BUY_N_GET_M':
      return lines.filter(
        (l) => includes(d.productIds, l.productId) || includes(d.categoryIds, l.categoryId),
      );
    default:
      switch (rules.scopeType) {
        case 'ALL':
          return [...lines];
        case 'CATEGORIES':
          return lines.filter((l) => includes(rules.scopeCategoryIds, l.categoryId));
        case 'PRODUCTS':
          return lines.filter((l) => includes(rules.scopeProductIds, l.productId));
      }
  }
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((id) => sb.has(id));
}

const units = (lines: readonly EngineCartLine[]) => lines.reduce((n, l) => n + l.quantity, 0);

type Raw =
  /** Per-line results (percentage and unit types, CP-5). */
  | {
      kind: 'perLine';
      perLine: Map<number, number>;
      discountedUnits: number | null;
      zeroCause: NotApplicableDetails | null;
    }
  /** An order-level amount to spread (fixed and threshold, CP-5). */
  | { kind: 'amount'; amount: number; zeroCause: NotApplicableDetails | null };

function rawDiscount(
  discount: EngineTemplate['discount'],
  eligible: readonly PricedLine[],
  eligibleAmount: number,
): Raw {
  switch (discount.type) {
    case 'SIMPLE_PERCENTAGE':
      return {
        kind: 'perLine',
        perLine: new Map(
          eligible.map((l) => [
            l.lineNo,
            rhu(l.lineTotalKopecks * discount.percentHundredths, 10_000),
          ]),
        ),
        discountedUnits: null,
        zeroCause: null,
      };
    case 'SIMPLE_FIXED':
      return {
        kind: 'amount',
        amount: Math.min(discount.valueKopecks, eligibleAmount),
        zeroCause: null,
      };
    case 'THRESHOLD_OFF': {
      let tier: (typeof discount.tiers)[number] | undefined;
      for (const t of discount.tiers) if (t.minKopecks <= eligibleAmount) tier = t;
      const lowest = discount.tiers[0];
      if (tier) return { kind: 'amount', amount: tier.discountKopecks, zeroCause: null };
      return {
        kind: 'amount',
        amount: 0,
        zeroCause: lowest
          ? {
              cause: 'BELOW_THRESHOLD',
              min_amount: toDecimal(lowest.minKopecks),
              missing_amount: toDecimal(lowest.minKopecks - eligibleAmount),
            }
          : null,
      };
    }
    case 'BOGO': {
      let count: number;
      let candidates: PricedLine[];
      if (sameSet(discount.buyProductIds, discount.getProductIds)) {
        // same buy and get set: exactly BUY_N_GET_M over that set (CP-4)
        candidates = [...eligible];
        count = discountedUnitCount(discount, { sameSet: true, units: units(eligible) });
      } else {
        const buy = eligible.filter((l) => discount.buyProductIds.includes(l.productId));
        candidates = eligible.filter((l) => discount.getProductIds.includes(l.productId));
        count = discountedUnitCount(discount, {
          sameSet: false,
          buyUnits: units(buy),
          getUnits: units(candidates),
        });
      }
      return unitResult(discount, candidates, count);
    }
    case 'BUY_N_GET_M': {
      const count = discountedUnitCount(discount, { sameSet: true, units: units(eligible) });
      return unitResult(discount, eligible, count);
    }
  }
}

function unitResult(
  rule: {
    buyQuantity: number;
    getQuantity: number;
    getDiscountPercent: number;
    maxFreeItems: number | null;
  },
  candidates: readonly PricedLine[],
  count: number,
): Raw {
  return {
    kind: 'perLine',
    perLine: discountCheapestUnits(candidates, count, rule.getDiscountPercent, rule.maxFreeItems),
    discountedUnits: rule.maxFreeItems === null ? count : Math.min(count, rule.maxFreeItems),
    zeroCause:
      count === 0
        ? {
            cause: 'NOT_ENOUGH_ITEMS',
            buy_quantity: rule.buyQuantity,
            get_quantity: rule.getQuantity,
          }
        : null,
  };
}

/**
 * The discount of a template on cart lines (CP-1, CP-3 line scope, CP-4, CP-5, max discount cap),
 * without the validity, limit, store and minimum-order checks of `evaluateCoupon`.
 */
export function computeCouponDiscount(
  rules: DiscountRules,
  cartLines: readonly EngineCartLine[],
): ComputedDiscount {
  assertValidLines(cartLines);
  const priced: PricedLine[] = cartLines.map((l) => ({
    ...l,
    lineTotalKopecks: lineTotalKopecks(l),
  }));
  const eligible = eligibleLines(rules, priced);
  const eligibleAmount = eligible.reduce((sum, l) => sum + l.lineTotalKopecks, 0);
  const cap = rules.maxDiscountKopecks;

  const unitType = rules.discount.type === 'BOGO' || rules.discount.type === 'BUY_N_GET_M';
  let perLine: Map<number, number>;
  let zeroCause: NotApplicableDetails | null;
  let discountedUnits: number | null = unitType ? 0 : null;
  if (eligible.length === 0) {
    perLine = new Map();
    zeroCause = { cause: 'NO_ELIGIBLE_ITEMS' };
  } else {
    const raw = rawDiscount(rules.discount, eligible, eligibleAmount);
    zeroCause = raw.zeroCause;
    if (raw.kind === 'perLine') discountedUnits = raw.discountedUnits;
    if (raw.kind === 'amount') {
      const amount = cap === null ? raw.amount : Math.min(raw.amount, cap);
      perLine = spreadProportionally(amount, eligible);
    } else {
      const total = [...raw.perLine.values()].reduce((sum, v) => sum + v, 0);
      // a capped result is spread like a fixed one, over all eligible lines (CP-5)
      perLine = cap !== null && total > cap ? spreadProportionally(cap, eligible) : raw.perLine;
    }
  }

  const lines = [...cartLines]
    .sort((a, b) => a.lineNo - b.lineNo)
    .map((l) => ({ lineNo: l.lineNo, discountKopecks: perLine.get(l.lineNo) ?? 0 }));
  const discountKopecks = lines.reduce((sum, l) => sum + l.discountKopecks, 0);
  return {
    discountKopecks,
    eligibleAmountKopecks: eligibleAmount,
    lines,
    discountedUnits,
    zeroCause: discountKopecks === 0 ? (zeroCause ?? { cause: 'ZERO_DISCOUNT' }) : null,
  };
}
