import { z } from 'zod';
import { fromDecimal, type Kopecks } from '~/utils/money';
import { booleanFilter, defineListParams, enumFilter, idFilter } from '~/utils/search-params';
import { OPTION_GROUP_TYPES, STOCK_STATUSES, type OptionGroupType } from '~/utils/vocabularies';

/**
 * Menu forms (categories, products, options, store listings). Issues carry message keys
 * (menu.error.*), translated by the components; the routes parse with conform's `parseWithZod`,
 * which turns empty fields into undefined and "on" checkboxes into true.
 */

const MONEY = /^\d{1,10}(?:\.\d{1,2})?$/;

/** Rubles as typed by staff ("350", "350.50", "350,50") → kopecks. Never a float. */
function money(requiredKey: string) {
  return z
    .string({ error: requiredKey })
    .trim()
    .transform((v) => v.replace(',', '.').replace(/\s+/g, ''))
    .refine((v) => !v.startsWith('-'), { error: 'menu.error.priceNegative' })
    .refine((v) => v.startsWith('-') || MONEY.test(v), { error: 'menu.error.priceInvalid' })
    .transform((v): Kopecks => fromDecimal(v));
}

export const moneyField = money('menu.error.priceRequired');
export const optionalMoneyField = money('menu.error.priceInvalid').optional();

const code = (max: number) =>
  z
    .string({ error: 'menu.error.codeRequired' })
    .trim()
    .toUpperCase()
    .max(max, { error: 'menu.error.codeTooLong' })
    .regex(/^[A-Z0-9_-]+$/, { error: 'menu.error.codeInvalid' });

const requiredText = (max: number) =>
  z
    .string({ error: 'menu.error.nameRequired' })
    .trim()
    .min(1, { error: 'menu.error.nameRequired' })
    .max(max, { error: 'menu.error.tooLong' });

const optionalText = (max: number) =>
  z.string().trim().max(max, { error: 'menu.error.tooLong' }).optional();

const sortOrder = z
  .number({ error: 'menu.error.integer' })
  .int({ error: 'menu.error.integer' })
  .min(-100000, { error: 'menu.error.integer' })
  .max(100000, { error: 'menu.error.integer' })
  .default(0);

const id = (requiredKey = 'menu.error.required') =>
  z
    .number({ error: requiredKey })
    .int({ error: requiredKey })
    .positive({ error: requiredKey })
    .max(2_147_483_647, { error: requiredKey });

const flag = z.boolean().default(false);

// ------------------------------------------------------------------------------------------------

export const categorySchema = z.object({
  code: code(30),
  name_ru: requiredText(100),
  name_zh: optionalText(100),
  name_en: optionalText(100),
  sort_order: sortOrder,
  is_active: flag,
});
export type CategoryInput = z.output<typeof categorySchema>;

/** Images are either an absolute http(s) URL or a file this app stored (`/uploads/<name>`). */
export const UPLOAD_NAME = /^[a-f0-9]{32}\.(?:jpg|png|webp)$/;
const imageUrl = z
  .string()
  .trim()
  .max(2000, { error: 'menu.error.tooLong' })
  .refine(
    (v) =>
      /^https?:\/\/[^\s]+$/i.test(v) ||
      (v.startsWith('/uploads/') && UPLOAD_NAME.test(v.slice('/uploads/'.length))),
    { error: 'menu.error.imageUrlInvalid' },
  )
  .optional();

export const productSchema = z.object({
  sku: z
    .string({ error: 'menu.error.skuRequired' })
    .trim()
    .min(1, { error: 'menu.error.skuRequired' })
    .max(50, { error: 'menu.error.tooLong' })
    .regex(/^[A-Za-z0-9._-]+$/, { error: 'menu.error.skuInvalid' }),
  name_ru: requiredText(200),
  name_zh: optionalText(200),
  name_en: optionalText(200),
  description_ru: optionalText(4000),
  description_zh: optionalText(4000),
  description_en: optionalText(4000),
  base_price: moneyField,
  category_id: id().optional(),
  image_url: imageUrl,
  is_special_price: flag,
  sort_order: sortOrder,
  is_active: flag,
});
export type ProductInput = z.output<typeof productSchema>;

/** `option_group_business_rule`: the group type decides whether a choice is required and how many. */
export function optionGroupRule(type: OptionGroupType): {
  is_required: boolean;
  selection_type: 'SINGLE' | 'MULTI';
} {
  return type === 'TOPPING'
    ? { is_required: false, selection_type: 'MULTI' }
    : { is_required: true, selection_type: 'SINGLE' };
}

export const optionGroupSchema = z.object({
  code: code(30),
  name_ru: requiredText(50),
  name_zh: optionalText(50),
  name_en: optionalText(50),
  group_type: z.enum(OPTION_GROUP_TYPES, { error: 'menu.error.groupTypeRequired' }),
  sort_order: sortOrder,
});
export type OptionGroupInput = z.output<typeof optionGroupSchema>;

export const optionItemSchema = z.object({
  group_id: id(),
  code: code(30),
  name_ru: requiredText(50),
  name_zh: optionalText(50),
  name_en: optionalText(50),
  price_delta: moneyField,
  is_available: flag,
  sort_order: sortOrder,
});
export type OptionItemInput = z.output<typeof optionItemSchema>;

export const attachOptionGroupSchema = z.object({
  group_id: id('menu.error.groupRequired'),
  default_item_id: id().optional(),
  sort_order: sortOrder,
});
export type AttachOptionGroupInput = z.output<typeof attachOptionGroupSchema>;

export const detachOptionGroupSchema = z.object({ group_id: id('menu.error.groupRequired') });

export const AVAILABILITY_OVERRIDES = ['inherit', 'available', 'unavailable'] as const;
export const productOptionItemSchema = z.object({
  item_id: id(),
  price_delta_override: optionalMoneyField,
  availability: z.enum(AVAILABILITY_OVERRIDES).default('inherit'),
});
export type ProductOptionItemInput = z.output<typeof productOptionItemSchema>;

export const storeProductSchema = z.object({
  store_id: id(),
  product_id: id(),
  is_active: flag,
  price_override: optionalMoneyField,
  stock_status: z.enum(STOCK_STATUSES, { error: 'menu.error.stockStatusInvalid' }),
});
export type StoreProductInput = z.output<typeof storeProductSchema>;

export const bulkEnableSchema = z.object({ product_id: id('menu.error.productRequired') });

export const copyStoreMenuSchema = z
  .object({
    from_store_id: id('menu.error.storeRequired'),
    to_store_id: id('menu.error.storeRequired'),
  })
  .refine((v) => v.from_store_id !== v.to_store_id, {
    error: 'menu.error.sameStore',
    path: ['to_store_id'],
  });

// --- the product list (/admin/menu): state in the URL, bad values fall back to defaults -----

export const PRODUCT_SORTS = ['sort_order', 'name', 'sku', 'price', 'updated'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];
export const PRODUCT_OVERRIDE_FILTERS = ['override', 'conflict', 'none'] as const;

export const PRODUCT_LIST = defineListParams({
  sortKeys: PRODUCT_SORTS,
  defaultSort: 'sort_order',
  filters: {
    category: idFilter(),
    active: booleanFilter(),
    override: enumFilter(PRODUCT_OVERRIDE_FILTERS),
  },
});
export type ProductListParams = ReturnType<typeof PRODUCT_LIST.parse>;

export const acceptIikoSchema = z.object({ product_id: id('menu.error.productRequired') });
