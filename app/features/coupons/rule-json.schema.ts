import { z } from 'zod';
import { fromDecimal, toDecimal } from '~/utils/money';
import {
  COUPON_SCOPE_TYPES,
  COUPON_TYPES,
  type CouponScopeType,
  type CouponType,
} from '~/utils/vocabularies';

/**
 * The canonical `rule_json` of CP-2 and the type / value / scope combination rules of
 * `coupon_template` (the CHECK constraints `coupon_template_*` of migration 2026112503), so bad
 * input is refused with field errors before it reaches the database. Issue messages are i18n keys
 * (`couponEngine.rule.*`, `couponEngine.template.*`). Isomorphic: no I/O; whether the referenced
 * products and categories exist is for the caller to check (see `listRuleReferences`).
 */

export const INVALID_RULE = 'INVALID_RULE';

export const RULE_ERRORS = {
  notAnObject: 'couponEngine.rule.notAnObject',
  unknownKey: 'couponEngine.rule.unknownKey',
  required: 'couponEngine.rule.required',
  amountFormat: 'couponEngine.rule.amountFormat',
  tiersCount: 'couponEngine.rule.tiersCount',
  tierMinIncreasing: 'couponEngine.rule.tierMinIncreasing',
  tierDiscountRange: 'couponEngine.rule.tierDiscountRange',
  tierDiscountDecreasing: 'couponEngine.rule.tierDiscountDecreasing',
  quantity: 'couponEngine.rule.quantity',
  percent: 'couponEngine.rule.percent',
  maxFreeItems: 'couponEngine.rule.maxFreeItems',
  ids: 'couponEngine.rule.ids',
  idsEmpty: 'couponEngine.rule.idsEmpty',
  idsDuplicate: 'couponEngine.rule.idsDuplicate',
  getOverlap: 'couponEngine.rule.getOverlap',
  listRequired: 'couponEngine.rule.listRequired',
  listBoth: 'couponEngine.rule.listBoth',
  unknownProduct: 'couponEngine.rule.unknownProduct',
  unknownCategory: 'couponEngine.rule.unknownCategory',
  unknownStore: 'couponEngine.rule.unknownStore',
} as const;

export const TEMPLATE_ERRORS = {
  type: 'couponEngine.template.type',
  scopeType: 'couponEngine.template.scopeType',
  amountFormat: 'couponEngine.template.amountFormat',
  discountValueRequired: 'couponEngine.template.discountValueRequired',
  discountValueNotAllowed: 'couponEngine.template.discountValueNotAllowed',
  percentRange: 'couponEngine.template.percentRange',
  fixedPositive: 'couponEngine.template.fixedPositive',
  ruleRequired: 'couponEngine.template.ruleRequired',
  ruleNotAllowed: 'couponEngine.template.ruleNotAllowed',
  scopeListEmpty: 'couponEngine.template.scopeListEmpty',
  scopeListNotAllowed: 'couponEngine.template.scopeListNotAllowed',
  storesEmpty: 'couponEngine.template.storesEmpty',
  ids: 'couponEngine.template.ids',
  itemRuleScope: 'couponEngine.template.itemRuleScope',
  maxDiscountPositive: 'couponEngine.template.maxDiscountPositive',
  usageLimit: 'couponEngine.template.usageLimit',
  date: 'couponEngine.template.date',
  validityOrder: 'couponEngine.template.validityOrder',
} as const;

// --- rule_json (CP-2) ---------------------------------------------------------------------------

/** Canonical amounts are 2-decimal strings ("300.00"), as PostgreSQL prints numeric(12,2). */
const CANONICAL_AMOUNT = /^\d{1,10}\.\d{2}$/;
const amount = z
  .string({ error: RULE_ERRORS.amountFormat })
  .regex(CANONICAL_AMOUNT, { error: RULE_ERRORS.amountFormat });

const quantity = z
  .number({ error: RULE_ERRORS.quantity })
  .int({ error: RULE_ERRORS.quantity })
  .min(1, { error: RULE_ERRORS.quantity })
  .max(10, { error: RULE_ERRORS.quantity });

const getDiscountPercent = z
  .number({ error: RULE_ERRORS.percent })
  .int({ error: RULE_ERRORS.percent })
  .min(1, { error: RULE_ERRORS.percent })
  .max(100, { error: RULE_ERRORS.percent });

const maxFreeItems = z
  .number({ error: RULE_ERRORS.maxFreeItems })
  .int({ error: RULE_ERRORS.maxFreeItems })
  .min(1, { error: RULE_ERRORS.maxFreeItems });

