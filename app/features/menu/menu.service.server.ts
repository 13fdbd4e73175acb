import { sql, type Kysely } from 'kysely';
import type { Db } from '~db/database.server';
import type { DB } from '~db/types.generated';
import { pgErrorInfo, PG } from '~/utils/pg-errors';
import { toDecimal, type Kopecks } from '~/utils/money';
import { REQUIRED_OPTION_GROUP_TYPES, isOneOf } from '~/utils/vocabularies';
import {
  countGroupAttachments,
  getCategory,
  getOptionGroup,
  getOptionItem,
  getProductOptionGroup,
  getProductOptionItem,
  getStoreProductCell,
  insertCategory,
  insertProduct,
  lockProduct,
  storeExistsForMenu,
  updateCategoryRow,
  updateProductRow,
  type ProductRow,
  type ProductValues,
} from './menu.server';
import {
  optionGroupRule,
  type AttachOptionGroupInput,
  type CategoryInput,
  type OptionGroupInput,
  type OptionItemInput,
  type ProductInput,
  type ProductOptionItemInput,
  type StoreProductInput,
} from './menu.schema';
import { writeStaffAudit, type StaffActor } from '~/features/audit/audit.server';

/**
 * Menu mutations. Each one is a transaction that writes its audit_log row with the change (RB-4),
 * before/after holding only the fields that changed. Bad input the database rejects (unique SKU,
 * CHECK, the default-item composite FK) comes back as a MenuFieldError for the field, never a 500.
 */

/** A user-fixable problem with one form field; `key` is a message key (menu.error.*). */
export class MenuFieldError extends Error {
  constructor(
    readonly field: string,
    readonly key: string,
    readonly status: 400 | 409 = 400,
  ) {
    super(`${field}: ${key}`);
    this.name = 'MenuFieldError';
  }
}

/** Thrown when the entity an action names does not exist (routes answer 404). */
export class MenuNotFoundError extends Error {
  constructor(readonly entity: string) {
    super(`${entity} not found`);
    this.name = 'MenuNotFoundError';
  }
}

const CONSTRAINT_FIELDS: Record<string, [field: string, key: string, status: 400 | 409]> = {
  product_sku_unique: ['sku', 'menu.error.skuTaken', 409],
  category_code_unique: ['code', 'menu.error.codeTaken', 409],
  option_group_code_unique: ['code', 'menu.error.codeTaken', 409],
  option_item_group_id_code_unique: ['code', 'menu.error.codeTaken', 409],
  product_base_price_check: ['base_price', 'menu.error.priceNegative', 400],
  option_item_price_delta_check: ['price_delta', 'menu.error.priceNegative', 400],
  store_product_price_override_check: ['price_override', 'menu.error.priceNegative', 400],
  product_option_item_price_delta_override_check: [
    'price_delta_override',
    'menu.error.priceNegative',
    400,
  ],
  product_option_group_default_item_fk: ['default_item_id', 'menu.error.defaultWrongGroup', 400],
  option_group_business_rule: ['group_type', 'menu.error.groupRule', 400],
  product_option_group_product_id_group_id_unique: [
    'group_id',
    'menu.error.groupAlreadyAttached',
    409,
  ],
  product_category_id_fkey: ['category_id', 'menu.error.categoryMissing', 400],
  option_item_group_id_fkey: ['group_id', 'menu.error.groupRequired', 400],
  store_product_store_id_fkey: ['store_id', 'menu.error.storeRequired', 400],
  store_product_product_id_fkey: ['product_id', 'menu.error.productRequired', 400],
};

const MAPPED_CODES = new Set<string>([
  PG.UNIQUE_VIOLATION,
  PG.CHECK_VIOLATION,
  PG.FOREIGN_KEY_VIOLATION,
]);

/** The field error a failed menu mutation means to the user, or null for an unexpected error. */
export function asMenuFieldError(err: unknown): MenuFieldError | null {
  if (err instanceof MenuFieldError) return err;
  const info = pgErrorInfo(err);
  if (!info || !info.constraint || !MAPPED_CODES.has(info.code)) return null;
  const mapped = CONSTRAINT_FIELDS[info.constraint];
  return mapped ? new MenuFieldError(...mapped) : null;
}

