import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { textMatches } from '~/features/search/text-search.server';
import type { CouponType } from '~/utils/vocabularies';
import {
  listTemplateReferences,
  unknownReferenceIssues,
  type CouponTemplateCore,
  type RuleIssue,
} from './rule-json.schema';
import type { CouponRejection } from './coupon-reasons';
import {
  CouponTemplateDataError,
  engineTemplateFromRow,
  evaluateCoupon,
  lineTotalKopecks,
  type CouponTemplateRowLike,
} from './engine';
import type { CouponTemplateSortKey, TryItParams } from './templates.schema';
import { getStoreMenu, type StoreMenu } from '~/features/menu/store-menu.server';
import type { Lang } from '~/i18n/languages';

/** Coupon template queries (executor first; transactions live in templates.service.server.ts). */

const SORT_COLUMNS = {
  created: 'coupon_template.created_at',
  code: 'coupon_template.code',
  name: 'coupon_template.name_ru',
  type: 'coupon_template.type',
  valid_from: 'coupon_template.valid_from',
  valid_until: 'coupon_template.valid_until',
  usage: 'coupon_template.current_usage_count',
} as const satisfies Record<CouponTemplateSortKey, string>;

export interface CouponTemplateListItem {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  type: CouponType;
  is_active: boolean;
  valid_from: string;
  valid_until: string;
  current_usage_count: number;
  max_total_usage: number | null;
  instance_count: number;
}

export async function listCouponTemplates(
  db: Db,
  args: {
    q?: string;
    type?: CouponType;
    active?: boolean;
    valid_now?: boolean;
    sort: CouponTemplateSortKey;
    dir: 'asc' | 'desc';
    limit: number;
    offset: number;
  },
): Promise<{ rows: CouponTemplateListItem[]; total: number }> {
  let base = db.selectFrom('coupon_template');
  if (args.type) base = base.where('coupon_template.type', '=', args.type);
  if (args.active !== undefined) base = base.where('coupon_template.is_active', '=', args.active);
  if (args.valid_now !== undefined) {
    const now = sql<boolean>`coupon_template.valid_from <= now() and now() < coupon_template.valid_until`;
    base = base.where(args.valid_now ? now : sql<boolean>`not (${now})`);
  }
  if (args.q) {
    base = base.where(
      textMatches(
        [
          'coupon_template.code',
          'coupon_template.name_ru',
          'coupon_template.name_zh',
          'coupon_template.name_en',
        ],
        args.q,
      ),
    );
  }
  const { total } = await base
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await base
    .select((eb) => [
      'coupon_template.id',
      'coupon_template.code',
      'coupon_template.name_ru',
      'coupon_template.name_zh',
      'coupon_template.name_en',
      'coupon_template.type',
      'coupon_template.is_active',
      'coupon_template.valid_from',
      'coupon_template.valid_until',
      'coupon_template.current_usage_count',
      'coupon_template.max_total_usage',
      eb
        .selectFrom('coupon_instance')
        .whereRef('coupon_instance.template_id', '=', 'coupon_template.id')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('instance_count'),
    ])
    .orderBy(SORT_COLUMNS[args.sort], args.dir)
    .orderBy('coupon_template.id', args.dir)
    .limit(args.limit)
    .offset(args.offset)
    .execute();
  return {
    total: Number(total),
    rows: rows.map((r) => ({
      ...r,
      type: r.type as CouponType,
      valid_from: new Date(r.valid_from).toISOString(),
      valid_until: new Date(r.valid_until).toISOString(),
      instance_count: Number(r.instance_count ?? 0),
    })),
  };
}

/** Every column the edit form, the engine and the audit need. */
export interface CouponTemplateRow {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  description_ru: string;
  description_zh: string | null;
  description_en: string | null;
  type: CouponType;
  discount_value: string | null;
  rule_json: unknown;
  scope_type: CouponTemplateCore['scope_type'];
  scope_category_ids: number[] | null;
  scope_product_ids: number[] | null;
  scope_store_ids: number[] | null;
  min_order_amount: string | null;
  max_discount_amount: string | null;
  max_usage_per_user: number | null;
  max_total_usage: number | null;
  current_usage_count: number;
  valid_from: Date;
  valid_until: Date;
  is_active: boolean;
  created_by: number;
}

