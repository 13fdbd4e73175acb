import type { EngineCartLine, EngineDiscount, EngineTemplate } from './types';

/** Builders for the engine tests (not shipped code; imported only by *.test.ts). */

export const NOW = new Date('2026-06-15T12:00:00Z');

export function template(
  discount: EngineDiscount,
  overrides: Partial<Omit<EngineTemplate, 'discount'>> = {},
): EngineTemplate {
  return {
    discount,
    scopeType: 'ALL',
    scopeCategoryIds: null,
    scopeProductIds: null,
    scopeStoreIds: null,
    minOrderKopecks: null,
    maxDiscountKopecks: null,
    maxUsagePerUser: 1,
    maxTotalUsage: null,
    validFrom: new Date('2026-06-01T00:00:00Z'),
    validUntil: new Date('2026-07-01T00:00:00Z'),
    isActive: true,
    ...overrides,
  };
}

let nextLineNo = 1;

/** A cart line; lineNo counts up unless given. Prices in rubles for readability: rub(300). */
export function line(
  unitPriceKopecks: number,
  overrides: Partial<EngineCartLine> = {},
): EngineCartLine {
  return {
    lineNo: overrides.lineNo ?? nextLineNo++,
    productId: 1,
    categoryId: 1,
    unitPriceKopecks,
    optionsPriceKopecks: 0,
    quantity: 1,
    ...overrides,
  };
}

/** Numbered 1..n in the given order. */
export function lines(...items: EngineCartLine[]): EngineCartLine[] {
  return items.map((l, i) => ({ ...l, lineNo: i + 1 }));
}

export const rub = (rubles: number) => rubles * 100;

export const bogo = (
  overrides: Partial<Extract<EngineDiscount, { type: 'BOGO' }>> = {},
): EngineDiscount => ({
  type: 'BOGO',
  buyProductIds: [1],
  buyQuantity: 1,
  getProductIds: overrides.buyProductIds ?? [1],
  getQuantity: 1,
  getDiscountPercent: 100,
  maxFreeItems: null,
  ...overrides,
});

export const buyNGetM = (
  overrides: Partial<Extract<EngineDiscount, { type: 'BUY_N_GET_M' }>> = {},
): EngineDiscount => ({
  type: 'BUY_N_GET_M',
  buyQuantity: 3,
  getQuantity: 1,
  getDiscountPercent: 100,
  productIds: null,
  categoryIds: [1],
  maxFreeItems: null,
  ...overrides,
});