type Plain = Record<string, unknown>;

/** Only the keys whose values differ, as audit before/after (money as decimal strings). */
export function diff<T extends Plain>(
  before: T,
  after: Partial<T>,
): { before: Plain; after: Plain } {
  const b: Plain = {};
  const a: Plain = {};
  for (const key of Object.keys(after)) {
    if (after[key] === undefined) continue;
    if (before[key] !== after[key]) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

const MONEY_KEYS = new Set([
  'base_price',
  'price_delta',
  'price_override',
  'price_delta_override',
  'iiko_price',
]);
function auditable(values: Plain): Plain {
  const out: Plain = {};
  for (const [k, v] of Object.entries(values))
    out[k] = MONEY_KEYS.has(k) && typeof v === 'number' ? toDecimal(v) : v;
  return out;
}

function audit(
  db: Db,
  actor: StaffActor,
  entry: {
    action: string;
    entityType: string;
    entityId: number | string;
    storeId?: number | null;
    before?: Plain | null;
    after?: Plain | null;
    reason?: string | null;
  },
) {
  return writeStaffAudit(db, actor, {
    ...entry,
    before: entry.before ? auditable(entry.before) : null,
    after: entry.after ? auditable(entry.after) : null,
  });
}

const orNull = (v: string | undefined) => (v === undefined || v === '' ? null : v);

// --- categories ---------------------------------------------------------------------------------

function categoryValues(input: CategoryInput) {
  return {
    code: input.code,
    name_ru: input.name_ru,
    name_zh: orNull(input.name_zh),
    name_en: orNull(input.name_en),
    sort_order: input.sort_order,
    is_active: input.is_active,
  };
}

export async function createCategory(
  db: Kysely<DB>,
  actor: StaffActor,
  input: CategoryInput,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const values = categoryValues(input);
    const id = await insertCategory(trx, values);
    await audit(trx, actor, {
      action: 'category.create',
      entityType: 'category',
      entityId: id,
      after: values,
    });
    return id;
  });
}

export async function updateCategory(
  db: Kysely<DB>,
  actor: StaffActor,
  id: number,
  input: CategoryInput,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await getCategory(trx, id);
    if (!current) throw new MenuNotFoundError('category');
    const changes = diff(current, categoryValues(input));
    if (Object.keys(changes.after).length === 0) return;
    await updateCategoryRow(trx, id, changes.after);
    await audit(trx, actor, {
      action: 'category.update',
      entityType: 'category',
      entityId: id,
      ...changes,
    });
  });
}

// --- products -----------------------------------------------------------------------------------

function productValues(input: ProductInput): ProductValues {
  return {
    sku: input.sku,
    category_id: input.category_id ?? null,
    name_ru: input.name_ru,
    name_zh: orNull(input.name_zh),
    name_en: orNull(input.name_en),
    description_ru: orNull(input.description_ru),
    description_zh: orNull(input.description_zh),
    description_en: orNull(input.description_en),
    base_price: input.base_price,
    image_url: orNull(input.image_url),
    is_active: input.is_active,
    is_special_price: input.is_special_price,
    sort_order: input.sort_order,
  };
}

export async function createProduct(
  db: Kysely<DB>,
  actor: StaffActor,
  input: ProductInput,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const values = productValues(input);
    const id = await insertProduct(trx, values);
    await audit(trx, actor, {
      action: 'product.create',
      entityType: 'product',
      entityId: id,
      after: { ...values },
    });
    return id;
  });
}

async function requireLockedProduct(trx: Db, id: number): Promise<ProductRow> {
  const product = await lockProduct(trx, id);
  if (!product) throw new MenuNotFoundError('product');
  return product;
}

/**
 * IK-9: a change of base_price or name_ru by an admin marks the product as manually overridden in
 * the same transaction, so the next iiko import keeps the local values and reports a conflict.
 */