const idList = z
  .array(z.number({ error: RULE_ERRORS.ids }).int({ error: RULE_ERRORS.ids }).positive(), {
    error: RULE_ERRORS.ids,
  })
  .min(1, { error: RULE_ERRORS.idsEmpty })
  .max(500, { error: RULE_ERRORS.ids })
  .refine((ids) => new Set(ids).size === ids.length, { error: RULE_ERRORS.idsDuplicate });

const objectError = (issue: { code: string }) =>
  issue.code === 'unrecognized_keys' ? RULE_ERRORS.unknownKey : RULE_ERRORS.notAnObject;

const tierSchema = z.strictObject(
  { min_amount: amount, discount_amount: amount },
  { error: objectError },
);

export const thresholdOffRuleSchema = z
  .strictObject(
    {
      tiers: z
        .array(tierSchema, { error: RULE_ERRORS.tiersCount })
        .min(1, { error: RULE_ERRORS.tiersCount })
        .max(10, { error: RULE_ERRORS.tiersCount }),
    },
    { error: objectError },
  )
  .superRefine((rule, ctx) => {
    // zod runs this even when an amount failed its format check; compare only well-formed tiers
    const kopecksOf = (text: unknown) =>
      typeof text === 'string' && CANONICAL_AMOUNT.test(text) ? fromDecimal(text) : null;
    if (!Array.isArray(rule.tiers)) return;
    rule.tiers.forEach((tier, i) => {
      const min = kopecksOf(tier?.min_amount);
      const discount = kopecksOf(tier?.discount_amount);
      if (min === null || discount === null) return;
      if (discount <= 0 || discount >= min) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'discount_amount'],
          message: RULE_ERRORS.tierDiscountRange,
        });
      }
      const previous = i > 0 ? rule.tiers[i - 1] : undefined;
      const previousMin = kopecksOf(previous?.min_amount);
      const previousDiscount = kopecksOf(previous?.discount_amount);
      if (previousMin !== null && min <= previousMin) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'min_amount'],
          message: RULE_ERRORS.tierMinIncreasing,
        });
      }
      if (previousDiscount !== null && discount < previousDiscount) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'discount_amount'],
          message: RULE_ERRORS.tierDiscountDecreasing,
        });
      }
    });
  });

export const bogoRuleSchema = z
  .strictObject(
    {
      buy_product_ids: idList,
      buy_quantity: quantity,
      get_product_ids: idList.optional(),
      get_quantity: quantity,
      get_discount_percent: getDiscountPercent,
      max_free_items: maxFreeItems.optional(),
    },
    { error: objectError },
  )
  .superRefine((rule, ctx) => {
    if (!Array.isArray(rule.get_product_ids) || !Array.isArray(rule.buy_product_ids)) return;
    const buy = new Set(rule.buy_product_ids);
    const overlap = rule.get_product_ids.filter((id) => buy.has(id)).length;
    const same = overlap === buy.size && overlap === rule.get_product_ids.length;
    if (overlap > 0 && !same) {
      ctx.addIssue({ code: 'custom', path: ['get_product_ids'], message: RULE_ERRORS.getOverlap });
    }
  });

export const buyNGetMRuleSchema = z
  .strictObject(
    {
      buy_quantity: quantity,
      get_quantity: quantity,
      get_discount_percent: getDiscountPercent,
      product_ids: idList.optional(),
      category_ids: idList.optional(),
      max_free_items: maxFreeItems.optional(),
    },
    { error: objectError },
  )
  .superRefine((rule, ctx) => {
    if (rule.product_ids && rule.category_ids) {
      ctx.addIssue({ code: 'custom', path: ['category_ids'], message: RULE_ERRORS.listBoth });
    } else if (!rule.product_ids && !rule.category_ids) {
      ctx.addIssue({ code: 'custom', path: ['product_ids'], message: RULE_ERRORS.listRequired });
    }
  });

export type ThresholdOffRuleJson = z.infer<typeof thresholdOffRuleSchema>;
export type BogoRuleJson = z.infer<typeof bogoRuleSchema>;
export type BuyNGetMRuleJson = z.infer<typeof buyNGetMRuleSchema>;

export type RuleCouponType = 'THRESHOLD_OFF' | 'BOGO' | 'BUY_N_GET_M';
export type RuleJsonFor<T extends RuleCouponType> = T extends 'THRESHOLD_OFF'
  ? ThresholdOffRuleJson
  : T extends 'BOGO'
    ? BogoRuleJson
    : BuyNGetMRuleJson;

