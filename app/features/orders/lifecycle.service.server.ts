import { sql } from 'kysely';
import { assertTransaction, type Db } from '~db/database.server';
import { writeAudit } from '~/features/audit/audit.server';
import {
  enqueueMemberOrderNotification,
  enqueueNewOrderNotification,
} from '~/features/notifications/order-notifications.server';
import { applyPointsChange } from '~/features/points/points-ledger.server';
import { isLegalTransition, type OrderStatus, type PaymentStatus } from './order-status';

/**
 * Order status transitions (OR-1 … OR-3) and their database effects, in the caller's transaction:
 * coupon restore (CP-12), redeemed points back and earned points in or out (PT-7, PT-8), scan
 * attribution reversal (OS-9), outbox rows (NT-3) and the `order.status` audit row. Nothing here
 * calls the network: holds, captures and refunds are the payments code's, which calls this.
 *
 * Each transition is a conditional UPDATE on the expected current status (OR-2): zero rows means
 * someone else moved the order first, and the caller answers INVALID_TRANSITION (or, for a
 * system replay, does nothing). Every effect is idempotent on its own as well.
 */

export type TransitionActor =
  { type: 'SYSTEM' } | { type: 'USER'; userId: number } | { type: 'MEMBER'; memberId: number };

export interface TransitionArgs {
  orderId: number;
  /** The states the caller expects the order to be in; the UPDATE matches only these. */
  from: readonly OrderStatus[];
  to: OrderStatus;
  actor: TransitionActor;
  reason?: string | null;
  /** Move payment_status in the same UPDATE, and only when it is one of `from`. */
  paymentStatus?: { from: readonly PaymentStatus[]; to: PaymentStatus };
  requestId?: string | null;
  ip?: string | null;
}

export async function transitionOrder(trx: Db, args: TransitionArgs): Promise<boolean> {
  assertTransaction(trx);
  const from = args.from.filter((f) => isLegalTransition(f, args.to));
  if (from.length === 0) {
    throw new Error(`no legal transition from ${args.from.join('|')} to ${args.to}`);
  }

  // Lock the row and read the state it leaves (for the audit row); the UPDATE below is still
  // conditional on exactly that state (OR-2).
  const current = await trx
    .selectFrom('order')
    .select(['status', 'payment_status'])
    .where('id', '=', args.orderId)
    .forUpdate()
    .executeTakeFirst();
  if (!current || !(from as readonly string[]).includes(current.status)) return false;
  if (
    args.paymentStatus &&
    !(args.paymentStatus.from as readonly string[]).includes(current.payment_status)
  )
    return false;

  let update = trx
    .updateTable('order')
    .set({
      status: args.to,
      updated_at: sql<Date>`now()`,
      ...(args.to === 'CONFIRMED' ? { confirmed_at: sql<Date>`now()` } : {}),
      ...(args.to === 'COMPLETED' ? { completed_at: sql<Date>`now()` } : {}),
      ...(args.to === 'CANCELLED' || args.to === 'VOIDED'
        ? { cancelled_at: sql<Date>`now()`, cancel_reason: args.reason ?? null }
        : {}),
      ...(args.to === 'REFUNDED' ? { refunded_at: sql<Date>`now()` } : {}),
      ...(args.paymentStatus ? { payment_status: args.paymentStatus.to } : {}),
    })
    .where('id', '=', args.orderId)
    .where('status', '=', current.status)
    .where('payment_status', '=', current.payment_status);
  // DELIVERING exists only for delivery orders (OR-1)
  if (args.to === 'DELIVERING') update = update.where('order_type', '=', 'DELIVERY');

  const order = await update
    .returning([
      'id',
      'store_id',
      'member_id',
      'points_used',
      'points_earned',
      'coupon_instance_id',
      'final_amount',
      'campaign_code_id',
    ])
    .executeTakeFirst();
  if (!order) return false;
  const previous = current.status;

  if (args.to === 'CANCELLED' || args.to === 'VOIDED') {
    await releaseOrderBenefits(trx, order, 'release');
  } else if (args.to === 'REFUNDED') {
    await releaseOrderBenefits(trx, order, 'refund');
  } else if (args.to === 'COMPLETED' && order.member_id !== null && order.points_earned > 0) {
    await applyPointsChange(trx, {
      memberId: order.member_id,
      delta: order.points_earned,
      totalEarnedDelta: order.points_earned,
      reason: 'ORDER_EARN',
      idempotencyKey: `order_earn:${order.id}`,
      orderId: order.id,
    });
  }

  if (args.to === 'CONFIRMED') await enqueueNewOrderNotification(trx, order.id);
  if (args.to !== 'PENDING') await enqueueMemberOrderNotification(trx, order.id, args.to);

  await writeAudit(trx, {
    actorType: args.actor.type,
    actorUserId: args.actor.type === 'USER' ? args.actor.userId : null,
    actorMemberId: args.actor.type === 'MEMBER' ? args.actor.memberId : null,
    storeId: order.store_id,
    action: 'order.status',
    entityType: 'order',
    entityId: order.id,
    before: { status: previous },
    after: {
      status: args.to,
      ...(args.paymentStatus ? { payment_status: args.paymentStatus.to } : {}),
    },
    reason: args.reason ?? null,
    requestId: args.requestId ?? null,
    ip: args.ip ?? null,
  });
  return true;
}

