import type { Db } from '~db/database.server';
import type { StockStatus } from '~/utils/vocabularies';
import { lockStoreListing } from './availability.server';
import { writeStaffAudit, type StaffActor } from '~/features/audit/audit.server';

export type SetStockResult = { ok: true; changed: boolean } | { ok: false; reason: 'NOT_LISTED' };

/**
 * A manager's (or admin's) stock mark for one product in ONE store: only store_product.stock_status
 * and its source change, and the row is found by (verified storeId, productId), so another store's
 * listing or any chain-wide data can never be touched from here. The source becomes MANUAL (IK-11),
 * which keeps the iiko stop-list job from overwriting a manager's sold-out / low mark. The change
 * and its audit_log row commit together (RB-4); a repeat of the current state writes nothing.
 */
export async function setStockStatus(
  db: Db,
  input: { storeId: number; productId: number; stockStatus: StockStatus; actor: StaffActor },
): Promise<SetStockResult> {
  return db.transaction().execute(async (trx) => {
    const row = await lockStoreListing(trx, input);
    if (!row) return { ok: false, reason: 'NOT_LISTED' } as const;
    if (row.stock_status === input.stockStatus && row.stock_status_source === 'MANUAL') {
      return { ok: true, changed: false } as const;
    }
    await trx
      .updateTable('store_product')
      .set({
        stock_status: input.stockStatus,
        stock_status_source: 'MANUAL',
        updated_at: new Date(),
      })
      // the store id stays in the WHERE even though the row was found with it (RB-2)
      .where('id', '=', row.id)
      .where('store_id', '=', input.storeId)
      .execute();

    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (row.stock_status !== input.stockStatus) {
      before.stock_status = row.stock_status;
      after.stock_status = input.stockStatus;
    }
    if (row.stock_status_source !== 'MANUAL') {
      before.stock_status_source = row.stock_status_source;
      after.stock_status_source = 'MANUAL';
    }
    await writeStaffAudit(trx, input.actor, {
      storeId: input.storeId,
      action: 'store_product.stock_status',
      entityType: 'store_product',
      entityId: row.id,
      before,
      after,
    });
    return { ok: true, changed: true } as const;
  });
}