/** A rule together with its type, as the engine and the forms pass it around. */
export type TypedRuleJson =
  | { type: 'THRESHOLD_OFF'; rule: ThresholdOffRuleJson }
  | { type: 'BOGO'; rule: BogoRuleJson }
  | { type: 'BUY_N_GET_M'; rule: BuyNGetMRuleJson };

export const RULE_JSON_SCHEMAS = {
  THRESHOLD_OFF: thresholdOffRuleSchema,
  BOGO: bogoRuleSchema,
  BUY_N_GET_M: buyNGetMRuleSchema,
} as const;

export function isRuleCouponType(type: CouponType): type is RuleCouponType {
  return type === 'THRESHOLD_OFF' || type === 'BOGO' || type === 'BUY_N_GET_M';
}

export type RuleIssue = { path: (string | number)[]; message: string };

export type RuleParseResult<T extends RuleCouponType = RuleCouponType> =
  | { success: true; data: RuleJsonFor<T> }
  | { success: false; code: typeof INVALID_RULE; issues: RuleIssue[] };

/**
 * Validates a rule_json for its coupon type (CP-2). Every issue carries the path of the offending
 * field; an unknown key is reported at its own path.
 */
export function parseRuleJson<T extends RuleCouponType>(
  type: T,
  value: unknown,
): RuleParseResult<T> {
  const result = RULE_JSON_SCHEMAS[type].safeParse(value);
  if (result.success) return { success: true, data: result.data as RuleJsonFor<T> };
  return { success: false, code: INVALID_RULE, issues: toRuleIssues(result.error.issues, value) };
}

/** Whether `path` names a key missing from its (existing) parent object in `root`. */
function isMissingKey(root: unknown, path: readonly (string | number)[]): boolean {
  if (path.length === 0) return false;
  let parent: unknown = root;
  for (const part of path.slice(0, -1)) {
    if (typeof parent !== 'object' || parent === null) return false;
    parent = (parent as Record<string | number, unknown>)[part];
  }
  const key = path[path.length - 1] as string | number;
  return (
    typeof parent === 'object' && parent !== null && !Array.isArray(parent) && !(key in parent)
  );
}

function toRuleIssues(issues: readonly z.core.$ZodIssue[], input: unknown): RuleIssue[] {
  return issues.flatMap((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key], message: RULE_ERRORS.unknownKey }));
    }
    if (issue.code === 'invalid_type' && isMissingKey(input, path)) {
      return [{ path, message: RULE_ERRORS.required }];
    }
    return [{ path, message: issue.message }];
  });
}

/** conform's field name for an issue path: ['rule_json','tiers',0,'min_amount'] → 'rule_json.tiers[0].min_amount'. */
export function issuePathToName(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (name, part) =>
      typeof part === 'number' ? `${name}[${part}]` : name ? `${name}.${part}` : part,
    '',
  );
}

export type RuleReference = {
  kind: 'product' | 'category';
  id: number;
  path: (string | number)[];
};

/** Every product and category id a valid rule references, with its path for a field error. */
export function listRuleReferences(typed: TypedRuleJson): RuleReference[] {
  const refs = (kind: RuleReference['kind'], key: string, ids: readonly number[] | undefined) =>
    (ids ?? []).map((id, i) => ({ kind, id, path: [key, i] }));
  switch (typed.type) {
    case 'THRESHOLD_OFF':
      return [];
    case 'BOGO':
      return [
        ...refs('product', 'buy_product_ids', typed.rule.buy_product_ids),
        ...refs('product', 'get_product_ids', typed.rule.get_product_ids),
      ];
    case 'BUY_N_GET_M':
      return [
        ...refs('product', 'product_ids', typed.rule.product_ids),
        ...refs('category', 'category_ids', typed.rule.category_ids),
      ];
  }
}

// --- coupon_template combination rules ---------------------------------------------------------

/** Form money: "350", "350.5", "350,50" → canonical "350.50"; empty → null. */
const decimalInput = (error: string) =>
  z
    .union([z.string(), z.null()], { error })
    .optional()
    .transform((value, ctx) => {
      const text = value?.trim().replace(',', '.') ?? '';
      if (text === '') return null;
      if (!/^\d{1,10}(\.\d{1,2})?$/.test(text)) {
        ctx.addIssue({ code: 'custom', message: error });
        return z.NEVER;
      }
      return toDecimal(fromDecimal(text));
    });