export async function updateProduct(
  db: Kysely<DB>,
  actor: StaffActor,
  id: number,
  input: ProductInput,
): Promise<{ overridden: boolean }> {
  return db.transaction().execute(async (trx) => {
    const current = await requireLockedProduct(trx, id);
    const changes = diff(current as unknown as Plain, productValues(input) as unknown as Plain);
    const changed = Object.keys(changes.after);
    if (changed.length === 0) return { overridden: current.is_manual_override };
    const ikoField = changed.includes('base_price') || changed.includes('name_ru');
    const setOverride = ikoField && !current.is_manual_override;
    if (setOverride) {
      changes.before.is_manual_override = false;
      changes.after.is_manual_override = true;
    }
    await updateProductRow(trx, id, changes.after as Partial<ProductValues>);
    await audit(trx, actor, {
      action: changed.includes('base_price') ? 'product.price_change' : 'product.update',
      entityType: 'product',
      entityId: id,
      ...changes,
    });
    return { overridden: current.is_manual_override || ikoField };
  });
}

/**
 * "Accept iiko values" (IK-9): clears is_manual_override and takes the last price and name read
 * from iiko (when known), so the conflict ends now rather than at the next import.
 */
export async function acceptIikoValues(
  db: Kysely<DB>,
  actor: StaffActor,
  id: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await requireLockedProduct(trx, id);
    if (!current.is_manual_override) return;
    const next: Plain = { is_manual_override: false };
    if (current.iiko_price !== null) next.base_price = current.iiko_price;
    if (current.iiko_name !== null) next.name_ru = current.iiko_name;
    const changes = diff(current as unknown as Plain, next);
    await updateProductRow(trx, id, changes.after as Partial<ProductValues>);
    await audit(trx, actor, {
      action: 'base_price' in changes.after ? 'product.price_change' : 'product.update',
      entityType: 'product',
      entityId: id,
      reason: 'accept_iiko_values',
      ...changes,
    });
  });
}

// --- option groups and items --------------------------------------------------------------------

function groupValues(input: OptionGroupInput) {
  return {
    code: input.code,
    name_ru: input.name_ru,
    name_zh: orNull(input.name_zh),
    name_en: orNull(input.name_en),
    group_type: input.group_type,
    ...optionGroupRule(input.group_type),
    sort_order: input.sort_order,
  };
}

export async function createOptionGroup(
  db: Kysely<DB>,
  actor: StaffActor,
  input: OptionGroupInput,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const values = groupValues(input);
    const row = await trx
      .insertInto('option_group')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, actor, {
      action: 'option_group.create',
      entityType: 'option_group',
      entityId: row.id,
      after: values,
    });
    return row.id;
  });
}

export async function updateOptionGroup(
  db: Kysely<DB>,
  actor: StaffActor,
  id: number,
  input: OptionGroupInput,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await getOptionGroup(trx, id);
    if (!current) throw new MenuNotFoundError('option_group');
    const values = groupValues(input);
    // A required group needs a default on every product, a topping group must have none: changing
    // between the two kinds would break existing attachments, so it is refused while attached.
    if (values.is_required !== current.is_required && (await countGroupAttachments(trx, id)) > 0) {
      throw new MenuFieldError('group_type', 'menu.error.groupTypeLocked');
    }
    const changes = diff(current as unknown as Plain, values);
    if (Object.keys(changes.after).length === 0) return;
    await trx
      .updateTable('option_group')
      .set({ ...changes.after, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
    await audit(trx, actor, {
      action: 'option_group.update',
      entityType: 'option_group',
      entityId: id,
      ...changes,
    });
  });
}

function itemValues(input: OptionItemInput) {
  return {
    code: input.code,
    name_ru: input.name_ru,
    name_zh: orNull(input.name_zh),
    name_en: orNull(input.name_en),
    price_delta: input.price_delta,
    is_available: input.is_available,
    sort_order: input.sort_order,
  };
}

