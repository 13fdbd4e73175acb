import { z } from 'zod';
import { fromZonedLocal } from '~/features/campaigns/campaign-time';
import { defineListParams, booleanFilter, enumFilter } from '~/utils/search-params';
import { COUPON_TYPES, type CouponScopeType, type CouponType } from '~/utils/vocabularies';
import {
  couponTemplateCoreFields,
  isRuleCouponType,
  normalizeCouponTemplateCore,
  RULE_ERRORS,
  TEMPLATE_ERRORS,
  type CouponTemplateCore,
} from './rule-json.schema';

/**
 * The coupon template forms (create, edit, the limited edit once instances exist — CP-15) and the
 * list params. The form posts rule_json as nested fields (`rule_json.tiers[0].min_amount`), so the
 * field errors of `normalizeCouponTemplateCore` land on the inputs that caused them. Issues are
 * i18n keys (couponTemplates.error.* and the couponEngine.* keys of rule-json.schema.ts).
 */

export const TEMPLATE_FORM_ERRORS = {
  codeRequired: 'couponTemplates.error.codeRequired',
  codeFormat: 'couponTemplates.error.codeFormat',
  codeTaken: 'couponTemplates.error.codeTaken',
  nameRequired: 'couponTemplates.error.nameRequired',
  descriptionRequired: 'couponTemplates.error.descriptionRequired',
  tooLong: 'couponTemplates.error.tooLong',
  frozen: 'couponTemplates.error.frozen',
  validUntilEarlier: 'couponTemplates.error.validUntilEarlier',
  belowUsage: 'couponTemplates.error.belowUsage',
  invalid: 'couponTemplates.error.invalid',
} as const;