const idArrayInput = z
  .array(z.number().int().positive(), { error: TEMPLATE_ERRORS.ids })
  .max(1000, { error: TEMPLATE_ERRORS.ids })
  .nullable()
  .optional()
  .transform((ids) => (ids ? [...new Set(ids)] : null));

const usageLimitInput = z
  .number({ error: TEMPLATE_ERRORS.usageLimit })
  .int({ error: TEMPLATE_ERRORS.usageLimit })
  .min(1, { error: TEMPLATE_ERRORS.usageLimit })
  .nullable();

const dateInput = z
  .date({ error: TEMPLATE_ERRORS.date })
  .refine((d) => !Number.isNaN(d.getTime()), {
    error: TEMPLATE_ERRORS.date,
  });

/** The template fields whose combinations the database constrains, with normalized output. */
export type CouponTemplateCore = {
  type: CouponType;
  /** Canonical 2-decimal string: percent for SIMPLE_PERCENTAGE, rubles for SIMPLE_FIXED, else null. */
  discount_value: string | null;
  /** Canonical rule for the rule types (validated, keys in schema order), else null. */
  rule_json: ThresholdOffRuleJson | BogoRuleJson | BuyNGetMRuleJson | null;
  scope_type: CouponScopeType;
  scope_category_ids: number[] | null;
  scope_product_ids: number[] | null;
  /** null = every store. */
  scope_store_ids: number[] | null;
  min_order_amount: string | null;
  max_discount_amount: string | null;
  max_usage_per_user: number | null;
  max_total_usage: number | null;
  valid_from: Date;
  valid_until: Date;
};

/**
 * The template fields the database constrains, by column name. Money and percent accept form text
 * ("12,5"); a form schema may spread these next to its own fields and finish with
 * `.transform(normalizeCouponTemplateCore)` (or `(v, ctx) => ({ ...v, ...normalizeCouponTemplateCore(v, ctx) })`).
 */
export const couponTemplateCoreFields = {
  type: z.enum(COUPON_TYPES, { error: TEMPLATE_ERRORS.type }),
  discount_value: decimalInput(TEMPLATE_ERRORS.amountFormat),
  rule_json: z.unknown().optional(),
  scope_type: z.enum(COUPON_SCOPE_TYPES, { error: TEMPLATE_ERRORS.scopeType }).default('ALL'),
  scope_category_ids: idArrayInput,
  scope_product_ids: idArrayInput,
  scope_store_ids: idArrayInput,
  min_order_amount: decimalInput(TEMPLATE_ERRORS.amountFormat),
  max_discount_amount: decimalInput(TEMPLATE_ERRORS.amountFormat),
  // the column defaults to 1; null means unlimited
  max_usage_per_user: usageLimitInput.optional().transform((v) => (v === undefined ? 1 : v)),
  max_total_usage: usageLimitInput.optional().transform((v) => v ?? null),
  valid_from: dateInput,
  valid_until: dateInput,
};

type CoreFieldsOutput = z.output<z.ZodObject<typeof couponTemplateCoreFields>>;

/**
 * Mirrors coupon_template_discount_value_consistency, _rule_json_consistency, _percent_range,
 * _fixed_positive, _scope_consistency, _item_rule_scope, _validity and the column CHECKs, adding
 * an issue per broken rule at the field to fix. An empty id list on a scope that does not use it
 * is dropped; on a scope that needs it, it is an error.
 */
