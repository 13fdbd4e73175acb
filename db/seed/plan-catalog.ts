import {
  CATEGORIES,
  MANUAL_OVERRIDE,
  OPTION_GROUPS,
  PRODUCT_OPTION_OVERRIDES,
  PRODUCTS,
  STORE_PRODUCT_OVERRIDES,
  STORES,
  type CategorySeed,
  type GroupCode,
  type OptionGroupSeed,
  type OptionItemSeed,
  type ProductSeed,
  type StoreSeed,
  type ZoneSeed,
} from './catalog-data';
import { Rng } from './random';

export type LatLng = [number, number];

export interface StorePlan {
  idx: number;
  seed: StoreSeed;
  terminalGroupId: string;
  zones: ZonePlan[];
}

export interface ZonePlan {
  idx: number;
  storeIdx: number;
  seed: ZoneSeed;
  polygon: LatLng[];
}

export interface CategoryPlan {
  idx: number;
  seed: CategorySeed;
  iikoGroupId: string;
}

export interface ProductPlan {
  idx: number;
  seed: ProductSeed;
  categoryIdx: number;
  iikoProductId: string;
  /** Attached groups in display order, with the default item index (NULL for TOPPING). */
  groups: { groupIdx: number; defaultItemIdx: number | null }[];
}

export interface GroupPlan {
  idx: number;
  seed: OptionGroupSeed;
  iikoGroupId: string;
  items: ItemPlan[];
}

export interface ItemPlan {
  idx: number;
  groupIdx: number;
  seed: OptionItemSeed;
  iikoModifierId: string;
}

export interface StoreProductPlan {
  storeIdx: number;
  productIdx: number;
  price: number | null;
  special: boolean;
  stock: 'IN_STOCK' | 'LOW_STOCK' | 'OUT_OF_STOCK';
  source: 'MANUAL' | 'IIKO';
  active: boolean;
}

export interface ProductOptionItemPlan {
  productIdx: number;
  itemIdx: number;
  price: number | null;
  available: boolean | null;
}

export interface Catalog {
  organizationId: string;
  stores: StorePlan[];
  zones: ZonePlan[];
  categories: CategoryPlan[];
  products: ProductPlan[];
  groups: GroupPlan[];
  items: ItemPlan[];
  storeProducts: StoreProductPlan[];
  productOptionItems: ProductOptionItemPlan[];
  manualOverride: { productIdx: number; iikoPrice: number; iikoName: string };
}

const KM_PER_DEG_LAT = 111.32;

/** Offsets a point by kilometres north/east (flat-earth approximation, fine within a city). */
export function offsetKm(lat: number, lng: number, northKm: number, eastKm: number): LatLng {
  const dLat = northKm / KM_PER_DEG_LAT;
  const dLng = eastKm / (KM_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180));
  return [round6(lat + dLat), round6(lng + dLng)];
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** An irregular octagon around the store, the shape an admin would click on the map. */
function zonePolygon(center: LatLng, radiusKm: number, rng: Rng): LatLng[] {
  const points: LatLng[] = [];
  for (let i = 0; i < 8; i++) {
    const angle = (i * Math.PI) / 4 + 0.15;
    const r = radiusKm * (0.97 + rng.float() * 0.06);
    points.push(offsetKm(center[0], center[1], r * Math.cos(angle), r * Math.sin(angle)));
  }
  return points;
}

