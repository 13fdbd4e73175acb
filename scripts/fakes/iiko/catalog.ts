import { IIKO_DISCOUNT_TYPE_ID, IIKO_PAYMENT_TYPE_ID } from '../../../db/seed/catalog-data';
import { buildCatalog } from '../../../db/seed/plan-catalog';

/**
 * The fake iiko's starting data, built from the same plan as the demo seed (db/seed), so the
 * seeded products, option items, categories and stores carry exactly the iiko ids the fake
 * serves: a first import after `npm run db:seed` finds every product and changes nothing but the
 * one manually overridden product, which it reports as a conflict (IK-8, IK-9).
 */

export interface FakeSizePrice {
  sizeId: string | null;
  price: { currentPrice: number | null; isIncludedInMenu: boolean };
}

export interface FakeProduct {
  id: string;
  code: string | null;
  name: string;
  description: string | null;
  groupId: string | null;
  parentGroup: string | null;
  productCategoryId: string | null;
  type: 'dish' | 'good' | 'modifier';
  orderItemType: 'Product';
  isDeleted: boolean;
  order: number;
  imageLinks: string[];
  measureUnit: string;
  weight: number | null;
  sizePrices: FakeSizePrice[];
  modifiers: unknown[];
  groupModifiers: {
    id: string;
    minAmount: number;
    maxAmount: number;
    required: boolean;
    childModifiers: {
      id: string;
      defaultAmount: number;
      minAmount: number;
      maxAmount: number;
    }[];
  }[];
}

export interface FakeGroup {
  id: string;
  name: string;
  code: string | null;
  parentGroup: string | null;
  order: number;
  isIncludedInMenu: boolean;
  isGroupModifier: boolean;
  isDeleted: boolean;
  imageLinks: string[];
}

export interface FakeTerminalGroup {
  id: string;
  organizationId: string;
  name: string;
  address: string;
  timeZone: string;
}

export interface FakeIikoSeed {
  organizationId: string;
  organizationName: string;
  terminalGroups: FakeTerminalGroup[];
  groups: FakeGroup[];
  products: FakeProduct[];
  /** Terminal group id → product id → balance. */
  stopLists: Map<string, Map<string, number>>;
  paymentTypeId: string;
  discountTypeId: string;
}

/** Kopecks → iiko's JSON number of rubles. */
export const rubles = (kopecks: number) => Number((kopecks / 100).toFixed(2));

export const FAKE_IIKO_ORGANIZATION_ID = buildCatalog().organizationId;

export function buildFakeIikoSeed(): FakeIikoSeed {
  const catalog = buildCatalog();
  const organizationId = catalog.organizationId;
  const terminalGroups = catalog.stores.map((s) => ({
    id: s.terminalGroupId,
    organizationId,
    name: `${s.seed.code} ${s.seed.name.ru}`,
    address: s.seed.address,
    timeZone: 'Russian Standard Time',
  }));
  const groups: FakeGroup[] = [
    ...catalog.categories.map((c, i) => ({
      id: c.iikoGroupId,
      name: c.seed.name.ru,
      code: c.seed.code,
      parentGroup: null,
      order: i,
      isIncludedInMenu: true,
      isGroupModifier: false,
      isDeleted: false,
      imageLinks: [],
    })),
    ...catalog.groups.map((g, i) => ({
      id: g.iikoGroupId,
      name: g.seed.name.ru,
      code: g.seed.code,
      parentGroup: null,
      order: i,
      isIncludedInMenu: false,
      isGroupModifier: true,
      isDeleted: false,
      imageLinks: [],
    })),
  ];
  const price = (kopecks: number): FakeSizePrice[] => [
    { sizeId: null, price: { currentPrice: rubles(kopecks), isIncludedInMenu: true } },
  ];
  const override = catalog.manualOverride;
  const products: FakeProduct[] = [
    ...catalog.products.map((p, i) => ({
      id: p.iikoProductId,
      code: p.seed.sku,
      name: p.idx === override.productIdx ? override.iikoName : p.seed.name.ru,
      description: p.seed.description.ru,
      groupId: catalog.categories[p.categoryIdx]?.iikoGroupId ?? null,
      parentGroup: null,
      productCategoryId: null,
      type: 'dish' as const,
      orderItemType: 'Product' as const,
      isDeleted: p.seed.retiredDaysAgo !== undefined,
      order: i,
      imageLinks: [],
      measureUnit: 'порц',
      weight: 0.5,
      sizePrices: price(p.idx === override.productIdx ? override.iikoPrice : p.seed.price),
      modifiers: [],
      groupModifiers: p.groups.map(({ groupIdx, defaultItemIdx }) => {
        const group = catalog.groups[groupIdx]!;
        const topping = group.seed.code === 'TOPPING';
        return {
          id: group.iikoGroupId,
          minAmount: topping ? 0 : 1,
          maxAmount: topping ? 3 : 1,
          required: !topping,
          childModifiers: group.items.map((item) => ({
            id: item.iikoModifierId,
            defaultAmount: item.idx === defaultItemIdx ? 1 : 0,
            minAmount: 0,
            maxAmount: 1,
          })),
        };
      }),
    })),
    ...catalog.items.map((item, i) => ({
      id: item.iikoModifierId,
      code: item.seed.code,
      name: item.seed.name.ru,
      description: null,
      groupId: catalog.groups[item.groupIdx]?.iikoGroupId ?? null,
      parentGroup: null,
      productCategoryId: null,
      type: 'modifier' as const,
      orderItemType: 'Product' as const,
      isDeleted: false,
      order: i,
      imageLinks: [],
      measureUnit: 'порц',
      weight: null,
      sizePrices: price(item.seed.price),
      modifiers: [],
      groupModifiers: [],
    })),
  ];
  // IIKO-sourced stock in the seed is what the POS reported: the fake's stop lists agree
  const stopLists = new Map<string, Map<string, number>>(
    catalog.stores.map((s) => [s.terminalGroupId, new Map<string, number>()]),
  );
  for (const sp of catalog.storeProducts) {
    if (sp.source !== 'IIKO' || sp.stock === 'IN_STOCK') continue;
    const tg = catalog.stores[sp.storeIdx]!.terminalGroupId;
    stopLists
      .get(tg)!
      .set(catalog.products[sp.productIdx]!.iikoProductId, sp.stock === 'OUT_OF_STOCK' ? 0 : 3);
  }
  return {
    organizationId,
    organizationName: 'CTEA (fake iiko)',
    terminalGroups,
    groups,
    products,
    stopLists,
    paymentTypeId: IIKO_PAYMENT_TYPE_ID,
    discountTypeId: IIKO_DISCOUNT_TYPE_ID,
  };
}