interface ReleasableOrder {
  id: number;
  member_id: number | null;
  points_used: number;
  points_earned: number;
  coupon_instance_id: number | null;
  final_amount: string;
  campaign_code_id: number | null;
}

/**
 * OR-3 (cancel / void) and PT-8 + OS-9 (refund). Each step is conditional, so running it twice
 * changes nothing the second time. Lock order member → coupon (as at checkout).
 */
async function releaseOrderBenefits(
  trx: Db,
  order: ReleasableOrder,
  mode: 'release' | 'refund',
): Promise<void> {
  if (order.member_id !== null) {
    if (order.points_used > 0) {
      await applyPointsChange(trx, {
        memberId: order.member_id,
        delta: order.points_used,
        reason: 'REFUND',
        idempotencyKey: `order_refund:${order.id}`,
        orderId: order.id,
      });
    } else if (mode === 'refund' && order.points_earned > 0) {
      // PT-8: −min(earned, balance); total_points_earned and the tier drop in full
      await applyPointsChange(trx, {
        memberId: order.member_id,
        delta: -order.points_earned,
        clampToBalance: true,
        totalEarnedDelta: -order.points_earned,
        reason: 'REFUND',
        idempotencyKey: `order_refund:${order.id}`,
        orderId: order.id,
      });
    }
  }

  if (mode === 'release' && order.coupon_instance_id !== null) {
    await restoreCoupon(trx, order.coupon_instance_id, order.id);
  }

  // OS-9: reverse a scan attribution once
  const reversed = await trx
    .updateTable('offline_scan_log')
    .set({ reversed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('order_id', '=', order.id)
    .where('reversed_at', 'is', null)
    .returning('campaign_code_id')
    .execute();
  for (const scan of reversed) {
    await trx
      .updateTable('campaign_code')
      .set({
        order_count: sql<number>`greatest(order_count - 1, 0)`,
        total_gmv: sql<string>`greatest(total_gmv - ${order.final_amount}::numeric, 0)`,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', scan.campaign_code_id)
      .execute();
  }
}

/** CP-12: back to UNUSED, the template's usage count down by one, audit RESTORED. */
async function restoreCoupon(trx: Db, instanceId: number, orderId: number): Promise<void> {
  const restored = await trx
    .updateTable('coupon_instance')
    .set({ status: 'UNUSED', used_at: null, used_order_id: null, updated_at: sql<Date>`now()` })
    .where('id', '=', instanceId)
    .where('status', '=', 'USED')
    .where('used_order_id', '=', orderId)
    .returning(['id', 'template_id'])
    .executeTakeFirst();
  if (!restored) return;
  await trx
    .updateTable('coupon_template')
    .set({
      current_usage_count: sql<number>`greatest(current_usage_count - 1, 0)`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', restored.template_id)
    .execute();
  await trx
    .insertInto('coupon_audit_log')
    .values({
      coupon_instance_id: instanceId,
      action: 'RESTORED',
      from_status: 'USED',
      to_status: 'UNUSED',
      actor_type: 'SYSTEM',
      order_id: orderId,
    })
    .execute();
}