/** Even-odd ray casting (DL-2). */
export function pointInPolygon(point: LatLng, polygon: LatLng[]): boolean {
  const [y, x] = point;
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [yi, xi] = polygon[i] as LatLng;
    const [yj, xj] = polygon[j] as LatLng;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function buildCatalog(): Catalog {
  const rng = new Rng('catalog');
  const organizationId = rng.uuid();

  const zones: ZonePlan[] = [];
  const stores: StorePlan[] = STORES.map((seed, idx) => {
    const store: StorePlan = { idx, seed, terminalGroupId: rng.uuid(), zones: [] };
    for (const z of seed.zones) {
      const zone: ZonePlan = {
        idx: zones.length,
        storeIdx: idx,
        seed: z,
        polygon: zonePolygon([seed.lat, seed.lng], z.radiusKm, rng),
      };
      zones.push(zone);
      store.zones.push(zone);
    }
    return store;
  });

  const categories: CategoryPlan[] = CATEGORIES.map((seed, idx) => ({
    idx,
    seed,
    iikoGroupId: rng.uuid(),
  }));

  const items: ItemPlan[] = [];
  const groups: GroupPlan[] = OPTION_GROUPS.map((seed, idx) => {
    const group: GroupPlan = { idx, seed, iikoGroupId: rng.uuid(), items: [] };
    for (const item of seed.items) {
      const plan: ItemPlan = {
        idx: items.length,
        groupIdx: idx,
        seed: item,
        iikoModifierId: rng.uuid(),
      };
      items.push(plan);
      group.items.push(plan);
    }
    return group;
  });
  const groupIdx = (code: GroupCode) => groups.findIndex((g) => g.seed.code === code);
  const itemIdx = (code: string) => {
    const found = items.find((i) => i.seed.code === code);
    if (!found) throw new Error(`unknown option item ${code}`);
    return found.idx;
  };

  const products: ProductPlan[] = PRODUCTS.map((seed, idx) => ({
    idx,
    seed,
    categoryIdx: categories.findIndex((c) => c.seed.code === seed.category),
    iikoProductId: rng.uuid(),
    groups: seed.groups.map((code) => ({
      groupIdx: groupIdx(code),
      defaultItemIdx: code === 'TOPPING' ? null : itemIdx(seed.defaults[code] as string),
    })),
  }));
  const productIdx = (sku: string) => {
    const i = products.findIndex((p) => p.seed.sku === sku);
    if (i < 0) throw new Error(`unknown product ${sku}`);
    return i;
  };

  const storeProducts: StoreProductPlan[] = [];
  for (const store of stores) {
    for (const product of products) {
      const o = STORE_PRODUCT_OVERRIDES.find(
        (x) => x.store === store.seed.code && x.sku === product.seed.sku,
      );
      storeProducts.push({
        storeIdx: store.idx,
        productIdx: product.idx,
        price: o?.price ?? null,
        special: o?.special ?? false,
        stock: o?.stock ?? 'IN_STOCK',
        source: o?.source ?? 'MANUAL',
        active: !o?.inactive,
      });
    }
  }

  const productOptionItems: ProductOptionItemPlan[] = PRODUCT_OPTION_OVERRIDES.map((o) => ({
    productIdx: productIdx(o.sku),
    itemIdx: itemIdx(o.item),
    price: o.price ?? null,
    available: o.available ?? null,
  }));

  return {
    organizationId,
    stores,
    zones,
    categories,
    products,
    groups,
    items,
    storeProducts,
    productOptionItems,
    manualOverride: {
      productIdx: productIdx(MANUAL_OVERRIDE.sku),
      iikoPrice: MANUAL_OVERRIDE.iikoPrice,
      iikoName: MANUAL_OVERRIDE.iikoName,
    },
  };
}

/** Pricing lookups over the plan, mirroring PR-1…PR-3. */
export class Pricing {
  private readonly listing = new Map<string, StoreProductPlan>();
  private readonly optionOverride = new Map<string, ProductOptionItemPlan>();

  constructor(private readonly catalog: Catalog) {
    for (const sp of catalog.storeProducts) this.listing.set(`${sp.storeIdx}:${sp.productIdx}`, sp);
    for (const poi of catalog.productOptionItems)
      this.optionOverride.set(`${poi.productIdx}:${poi.itemIdx}`, poi);
  }

  storeProduct(storeIdx: number, productIdx: number): StoreProductPlan {
    const sp = this.listing.get(`${storeIdx}:${productIdx}`);
    if (!sp) throw new Error(`no listing ${storeIdx}:${productIdx}`);
    return sp;
  }

  unitPrice(storeIdx: number, productIdx: number): number {
    return (
      this.storeProduct(storeIdx, productIdx).price ??
      (this.catalog.products[productIdx] as ProductPlan).seed.price
    );
  }

  isSpecial(storeIdx: number, productIdx: number): boolean {
    return (
      Boolean((this.catalog.products[productIdx] as ProductPlan).seed.special) ||
      this.storeProduct(storeIdx, productIdx).special
    );
  }

  optionPrice(productIdx: number, itemIdx: number): number {
    const o = this.optionOverride.get(`${productIdx}:${itemIdx}`);
    return o?.price ?? (this.catalog.items[itemIdx] as ItemPlan).seed.price;
  }

  optionAvailable(productIdx: number, itemIdx: number): boolean {
    const o = this.optionOverride.get(`${productIdx}:${itemIdx}`);
    return o?.available ?? true;
  }

  /**
   * Whether a historical order `daysAgo` days back could contain the product: currently sellable
   * listings, plus the retired seasonal drink while it was on the menu.
   */
  sellable(storeIdx: number, productIdx: number, daysAgo: number): boolean {
    const product = this.catalog.products[productIdx] as ProductPlan;
    const sp = this.storeProduct(storeIdx, productIdx);
    if (product.seed.retiredDaysAgo !== undefined) return daysAgo > product.seed.retiredDaysAgo;
    return sp.active && sp.stock !== 'OUT_OF_STOCK';
  }
}