export async function createOptionItem(
  db: Kysely<DB>,
  actor: StaffActor,
  input: OptionItemInput,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const values = itemValues(input);
    const row = await trx
      .insertInto('option_item')
      .values({ ...values, group_id: input.group_id, price_delta: toDecimal(values.price_delta) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, actor, {
      action: 'option_item.create',
      entityType: 'option_item',
      entityId: row.id,
      after: { group_id: input.group_id, ...values },
    });
    return row.id;
  });
}

export async function updateOptionItem(
  db: Kysely<DB>,
  actor: StaffActor,
  id: number,
  input: OptionItemInput,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await getOptionItem(trx, id);
    if (!current || current.group_id !== input.group_id) throw new MenuNotFoundError('option_item');
    const changes = diff(current as unknown as Plain, itemValues(input));
    if (Object.keys(changes.after).length === 0) return;
    const { price_delta, ...rest } = changes.after;
    await trx
      .updateTable('option_item')
      .set({
        ...rest,
        ...(price_delta === undefined ? {} : { price_delta: toDecimal(price_delta as Kopecks) }),
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .execute();
    await audit(trx, actor, {
      action: 'option_item.update',
      entityType: 'option_item',
      entityId: id,
      ...changes,
    });
  });
}

// --- options attached to a product --------------------------------------------------------------

/**
 * Attaches a group to a product or changes its default/sort. TEMPERATURE/ICE/SUGAR need a default
 * item, TOPPING takes none (app rule of §1.3). That the default belongs to the group is left to
 * `product_option_group_default_item_fk` (deferred: it fires at commit and is mapped to the field).
 */
export async function attachOptionGroup(
  db: Kysely<DB>,
  actor: StaffActor,
  productId: number,
  input: AttachOptionGroupInput,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await requireLockedProduct(trx, productId);
    const group = await getOptionGroup(trx, input.group_id);
    if (!group) throw new MenuFieldError('group_id', 'menu.error.groupRequired');
    const required = isOneOf(REQUIRED_OPTION_GROUP_TYPES, group.group_type);
    const defaultItemId = input.default_item_id ?? null;
    if (required && defaultItemId === null)
      throw new MenuFieldError('default_item_id', 'menu.error.defaultRequired');
    if (!required && defaultItemId !== null)
      throw new MenuFieldError('default_item_id', 'menu.error.defaultNotAllowed');

    const current = await getProductOptionGroup(trx, productId, input.group_id);
    const values = { default_item_id: defaultItemId, sort_order: input.sort_order };
    if (current) {
      const changes = diff(current as unknown as Plain, values);
      if (Object.keys(changes.after).length === 0) return;
      await trx
        .updateTable('product_option_group')
        .set({ ...values, updated_at: sql<Date>`now()` })
        .where('id', '=', current.id)
        .execute();
      await audit(trx, actor, {
        action: 'product_option.update',
        entityType: 'product',
        entityId: productId,
        before: { group_id: input.group_id, ...changes.before },
        after: { group_id: input.group_id, ...changes.after },
      });
      return;
    }
    await trx
      .insertInto('product_option_group')
      .values({ product_id: productId, group_id: input.group_id, ...values })
      .execute();
    await audit(trx, actor, {
      action: 'product_option.attach',
      entityType: 'product',
      entityId: productId,
      after: { group_id: input.group_id, ...values },
    });
  });
}

/** Detaches a group and this product's overrides of its items (link rows, not business rows). */
export async function detachOptionGroup(
  db: Kysely<DB>,
  actor: StaffActor,
  productId: number,
  groupId: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await requireLockedProduct(trx, productId);
    const current = await getProductOptionGroup(trx, productId, groupId);
    if (!current) throw new MenuFieldError('group_id', 'menu.error.groupNotAttached');
    await trx
      .deleteFrom('product_option_item')
      .where('product_id', '=', productId)
      .where('item_id', 'in', (eb) =>
        eb.selectFrom('option_item').select('id').where('group_id', '=', groupId),
      )
      .execute();
    await trx.deleteFrom('product_option_group').where('id', '=', current.id).execute();
    await audit(trx, actor, {
      action: 'product_option.detach',
      entityType: 'product',
      entityId: productId,
      before: {
        group_id: groupId,
        default_item_id: current.default_item_id,
        sort_order: current.sort_order,
      },
    });
  });
}

