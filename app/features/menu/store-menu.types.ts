import type { Lang } from '~/i18n/languages';
import type { Kopecks } from '~/utils/money';
import type { StockStatus } from '~/utils/vocabularies';

/**
 * The public read model of one store's menu (issue 3 item 9): what a customer may see, localized,
 * with effective prices (PR-2, PR-3) and availability (PR-1, PR-3). Isomorphic types only, so
 * customer components and the JSON API share them.
 */

export interface StoreMenuOptionItem {
  id: number;
  code: string;
  name: string;
  /** PR-3: product_option_item.price_delta_override when set, else option_item.price_delta. */
  priceDeltaKopecks: Kopecks;
  /** PR-3: product_option_item.is_available_override when set, else option_item.is_available. */
  available: boolean;
}

export interface StoreMenuOptionGroup {
  id: number;
  code: string;
  type: 'TEMPERATURE' | 'ICE' | 'SUGAR' | 'TOPPING';
  name: string;
  required: boolean;
  multi: boolean;
  /** Preselected in the UI (PR-4); the server never fills in a missing choice. */
  defaultItemId: number | null;
  items: StoreMenuOptionItem[];
}

export interface StoreMenuProduct {
  id: number;
  sku: string;
  name: string;
  description: string | null;
  imageUrl: string | null;
  /** PR-2: store_product.price_override when set, else product.base_price. */
  priceKopecks: Kopecks;
  /** PR-8: product.is_special_price OR store_product.is_special_price (earns no points). */
  isSpecialPrice: boolean;
  stockStatus: StockStatus;
  /** PR-1. False only for OUT_OF_STOCK here: inactive listings are not in the model at all. */
  sellable: boolean;
  optionGroups: StoreMenuOptionGroup[];
}

export interface StoreMenuCategory {
  /** null for the trailing group of products without a category. */
  id: number | null;
  code: string | null;
  name: string | null;
  products: StoreMenuProduct[];
}

export interface StoreMenuStore {
  id: number;
  code: string;
  name: string;
  address: string;
  city: string;
  timezone: string;
  pickupEnabled: boolean;
  deliveryEnabled: boolean;
}

export interface StoreMenu {
  lang: Lang;
  store: StoreMenuStore;
  categories: StoreMenuCategory[];
}
