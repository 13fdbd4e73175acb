import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import type {
  IikoNomenclature,
  IikoNomenclatureProduct,
} from '~/integrations/iiko/iiko-client.server';
import { getIntSetting } from '~/features/settings/app-settings.server';
import { fromDecimal, toDecimal } from '~/utils/money';
import { rublesToKopecks } from './iiko-outcome.server';

/**
 * MENU_IMPORT (IK-8): applies one nomenclature answer to the catalogue in one transaction. Only
 * `base_price`, `name_ru`, the `iiko_*` columns and (for `isDeleted`) `is_active` of products are
 * ever written; zh/en texts, descriptions, images, categories of existing products and options
 * belong to the admins. Products an admin overrode (IK-9) keep their price and name, and each
 * difference is reported as a conflict.
 */

export const MENU_REVISION_KEY = 'iiko.menu_revision';
const MAX_CONFLICT_ITEMS = 100;
const SKU_MAX = 50;
const NAME_MAX = 200;

export interface ConflictItem {
  product_id: number;
  field: 'base_price' | 'name_ru';
  local: string;
  iiko: string;
}

export interface MenuImportResult {
  revision_from: number;
  revision_to: number;
  created: number;
  updated: number;
  unchanged: number;
  deactivated: number;
  skipped: number;
  conflicts: number;
  conflict_items: ConflictItem[];
}

/** The stored revision (CF-8 `iiko.menu_revision`, 0 = never imported: full import). */
export function getMenuRevision(db: Db): Promise<number> {
  return getIntSetting(db, MENU_REVISION_KEY, 0);
}

/**
 * IK-8 price: `currentPrice` of the `sizePrices` entry with `sizeId` null, else of the default
 * size, else of the first entry; null when there is none.
 */
export function iikoPriceOf(
  product: IikoNomenclatureProduct,
  defaultSizeIds: ReadonlySet<string>,
): number | null {
  const prices = product.sizePrices ?? [];
  const entry =
    prices.find((p) => p.sizeId == null) ??
    prices.find((p) => p.sizeId != null && defaultSizeIds.has(p.sizeId)) ??
    prices[0];
  return rublesToKopecks(entry?.price?.currentPrice);
}

interface LocalProduct {
  id: number;
  iiko_product_id: string | null;
  base_price: string;
  name_ru: string;
  is_active: boolean;
  is_manual_override: boolean;
}

export async function importNomenclature(
  db: Db,
  { nomenclature, revisionFrom }: { nomenclature: IikoNomenclature; revisionFrom: number },
): Promise<MenuImportResult> {
  const defaultSizes = new Set(
    (nomenclature.sizes ?? []).filter((s) => s.isDefault).map((s) => s.id),
  );
  const candidates = (nomenclature.products ?? []).filter(
    (p) => p.type === 'dish' || p.type === 'good',
  );

  return db.transaction().execute(async (trx) => {
    const result: MenuImportResult = {
      revision_from: revisionFrom,
      revision_to: nomenclature.revision,
      created: 0,
      updated: 0,
      unchanged: 0,
      deactivated: 0,
      skipped: 0,
      conflicts: 0,
      conflict_items: [],
    };
    const ids = candidates.map((p) => p.id);
    // row locks: an admin edit (IK-9) waits for the import, or the import waits for it, so an
    // override set meanwhile is never overwritten with the iiko values
    const local: LocalProduct[] =
      ids.length === 0
        ? []
        : await trx
            .selectFrom('product')
            .select([
              'id',
              'iiko_product_id',
              'base_price',
              'name_ru',
              'is_active',
              'is_manual_override',
            ])
            .where('iiko_product_id', 'in', ids)
            .orderBy('id')
            .forUpdate()
            .execute();
    const byIikoId = new Map(local.map((p) => [p.iiko_product_id, p]));

    const groupIds = [
      ...new Set(candidates.map((p) => p.groupId ?? p.parentGroup).filter((g) => g != null)),
    ];
    const categories =
      groupIds.length === 0
        ? []
        : await trx
            .selectFrom('category')
            .select(['id', 'iiko_group_id'])
            .where('iiko_group_id', 'in', groupIds)
            .execute();
    const categoryOf = new Map(categories.map((c) => [c.iiko_group_id, c.id]));

    const codes = [
      ...new Set(
        candidates
          .filter((p) => !byIikoId.has(p.id) && p.code && p.code.length <= SKU_MAX)
          .map((p) => p.code!),
      ),
    ];
    const takenSkus = new Set(
      codes.length === 0
        ? []
        : (await trx.selectFrom('product').select('sku').where('sku', 'in', codes).execute()).map(
            (r) => r.sku,
          ),
    );

    const conflict = (item: ConflictItem) => {
      result.conflicts += 1;
      if (result.conflict_items.length < MAX_CONFLICT_ITEMS) result.conflict_items.push(item);
    };

    for (const product of candidates) {
      const price = iikoPriceOf(product, defaultSizes);
      const name = (product.name ?? '').trim().slice(0, NAME_MAX);
      if (price === null || name === '') {
        result.skipped += 1;
        continue;
      }
      const deleted = product.isDeleted === true;
      const existing = byIikoId.get(product.id);

      if (!existing) {
        if (deleted) {
          result.skipped += 1;
          continue;
        }
        const sku =
          product.code && product.code.length <= SKU_MAX && !takenSkus.has(product.code)
            ? product.code
            : `IIKO-${product.id}`.slice(0, SKU_MAX);
        takenSkus.add(sku);
        await trx
          .insertInto('product')
          .values({
            sku,
            category_id: categoryOf.get(product.groupId ?? product.parentGroup ?? '') ?? null,
            name_ru: name,
            base_price: toDecimal(price),
            // a new drink waits for an admin's texts and photo before customers see it
            is_active: false,
            iiko_product_id: product.id,
            iiko_price: toDecimal(price),
            iiko_name: name,
            iiko_last_sync_at: sql<Date>`now()`,
          })
          .execute();
        result.created += 1;
        continue;
      }

      const localPrice = fromDecimal(existing.base_price);
      const differs = { price: localPrice !== price, name: existing.name_ru !== name };
      if (existing.is_manual_override) {
        if (differs.price)
          conflict({
            product_id: existing.id,
            field: 'base_price',
            local: toDecimal(localPrice),
            iiko: toDecimal(price),
          });
        if (differs.name)
          conflict({
            product_id: existing.id,
            field: 'name_ru',
            local: existing.name_ru,
            iiko: name,
          });
      }
      const takesIikoValues = !existing.is_manual_override;
      const deactivates = deleted && existing.is_active;
      await trx
        .updateTable('product')
        .set({
          iiko_price: toDecimal(price),
          iiko_name: name,
          iiko_last_sync_at: sql<Date>`now()`,
          ...(takesIikoValues ? { base_price: toDecimal(price), name_ru: name } : {}),
          ...(deleted ? { is_active: false } : {}),
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', existing.id)
        .execute();
      if (deactivates) result.deactivated += 1;
      else if (takesIikoValues && (differs.price || differs.name)) result.updated += 1;
      else result.unchanged += 1;
    }

    // the revision moves with the data it describes (same transaction)
    await trx
      .insertInto('app_setting')
      .values({ key: MENU_REVISION_KEY, value: JSON.stringify(nomenclature.revision) })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          value: JSON.stringify(nomenclature.revision),
          updated_at: sql<Date>`now()`,
        }),
      )
      .execute();
    return result;
  });
}