/**
 * Per-product price and availability of an option item (PR-3). Both "inherit" removes the row:
 * no product_option_item row is the normal case.
 */
export async function setProductOptionItem(
  db: Kysely<DB>,
  actor: StaffActor,
  productId: number,
  input: ProductOptionItemInput,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await requireLockedProduct(trx, productId);
    const item = await getOptionItem(trx, input.item_id);
    if (!item) throw new MenuFieldError('item_id', 'menu.error.itemRequired');
    // "the item's group must be attached to the product" has no constraint (see the migration)
    if (!(await getProductOptionGroup(trx, productId, item.group_id)))
      throw new MenuFieldError('item_id', 'menu.error.itemGroupNotAttached');

    const next = {
      price_delta_override: input.price_delta_override ?? null,
      is_available_override:
        input.availability === 'inherit' ? null : input.availability === 'available',
    };
    const current = await getProductOptionItem(trx, productId, input.item_id);
    const before = current ?? { price_delta_override: null, is_available_override: null };
    const changes = diff(before as unknown as Plain, next);
    if (Object.keys(changes.after).length === 0) return;

    if (next.price_delta_override === null && next.is_available_override === null) {
      await trx.deleteFrom('product_option_item').where('id', '=', current!.id).execute();
    } else {
      const values = {
        price_delta_override:
          next.price_delta_override === null ? null : toDecimal(next.price_delta_override),
        is_available_override: next.is_available_override,
      };
      await trx
        .insertInto('product_option_item')
        .values({ product_id: productId, item_id: input.item_id, ...values })
        .onConflict((oc) =>
          oc
            .constraint('product_option_item_product_id_item_id_unique')
            .doUpdateSet({ ...values, updated_at: sql<Date>`now()` }),
        )
        .execute();
    }
    await audit(trx, actor, {
      action: 'product_option.item_update',
      entityType: 'product',
      entityId: productId,
      before: { item_id: input.item_id, ...changes.before },
      after: { item_id: input.item_id, ...changes.after },
    });
  });
}

// --- store listings -----------------------------------------------------------------------------

/**
 * One cell of the store × product grid. An admin's change of stock_status is a manual decision
 * (IK-11: source MANUAL, so the stop-list sync leaves it alone); a price- or listing-only edit
 * keeps the current source.
 */
export async function updateStoreProduct(
  db: Kysely<DB>,
  actor: StaffActor,
  input: StoreProductInput,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await storeExistsForMenu(trx, input.store_id)))
      throw new MenuFieldError('store_id', 'menu.error.storeRequired');
    const current = await getStoreProductCell(trx, input.store_id, input.product_id, {
      forUpdate: true,
    });
    const next = {
      is_active: input.is_active,
      price_override: input.price_override ?? null,
      stock_status: input.stock_status,
      stock_status_source:
        current && current.stock_status === input.stock_status
          ? current.stock_status_source
          : ('MANUAL' as const),
    };
    const values = {
      ...next,
      price_override: next.price_override === null ? null : toDecimal(next.price_override),
    };
    if (current) {
      const changes = diff(current as unknown as Plain, next);
      if (Object.keys(changes.after).length === 0) return;
      await trx
        .updateTable('store_product')
        .set({ ...values, updated_at: sql<Date>`now()` })
        .where('store_id', '=', input.store_id)
        .where('product_id', '=', input.product_id)
        .execute();
      await audit(trx, actor, {
        action: 'store_product.update',
        entityType: 'store_product',
        entityId: `${input.store_id}:${input.product_id}`,
        storeId: input.store_id,
        ...changes,
      });
      return;
    }
    await trx
      .insertInto('store_product')
      .values({ store_id: input.store_id, product_id: input.product_id, ...values })
      .execute();
    await audit(trx, actor, {
      action: 'store_product.update',
      entityType: 'store_product',
      entityId: `${input.store_id}:${input.product_id}`,
      storeId: input.store_id,
      after: next,
    });
  });
}