/** Form text "300", "300,5" → canonical "300.50"; anything else is passed on for the rule schema to refuse. */
function canonicalAmount(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim().replace(',', '.');
  const m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(text);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(2, '0')}` : text;
}

const sortedIds = (ids: number[] | undefined) =>
  ids && ids.length > 0 ? [...new Set(ids)].sort((a, b) => a - b) : undefined;

const formInt = (error: string) => z.number({ error }).int({ error }).optional();
const formIds = z.array(z.number({ error: RULE_ERRORS.ids }).int().positive()).optional();

/** The rule fields as the form posts them; every type's fields, only the chosen type's are kept. */
const ruleFormFields = z
  .object({
    tiers: z
      .array(
        z.object({
          min_amount: z.string().optional(),
          discount_amount: z.string().optional(),
        }),
      )
      .optional(),
    buy_product_ids: formIds,
    get_product_ids: formIds,
    product_ids: formIds,
    category_ids: formIds,
    /** BUY_N_GET_M: which of the two lists applies. */
    list_kind: z.enum(['products', 'categories']).optional(),
    buy_quantity: formInt(RULE_ERRORS.quantity),
    get_quantity: formInt(RULE_ERRORS.quantity),
    get_discount_percent: formInt(RULE_ERRORS.percent),
    max_free_items: formInt(RULE_ERRORS.maxFreeItems),
  })
  .optional();

type RuleFormValue = z.output<typeof ruleFormFields>;

/** The form's rule fields → the canonical rule_json candidate for `type` (validated afterwards). */
export function ruleFromForm(type: CouponType, rule: RuleFormValue): unknown {
  if (!isRuleCouponType(type)) return null;
  const r = rule ?? {};
  switch (type) {
    case 'THRESHOLD_OFF':
      return {
        tiers: (r.tiers ?? [])
          // a row left entirely blank (e.g. the spare row) is not a tier
          .filter((t) => (t.min_amount ?? '').trim() !== '' || (t.discount_amount ?? '').trim())
          .map((t) => ({
            min_amount: canonicalAmount(t.min_amount ?? ''),
            discount_amount: canonicalAmount(t.discount_amount ?? ''),
          })),
      };
    case 'BOGO': {
      const buy = sortedIds(r.buy_product_ids) ?? [];
      const get = sortedIds(r.get_product_ids);
      return {
        buy_product_ids: buy,
        buy_quantity: r.buy_quantity,
        ...(get ? { get_product_ids: get } : {}),
        get_quantity: r.get_quantity,
        get_discount_percent: r.get_discount_percent,
        ...(r.max_free_items !== undefined ? { max_free_items: r.max_free_items } : {}),
      };
    }
    case 'BUY_N_GET_M': {
      const kind = r.list_kind ?? (r.category_ids?.length ? 'categories' : 'products');
      const list =
        kind === 'categories'
          ? { category_ids: sortedIds(r.category_ids) ?? [] }
          : { product_ids: sortedIds(r.product_ids) ?? [] };
      return {
        buy_quantity: r.buy_quantity,
        get_quantity: r.get_quantity,
        get_discount_percent: r.get_discount_percent,
        ...list,
        ...(r.max_free_items !== undefined ? { max_free_items: r.max_free_items } : {}),
      };
    }
  }
}

/** A wall-clock "YYYY-MM-DDTHH:mm" in Moscow (C-3) → the instant. */
const zonedInstant = z
  .string({ error: TEMPLATE_ERRORS.date })
  .trim()
  .transform((v, ctx) => {
    const date = fromZonedLocal(v);
    if (!date) {
      ctx.addIssue({ code: 'custom', message: TEMPLATE_ERRORS.date });
      return z.NEVER;
    }
    return date;
  });

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: TEMPLATE_FORM_ERRORS.tooLong })
    .optional()
    .transform((v) => v || null);

/** Name and description fields: editable at any time (CP-15). */
const textFields = {
  name_ru: z
    .string({ error: TEMPLATE_FORM_ERRORS.nameRequired })
    .trim()
    .min(1, { error: TEMPLATE_FORM_ERRORS.nameRequired })
    .max(100, { error: TEMPLATE_FORM_ERRORS.tooLong }),
  name_zh: optionalText(100),
  name_en: optionalText(100),
  description_ru: z
    .string({ error: TEMPLATE_FORM_ERRORS.descriptionRequired })
    .trim()
    .min(1, { error: TEMPLATE_FORM_ERRORS.descriptionRequired })
    .max(2000, { error: TEMPLATE_FORM_ERRORS.tooLong }),
  description_zh: optionalText(2000),
  description_en: optionalText(2000),
};

const usageLimit = z
  .number({ error: TEMPLATE_ERRORS.usageLimit })
  .int({ error: TEMPLATE_ERRORS.usageLimit })
  .min(1, { error: TEMPLATE_ERRORS.usageLimit })
  .optional()
  .transform((v) => v ?? null);

/** Fields that stay editable after the first instance (CP-15). */
const editableFields = {
  ...textFields,
  // empty = unlimited
  max_total_usage: usageLimit,
  valid_until: zonedInstant,
  // an unchecked checkbox is absent from the form
  is_active: z
    .boolean()
    .optional()
    .transform((v) => v ?? false),
};

export const couponTemplateFormSchema = z
  .object({
    ...editableFields,
    code: z
      .string({ error: TEMPLATE_FORM_ERRORS.codeRequired })
      .trim()
      .toUpperCase()
      .max(50, { error: TEMPLATE_FORM_ERRORS.codeFormat })
      .regex(/^[A-Z0-9][A-Z0-9_-]*$/, { error: TEMPLATE_FORM_ERRORS.codeFormat }),
    type: couponTemplateCoreFields.type,
    discount_value: couponTemplateCoreFields.discount_value,
    rule_json: ruleFormFields,
    scope_type: couponTemplateCoreFields.scope_type,
    scope_category_ids: formIds,
    scope_product_ids: formIds,
    // none chosen = every store
    scope_store_ids: formIds,
    min_order_amount: couponTemplateCoreFields.min_order_amount,
    max_discount_amount: couponTemplateCoreFields.max_discount_amount,
    // empty = unlimited (the column's default of 1 is the form's default value)
    max_usage_per_user: usageLimit,
    valid_from: zonedInstant,
  })
  .transform((v, ctx) => {
    const isSimple = v.type === 'SIMPLE_PERCENTAGE' || v.type === 'SIMPLE_FIXED';
    const scopeType: CouponScopeType = v.scope_type;
    const core = normalizeCouponTemplateCore(
      {
        type: v.type,
        // the form keeps every type's inputs; only the chosen type's count
        discount_value: isSimple ? v.discount_value : null,
        rule_json: ruleFromForm(v.type, v.rule_json),
        scope_type: scopeType,
        scope_category_ids:
          scopeType === 'CATEGORIES' ? (sortedIds(v.scope_category_ids) ?? []) : null,
        scope_product_ids: scopeType === 'PRODUCTS' ? (sortedIds(v.scope_product_ids) ?? []) : null,
        scope_store_ids: sortedIds(v.scope_store_ids) ?? null,
        min_order_amount: v.min_order_amount,
        max_discount_amount: v.max_discount_amount,
        max_usage_per_user: v.max_usage_per_user,
        max_total_usage: v.max_total_usage,
        valid_from: v.valid_from,
        valid_until: v.valid_until,
      },
      ctx,
    );
    return {
      core,
      code: v.code,
      name_ru: v.name_ru,
      name_zh: v.name_zh,
      name_en: v.name_en,
      description_ru: v.description_ru,
      description_zh: v.description_zh,
      description_en: v.description_en,
      is_active: v.is_active,
    };
  });

export type CouponTemplateFormValues = z.output<typeof couponTemplateFormSchema>;

/** The edit form once an instance exists: the frozen inputs are disabled and not posted (CP-15). */
export const couponTemplateLimitedFormSchema = z.object(editableFields);

export type CouponTemplateLimitedValues = z.output<typeof couponTemplateLimitedFormSchema>;

export type { CouponTemplateCore };

// --- list ------------------------------------------------------------------------------------

export const COUPON_TEMPLATE_SORT_KEYS = [
  'created',
  'code',
  'name',
  'type',
  'valid_from',
  'valid_until',
  'usage',
] as const;
export type CouponTemplateSortKey = (typeof COUPON_TEMPLATE_SORT_KEYS)[number];

export const couponTemplateListParams = defineListParams({
  sortKeys: COUPON_TEMPLATE_SORT_KEYS,
  defaultSort: 'created',
  defaultDir: 'desc',
  filters: {
    type: enumFilter(COUPON_TYPES),
    active: booleanFilter(),
    valid_now: booleanFilter(),
  },
});

// --- try-it panel ------------------------------------------------------------------------------

export const TRY_MAX_LINES = 20;
export const TRY_MAX_QUANTITY = 99;

export type TryItParams = {
  storeId: number | null;
  lines: { productId: number; quantity: number }[];
};

const positiveInt = (v: string | null | undefined, max: number) =>
  v && /^[1-9][0-9]{0,8}$/.test(v) && Number(v) <= max ? Number(v) : null;

/**
 * The "try it" cart from the URL: `try_store`, and `try_product` / `try_qty` pairs (repeated).
 * Lenient like every list param: a malformed pair is dropped, never a 500.
 */
export function parseTryItParams(url: URL | string): TryItParams {
  const params = new URL(url).searchParams;
  const storeId = positiveInt(params.get('try_store'), 2_147_483_647);
  const products = params.getAll('try_product');
  const quantities = params.getAll('try_qty');
  const lines: TryItParams['lines'] = [];
  products.forEach((p, i) => {
    const productId = positiveInt(p, 2_147_483_647);
    const quantity = positiveInt(quantities[i]?.trim(), TRY_MAX_QUANTITY);
    if (productId !== null && quantity !== null && lines.length < TRY_MAX_LINES) {
      lines.push({ productId, quantity });
    }
  });
  return { storeId, lines };
}
