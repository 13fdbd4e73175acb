import { sql } from 'kysely';
import type { Db } from '~db/database.server';

/**
 * STOP_LIST (IK-11): one store's iiko stop list applied to its listings in one transaction.
 * For products mapped to iiko: balance ≤ 0 → OUT_OF_STOCK, balance > 0 → LOW_STOCK, both with
 * source IIKO, applied only to rows that are IN_STOCK or already IIKO-sourced; IIKO-sourced rows
 * no longer on the list return to IN_STOCK. A manager's OUT_OF_STOCK or LOW_STOCK (source MANUAL)
 * is never touched (app/features/availability sets MANUAL on every manager change).
 */

export interface StopListStore {
  id: number;
  isActive: boolean;
  terminalGroupId: string | null;
}

export async function getStopListStore(db: Db, storeId: number): Promise<StopListStore | null> {
  const row = await db
    .selectFrom('store')
    .select(['id', 'is_active', 'iiko_terminal_group_id'])
    .where('id', '=', storeId)
    .executeTakeFirst();
  return row
    ? { id: row.id, isActive: row.is_active, terminalGroupId: row.iiko_terminal_group_id }
    : null;
}

export interface StopListResult {
  terminal_group_id: string;
  /** Entries on iiko's list for this terminal group. */
  items: number;
  /** Entries whose product we know (mapped by iiko_product_id and listed in the store). */
  matched: number;
  out_of_stock: number;
  low_stock: number;
  /** IIKO-sourced rows back to IN_STOCK. */
  restored: number;
  /** Listed products on the list left alone because a manager set their status. */
  manual_kept: number;
}

/** Applies `balances` (iiko product id → balance; the lowest per product) to the store. */
export async function applyStopList(
  db: Db,
  {
    storeId,
    terminalGroupId,
    balances,
  }: { storeId: number; terminalGroupId: string; balances: Map<string, number> },
): Promise<StopListResult> {
  const entries = [...balances];
  return db.transaction().execute(async (trx) => {
    const listed = await trx
      .selectFrom('store_product as sp')
      .innerJoin('product as p', 'p.id', 'sp.product_id')
      .select(['sp.id', 'p.iiko_product_id', 'sp.stock_status', 'sp.stock_status_source'])
      .where('sp.store_id', '=', storeId)
      .where('p.iiko_product_id', 'is not', null)
      .orderBy('sp.id')
      // serialises with a manager's change of the same rows (availability service locks too)
      .forUpdate('sp')
      .execute();

    const result: StopListResult = {
      terminal_group_id: terminalGroupId,
      items: entries.length,
      matched: 0,
      out_of_stock: 0,
      low_stock: 0,
      restored: 0,
      manual_kept: 0,
    };
    for (const row of listed) {
      const balance = balances.get(row.iiko_product_id!);
      const iikoOwned = row.stock_status === 'IN_STOCK' || row.stock_status_source === 'IIKO';
      if (balance === undefined) {
        if (row.stock_status_source === 'IIKO' && row.stock_status !== 'IN_STOCK') {
          await trx
            .updateTable('store_product')
            .set({ stock_status: 'IN_STOCK', updated_at: sql<Date>`now()` })
            .where('id', '=', row.id)
            .execute();
          result.restored += 1;
        }
        continue;
      }
      result.matched += 1;
      if (!iikoOwned) {
        result.manual_kept += 1;
        continue;
      }
      const status = balance <= 0 ? 'OUT_OF_STOCK' : 'LOW_STOCK';
      if (status === 'OUT_OF_STOCK') result.out_of_stock += 1;
      else result.low_stock += 1;
      if (row.stock_status === status && row.stock_status_source === 'IIKO') continue;
      await trx
        .updateTable('store_product')
        .set({ stock_status: status, stock_status_source: 'IIKO', updated_at: sql<Date>`now()` })
        .where('id', '=', row.id)
        .execute();
    }
    return result;
  });
}