export async function getCouponTemplate(
  db: Db,
  id: number,
  opts: { lock?: boolean } = {},
): Promise<CouponTemplateRow | null> {
  let query = db
    .selectFrom('coupon_template')
    .select([
      'id',
      'code',
      'name_ru',
      'name_zh',
      'name_en',
      'description_ru',
      'description_zh',
      'description_en',
      'type',
      'discount_value',
      'rule_json',
      'scope_type',
      'scope_category_ids',
      'scope_product_ids',
      'scope_store_ids',
      'min_order_amount',
      'max_discount_amount',
      'max_usage_per_user',
      'max_total_usage',
      'current_usage_count',
      'valid_from',
      'valid_until',
      'is_active',
      'created_by',
    ])
    .where('id', '=', id);
  if (opts.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return null;
  return {
    ...row,
    type: row.type as CouponType,
    scope_type: row.scope_type as CouponTemplateCore['scope_type'],
    valid_from: new Date(row.valid_from),
    valid_until: new Date(row.valid_until),
  };
}

/** Whether an instance of the template exists: from then on its deal is frozen (CP-15). */
export async function templateHasInstances(db: Db, templateId: number): Promise<boolean> {
  const row = await db
    .selectNoFrom((eb) =>
      eb
        .exists(
          eb
            .selectFrom('coupon_instance')
            .select(sql`1`.as('one'))
            .where('template_id', '=', templateId),
        )
        .as('found'),
    )
    .executeTakeFirstOrThrow();
  return Boolean(row.found);
}

export async function countTemplateInstances(db: Db, templateId: number): Promise<number> {
  const row = await db
    .selectFrom('coupon_instance')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('template_id', '=', templateId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type TemplateColumns = Omit<CouponTemplateRow, 'id' | 'current_usage_count' | 'created_by'>;

/** The row to write: rule_json as jsonb text (Kysely would otherwise send an array for tiers). */
function toRow(values: Partial<TemplateColumns>) {
  const { rule_json, ...rest } = values;
  return {
    ...rest,
    ...(rule_json !== undefined
      ? { rule_json: rule_json === null ? null : JSON.stringify(rule_json) }
      : {}),
  };
}

export async function insertCouponTemplate(
  db: Db,
  values: TemplateColumns & { created_by: number },
): Promise<number> {
  const { id } = await db
    .insertInto('coupon_template')
    .values(toRow(values) as TemplateColumns & { created_by: number; rule_json: string | null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateCouponTemplateRow(
  db: Db,
  id: number,
  values: Partial<TemplateColumns>,
): Promise<void> {
  await db
    .updateTable('coupon_template')
    .set({ ...toRow(values), updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** Product, category and store ids of a template the database does not know (CP-2), as field issues. */
export async function findUnknownReferences(
  db: Db,
  core: CouponTemplateCore,
): Promise<RuleIssue[]> {
  const refs = listTemplateReferences(core);
  if (refs.length === 0) return [];
  const ids = (kind: string) => [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.id))];
  const existing = async (table: 'product' | 'category' | 'store', wanted: number[]) =>
    new Set(
      wanted.length === 0
        ? []
        : (await db.selectFrom(table).select('id').where('id', 'in', wanted).execute()).map(
            (r) => r.id,
          ),
    );
  const [productIds, categoryIds, storeIds] = await Promise.all([
    existing('product', ids('product')),
    existing('category', ids('category')),
    existing('store', ids('store')),
  ]);
  return unknownReferenceIssues(refs, { productIds, categoryIds, storeIds });
}

export interface TemplateChoice {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
}

/** Stores, categories and products for the scope and rule pickers (inactive ones too: ids are ids). */
export async function listTemplateChoices(db: Db): Promise<{
  stores: TemplateChoice[];
  categories: TemplateChoice[];
  products: TemplateChoice[];
}> {
  const [stores, categories, products] = await Promise.all([
    db
      .selectFrom('store')
      .select(['id', 'code', 'name_ru', 'name_zh', 'name_en'])
      .orderBy('code')
      .execute(),
    db
      .selectFrom('category')
      .select(['id', 'code', 'name_ru', 'name_zh', 'name_en'])
      .orderBy('sort_order')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('product')
      .select(['id', 'sku as code', 'name_ru', 'name_zh', 'name_en'])
      .orderBy('sort_order')
      .orderBy('id')
      .execute(),
  ]);
  return { stores, categories, products };
}

/** Active stores for the "try it" panel's store picker. */
export async function listActiveStoreChoices(db: Db): Promise<TemplateChoice[]> {
  return db
    .selectFrom('store')
    .select(['id', 'code', 'name_ru', 'name_zh', 'name_en'])
    .where('is_active', '=', true)
    .orderBy('code')
    .execute();
}

// --- "try it" panel ---------------------------------------------------------------------------

export interface TryItProduct {
  id: number;
  name: string;
  categoryId: number | null;
  /** Effective price in this store (PR-2). */
  priceKopecks: number;
  /** Σ price deltas of the default option items (PR-3), what a customer adds with no choice made. */
  optionsKopecks: number;
}

export interface TryItLine {
  lineNo: number;
  productId: number;
  name: string;
  quantity: number;
  unitPriceKopecks: number;
  optionsPriceKopecks: number;
  lineTotalKopecks: number;
  discountKopecks: number;
}

export type TryItOutcome =
  | { kind: 'none' }
  | { kind: 'error'; message: 'couponTemplates.try.noStore' | 'couponTemplates.try.badTemplate' }
  | {
      kind: 'result';
      lines: TryItLine[];
      subtotalKopecks: number;
      evaluation:
        | { eligible: true; discountKopecks: number }
        | { eligible: false; rejection: CouponRejection }
        | null;
    };

export interface TryItPanelData {
  stores: TemplateChoice[];
  storeId: number | null;
  products: TryItProduct[];
  outcome: TryItOutcome;
}

/** A store's sellable menu as the panel's product picker shows it. */
function tryItProducts(menu: StoreMenu): TryItProduct[] {
  return menu.categories.flatMap((c) =>
    c.products
      .filter((p) => p.sellable)
      .map((p) => ({
        id: p.id,
        name: p.name,
        categoryId: c.id,
        priceKopecks: p.priceKopecks,
        optionsKopecks: p.optionGroups.reduce((sum, g) => {
          const item = g.items.find((i) => i.id === g.defaultItemId && i.available);
          return sum + (item ? item.priceDeltaKopecks : 0);
        }, 0),
      })),
  );
}

/**
 * The "try it" panel: a sample cart from one store's real menu (default options), run through
 * the engine in preview mode (no instance, no usage counts) at `now`.
 */
export async function tryCouponTemplate(
  db: Db,
  args: { template: CouponTemplateRowLike; params: TryItParams; lang: Lang; now: Date },
): Promise<TryItPanelData> {
  const stores = await listActiveStoreChoices(db);
  const { storeId } = args.params;
  if (storeId === null) return { stores, storeId, products: [], outcome: { kind: 'none' } };
  const menu = await getStoreMenu(db, { storeId, lang: args.lang });
  if (!menu) {
    return {
      stores,
      storeId,
      products: [],
      outcome: { kind: 'error', message: 'couponTemplates.try.noStore' },
    };
  }
  const products = tryItProducts(menu);
  const byId = new Map(products.map((p) => [p.id, p]));
  const cartLines = args.params.lines
    .filter((l) => byId.has(l.productId))
    .map((l, i) => {
      const p = byId.get(l.productId)!;
      return {
        lineNo: i + 1,
        productId: p.id,
        categoryId: p.categoryId,
        unitPriceKopecks: p.priceKopecks,
        optionsPriceKopecks: p.optionsKopecks,
        quantity: l.quantity,
      };
    });
  if (cartLines.length === 0) return { stores, storeId, products, outcome: { kind: 'none' } };

  let template;
  try {
    template = engineTemplateFromRow(args.template);
  } catch (err) {
    if (err instanceof CouponTemplateDataError) {
      return {
        stores,
        storeId,
        products,
        outcome: { kind: 'error', message: 'couponTemplates.try.badTemplate' },
      };
    }
    throw err;
  }
  const result = evaluateCoupon({ cart: { storeId, lines: cartLines }, template, now: args.now });
  const discounts = new Map(
    result.eligible ? result.lines.map((l) => [l.lineNo, l.discountKopecks]) : [],
  );
  const lines = cartLines.map((l) => ({
    lineNo: l.lineNo,
    productId: l.productId,
    name: byId.get(l.productId)!.name,
    quantity: l.quantity,
    unitPriceKopecks: l.unitPriceKopecks,
    optionsPriceKopecks: l.optionsPriceKopecks,
    lineTotalKopecks: lineTotalKopecks(l),
    discountKopecks: discounts.get(l.lineNo) ?? 0,
  }));
  return {
    stores,
    storeId,
    products,
    outcome: {
      kind: 'result',
      lines,
      subtotalKopecks: lines.reduce((s, l) => s + l.lineTotalKopecks, 0),
      evaluation: result.eligible
        ? { eligible: true, discountKopecks: result.discountKopecks }
        : {
            eligible: false,
            rejection: { reason: result.reason, details: result.details } as CouponRejection,
          },
    },
  };
}
