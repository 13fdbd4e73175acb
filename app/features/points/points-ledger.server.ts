import { sql } from 'kysely';
import { assertTransaction, type Db } from '~db/database.server';
import { CheckoutError } from '~/features/checkout/checkout-errors';

/**
 * The points ledger (PT-3): every balance change is one locked read-modify-write of the member
 * row plus one append-only `member_points_history` row carrying `balance_after`, so
 * balance = Σ delta = latest balance_after (PT-10) holds by construction.
 *
 * Idempotency: the key is checked after the member row is locked, so two callers with one key
 * serialise on the lock and the second sees the first's row. `idx_points_history_idempotency_unique`
 * is only the backstop for a key reused across members (a bug), which then fails loudly.
 */

export type PointsReason =
  'SIGNUP_BONUS' | 'ORDER_REDEEM' | 'ORDER_EARN' | 'REFUND' | 'ADMIN_ADJUST';

export interface PointsChange {
  memberId: number;
  /** May be 0 only when totalEarnedDelta moves (PT-8 with an empty balance): no ledger row then. */
  delta: number;
  reason: PointsReason;
  idempotencyKey: string;
  orderId?: number | null;
  actorUserId?: number | null;
  description?: string | null;
  /** Change of total_points_earned (PT-2): + for ORDER_EARN, − for its reversal. */
  totalEarnedDelta?: number;
  /**
   * PT-8 reversal of earned points: a negative delta takes at most the balance there is instead of
   * refusing, and the shortfall is written in `description`.
   */
  clampToBalance?: boolean;
}

export interface PointsChangeResult {
  /** The ledger row (existing one on a repeated key); null when nothing was written. */
  id: number | null;
  balanceAfter: number;
  /** False when the key had been applied before: nothing changed. */
  created: boolean;
}

/** Locks the member row; returns the balance and tier basis. Throws when the member is missing. */
export async function lockMemberPoints(
  trx: Db,
  memberId: number,
): Promise<{ balance: number; totalEarned: number; groupId: number | null }> {
  assertTransaction(trx);
  const row = await trx
    .selectFrom('member')
    .select(['available_points_balance', 'total_points_earned', 'group_id'])
    .where('id', '=', memberId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new Error(`member ${memberId} does not exist`);
  return {
    balance: row.available_points_balance,
    totalEarned: row.total_points_earned,
    groupId: row.group_id,
  };
}

export async function applyPointsChange(
  trx: Db,
  change: PointsChange,
): Promise<PointsChangeResult> {
  assertTransaction(trx);
  if (!Number.isSafeInteger(change.delta)) throw new Error('points delta must be an integer');
  const member = await lockMemberPoints(trx, change.memberId);

  const existing = await trx
    .selectFrom('member_points_history')
    .select(['id', 'balance_after', 'member_id'])
    .where('idempotency_key', '=', change.idempotencyKey)
    .executeTakeFirst();
  if (existing) {
    return { id: existing.id, balanceAfter: existing.balance_after, created: false };
  }

  let delta = change.delta;
  let description = change.description ?? null;
  if (change.clampToBalance && delta < 0 && -delta > member.balance) {
    const shortfall = -delta - member.balance;
    delta = -member.balance;
    description ??= `shortfall ${shortfall} points (balance was lower than earned)`;
  }
  const balanceAfter = member.balance + delta;
  if (balanceAfter < 0) {
    throw new CheckoutError('INSUFFICIENT_POINTS', {
      required_points: -delta,
      available_points: member.balance,
    });
  }
  const earnedDelta = change.totalEarnedDelta ?? 0;
  const totalEarned = Math.max(0, member.totalEarned + earnedDelta);
  if (delta === 0 && totalEarned === member.totalEarned) {
    return { id: null, balanceAfter, created: false };
  }

  await trx
    .updateTable('member')
    .set({
      available_points_balance: balanceAfter,
      total_points_earned: totalEarned,
      updated_at: sql<Date>`now()`,
      ...(totalEarned !== member.totalEarned
        ? {
            // PT-9: the tier follows total_points_earned in the same transaction
            group_id: sql<number>`(
              select g.id from member_group g
              where g.min_points_required <= ${totalEarned}
              order by g.min_points_required desc limit 1
            )`,
          }
        : {}),
    })
    .where('id', '=', change.memberId)
    .execute();

  if (delta === 0) return { id: null, balanceAfter, created: true };

  const row = await trx
    .insertInto('member_points_history')
    .values({
      member_id: change.memberId,
      delta,
      balance_after: balanceAfter,
      reason: change.reason,
      idempotency_key: change.idempotencyKey,
      order_id: change.orderId ?? null,
      actor_user_id: change.actorUserId ?? null,
      description,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, balanceAfter, created: true };
}