/**
 * Lists a product in every store at once: missing rows are inserted, existing ones re-activated,
 * in one statement inside one transaction with its audit row.
 */
export async function enableProductInAllStores(
  db: Kysely<DB>,
  actor: StaffActor,
  productId: number,
): Promise<{ inserted: number; activated: number }> {
  return db.transaction().execute(async (trx) => {
    const product = await requireLockedProduct(trx, productId);
    const rows = await trx
      .insertInto('store_product')
      .columns(['store_id', 'product_id', 'is_active'])
      .expression((eb) =>
        eb
          .selectFrom('store')
          .select(['store.id', sql.lit(productId).as('product_id'), sql.lit(true).as('is_active')]),
      )
      .onConflict((oc) =>
        oc
          .constraint('store_product_store_id_product_id_unique')
          .doUpdateSet({ is_active: true, updated_at: sql<Date>`now()` })
          .where('store_product.is_active', '=', false),
      )
      // xmax = 0 only on freshly inserted rows
      .returning(['store_product.store_id', sql<boolean>`(xmax = 0)`.as('inserted')])
      .execute();
    const inserted = rows.filter((r) => r.inserted).length;
    const result = { inserted, activated: rows.length - inserted };
    await audit(trx, actor, {
      action: 'store_product.bulk_enable',
      entityType: 'product',
      entityId: product.id,
      after: { ...result, store_ids: rows.map((r) => r.store_id) },
    });
    return result;
  });
}

/**
 * Makes `toStoreId`'s listing a copy of `fromStoreId`'s: listing flag, price override and store
 * promo flag per product; products the source does not list are deactivated in the target. Stock
 * status is physical and per store, so the target keeps its own (new rows start IN_STOCK).
 */
export async function copyStoreMenu(
  db: Kysely<DB>,
  actor: StaffActor,
  fromStoreId: number,
  toStoreId: number,
): Promise<{ copied: number; deactivated: number }> {
  return db.transaction().execute(async (trx) => {
    if (!(await storeExistsForMenu(trx, fromStoreId)))
      throw new MenuFieldError('from_store_id', 'menu.error.storeRequired');
    if (!(await storeExistsForMenu(trx, toStoreId)))
      throw new MenuFieldError('to_store_id', 'menu.error.storeRequired');
    const copied = await trx
      .insertInto('store_product')
      .columns(['store_id', 'product_id', 'is_active', 'price_override', 'is_special_price'])
      .expression((eb) =>
        eb
          .selectFrom('store_product as src')
          .select([
            sql.lit(toStoreId).as('store_id'),
            'src.product_id',
            'src.is_active',
            'src.price_override',
            'src.is_special_price',
          ])
          .where('src.store_id', '=', fromStoreId),
      )
      .onConflict((oc) =>
        oc.constraint('store_product_store_id_product_id_unique').doUpdateSet((eb) => ({
          is_active: eb.ref('excluded.is_active'),
          price_override: eb.ref('excluded.price_override'),
          is_special_price: eb.ref('excluded.is_special_price'),
          updated_at: sql<Date>`now()`,
        })),
      )
      .returning('store_product.product_id')
      .execute();
    const deactivated = await trx
      .updateTable('store_product')
      .set({ is_active: false, updated_at: sql<Date>`now()` })
      .where('store_id', '=', toStoreId)
      .where('is_active', '=', true)
      .where('product_id', 'not in', (eb) =>
        eb
          .selectFrom('store_product as src')
          .select('src.product_id')
          .where('src.store_id', '=', fromStoreId),
      )
      .returning('product_id')
      .execute();
    const result = { copied: copied.length, deactivated: deactivated.length };
    await audit(trx, actor, {
      action: 'store_product.copy',
      entityType: 'store',
      entityId: toStoreId,
      storeId: toStoreId,
      after: { from_store_id: fromStoreId, ...result },
    });
    return result;
  });
}