export function normalizeCouponTemplateCore(
  input: CoreFieldsOutput,
  ctx: z.core.$RefinementCtx,
): CouponTemplateCore {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const { type, scope_type: scopeType } = input;

  let discountValue: string | null = null;
  if (type === 'SIMPLE_PERCENTAGE' || type === 'SIMPLE_FIXED') {
    if (input.discount_value === null) {
      issue(['discount_value'], TEMPLATE_ERRORS.discountValueRequired);
    } else {
      const hundredths = fromDecimal(input.discount_value);
      if (type === 'SIMPLE_PERCENTAGE' && (hundredths <= 0 || hundredths > 100_00)) {
        issue(['discount_value'], TEMPLATE_ERRORS.percentRange);
      } else if (type === 'SIMPLE_FIXED' && hundredths <= 0) {
        issue(['discount_value'], TEMPLATE_ERRORS.fixedPositive);
      }
      discountValue = input.discount_value;
    }
  } else if (input.discount_value !== null) {
    issue(['discount_value'], TEMPLATE_ERRORS.discountValueNotAllowed);
  }

  let ruleJson: CouponTemplateCore['rule_json'] = null;
  const rawRule = input.rule_json ?? null;
  if (isRuleCouponType(type)) {
    if (rawRule === null) {
      issue(['rule_json'], TEMPLATE_ERRORS.ruleRequired);
    } else {
      const parsed = parseRuleJson(type, rawRule);
      if (parsed.success) ruleJson = parsed.data;
      else for (const i of parsed.issues) issue(['rule_json', ...i.path], i.message);
    }
    if ((type === 'BOGO' || type === 'BUY_N_GET_M') && scopeType !== 'ALL') {
      issue(['scope_type'], TEMPLATE_ERRORS.itemRuleScope);
    }
  } else if (rawRule !== null) {
    issue(['rule_json'], TEMPLATE_ERRORS.ruleNotAllowed);
  }

  const scopeList = (key: 'scope_category_ids' | 'scope_product_ids', needed: boolean) => {
    const ids = input[key];
    if (needed && (!ids || ids.length === 0)) issue([key], TEMPLATE_ERRORS.scopeListEmpty);
    if (!needed && ids && ids.length > 0) issue([key], TEMPLATE_ERRORS.scopeListNotAllowed);
    return needed ? ids : null;
  };
  const categoryIds = scopeList('scope_category_ids', scopeType === 'CATEGORIES');
  const productIds = scopeList('scope_product_ids', scopeType === 'PRODUCTS');
  // an empty store list is not "every store" (that is null): refuse rather than guess
  if (input.scope_store_ids && input.scope_store_ids.length === 0) {
    issue(['scope_store_ids'], TEMPLATE_ERRORS.storesEmpty);
  }

  if (input.max_discount_amount !== null && fromDecimal(input.max_discount_amount) <= 0) {
    issue(['max_discount_amount'], TEMPLATE_ERRORS.maxDiscountPositive);
  }
  if (input.valid_from.getTime() >= input.valid_until.getTime()) {
    issue(['valid_until'], TEMPLATE_ERRORS.validityOrder);
  }

  return {
    type,
    discount_value: discountValue,
    rule_json: ruleJson,
    scope_type: scopeType,
    scope_category_ids: categoryIds,
    scope_product_ids: productIds,
    scope_store_ids: input.scope_store_ids,
    min_order_amount: input.min_order_amount,
    max_discount_amount: input.max_discount_amount,
    max_usage_per_user: input.max_usage_per_user,
    max_total_usage: input.max_total_usage,
    valid_from: input.valid_from,
    valid_until: input.valid_until,
  };
}

export const couponTemplateCoreSchema = z
  .object(couponTemplateCoreFields)
  .transform(normalizeCouponTemplateCore);

export type CouponTemplateCoreInput = z.input<typeof couponTemplateCoreSchema>;

export type TemplateReference =
  RuleReference | { kind: 'store'; id: number; path: (string | number)[] };

/** Every product, category and store id a validated template references, with field paths. */
export function listTemplateReferences(core: CouponTemplateCore): TemplateReference[] {
  const refs = (kind: TemplateReference['kind'], key: string, ids: readonly number[] | null) =>
    (ids ?? []).map((id, i) => ({ kind, id, path: [key, i] }));
  const ruleRefs =
    core.rule_json && isRuleCouponType(core.type)
      ? listRuleReferences({ type: core.type, rule: core.rule_json } as TypedRuleJson).map((r) => ({
          ...r,
          path: ['rule_json', ...r.path],
        }))
      : [];
  return [
    ...refs('category', 'scope_category_ids', core.scope_category_ids),
    ...refs('product', 'scope_product_ids', core.scope_product_ids),
    ...refs('store', 'scope_store_ids', core.scope_store_ids),
    ...ruleRefs,
  ];
}

/**
 * Issues for references the database does not know (the caller loads the existing ids). The rule
 * ones are INVALID_RULE per CP-2.
 */
export function unknownReferenceIssues(
  refs: readonly TemplateReference[],
  existing: {
    productIds: ReadonlySet<number>;
    categoryIds: ReadonlySet<number>;
    storeIds?: ReadonlySet<number>;
  },
): RuleIssue[] {
  const known = {
    product: existing.productIds,
    category: existing.categoryIds,
    store: existing.storeIds,
  };
  const messages = {
    product: RULE_ERRORS.unknownProduct,
    category: RULE_ERRORS.unknownCategory,
    store: RULE_ERRORS.unknownStore,
  };
  return refs
    .filter((ref) => {
      const set = known[ref.kind];
      return set !== undefined && !set.has(ref.id);
    })
    .map((ref) => ({ path: ref.path, message: messages[ref.kind] }));
}
