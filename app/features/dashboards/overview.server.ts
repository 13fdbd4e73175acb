import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { kopecks, rhu, type Kopecks } from '~/utils/money';
import type { OrderStatus } from '~/utils/vocabularies';
import type { DashboardRange } from './dashboard-params';

/**
 * The overview dashboard: orders, revenue, average order value, coupon redemptions, discounts
 * and top products of the orders created in [from, to), optionally of one store.
 *
 * Revenue counts an order once it is paid and accepted, and while it stays so (ADR 0016):
 * CONFIRMED (payment captured or nothing to pay, and POS accepted), PREPARING, READY, DELIVERING,
 * COMPLETED. PENDING is not paid yet (at most a hold); CANCELLED was released or refunded;
 * VOIDED never captured; REFUNDED gave the money back.
 */
export const REVENUE_ORDER_STATUSES = [
  'CONFIRMED',
  'PREPARING',
  'READY',
  'DELIVERING',
  'COMPLETED',
] as const satisfies readonly OrderStatus[];

const TOP_PRODUCTS = 10;

export interface OverviewFilter extends DashboardRange {
  storeId?: number;
}

export interface TopProductRow {
  productId: number;
  nameRu: string;
  nameZh: string | null;
  quantity: number;
  /** Σ (line_total − line discount) of the product's lines. */
  revenue: Kopecks;
}

export interface OverviewDashboard {
  /** Every order created in the range, whatever its status. */
  placedOrders: number;
  /** Orders counted in revenue (REVENUE_ORDER_STATUSES). */
  paidOrders: number;
  /** Σ final_amount of the paid orders. */
  revenue: Kopecks;
  /** revenue ÷ paid orders, rounded half-up; null without paid orders. */
  averageOrderValue: Kopecks | null;
  /** Paid orders that used a coupon. */
  couponRedemptions: number;
  couponDiscount: Kopecks;
  /** Σ discount_amount (coupon and points) of the paid orders. */
  discountTotal: Kopecks;
  topProducts: TopProductRow[];
}

const revenueStatuses = sql.join(REVENUE_ORDER_STATUSES.map((s) => sql.lit(s)));

function orderWhere(filter: OverviewFilter, alias: string) {
  const parts = [
    sql`${sql.ref(`${alias}.created_at`)} >= ${filter.from}`,
    sql`${sql.ref(`${alias}.created_at`)} < ${filter.to}`,
  ];
  if (filter.storeId !== undefined) {
    parts.push(sql`${sql.ref(`${alias}.store_id`)} = ${filter.storeId}`);
  }
  return sql.join(parts, sql` and `);
}

/** numeric(12,2) sums leave the database as exact integer kopecks (int8 text → number). */
function toKopecks(value: string | number | null): Kopecks {
  return kopecks(Number(value ?? 0));
}

export async function overviewTotals(
  db: Db,
  filter: OverviewFilter,
): Promise<Omit<OverviewDashboard, 'topProducts'>> {
  const { rows } = await sql<{
    placed: number;
    paid: number;
    revenue: string;
    coupon_orders: number;
    coupon_discount: string;
    discount: string;
  }>`
    select count(*)::int as placed,
           (count(*) filter (where o.status in (${revenueStatuses})))::int as paid,
           (coalesce(sum(o.final_amount) filter (where o.status in (${revenueStatuses})), 0) * 100)::int8 as revenue,
           (count(*) filter (where o.status in (${revenueStatuses}) and o.coupon_instance_id is not null))::int as coupon_orders,
           (coalesce(sum(o.coupon_discount) filter (where o.status in (${revenueStatuses})), 0) * 100)::int8 as coupon_discount,
           (coalesce(sum(o.discount_amount) filter (where o.status in (${revenueStatuses})), 0) * 100)::int8 as discount
    from "order" o
    where ${orderWhere(filter, 'o')}
  `.execute(db);
  const r = rows[0]!;
  const revenue = toKopecks(r.revenue);
  return {
    placedOrders: r.placed,
    paidOrders: r.paid,
    revenue,
    averageOrderValue: r.paid > 0 ? kopecks(rhu(revenue, r.paid)) : null,
    couponRedemptions: r.coupon_orders,
    couponDiscount: toKopecks(r.coupon_discount),
    discountTotal: toKopecks(r.discount),
  };
}

/** The best sellers by units among the paid orders of the range. */
export async function topProducts(db: Db, filter: OverviewFilter): Promise<TopProductRow[]> {
  const { rows } = await sql<{
    product_id: number;
    name_ru: string;
    name_zh: string | null;
    quantity: number;
    revenue: string;
  }>`
    select t.product_id, p.name_ru, p.name_zh, t.quantity, t.revenue
    from (
      select oi.product_id,
             sum(oi.quantity)::int as quantity,
             (sum(oi.line_total - oi.discount_amount) * 100)::int8 as revenue
      from "order" o
      join order_item oi on oi.order_id = o.id
      where ${orderWhere(filter, 'o')} and o.status in (${revenueStatuses})
      group by oi.product_id
      order by 2 desc, 3 desc, oi.product_id
      limit ${TOP_PRODUCTS}
    ) t
    join product p on p.id = t.product_id
    order by t.quantity desc, t.revenue desc, t.product_id
  `.execute(db);
  return rows.map((r) => ({
    productId: r.product_id,
    nameRu: r.name_ru,
    nameZh: r.name_zh,
    quantity: r.quantity,
    revenue: toKopecks(r.revenue),
  }));
}

/** Everything the overview page shows, for the route and the benchmark alike. */
export async function overviewDashboard(
  db: Db,
  filter: OverviewFilter,
): Promise<OverviewDashboard> {
  const [totals, top] = await Promise.all([overviewTotals(db, filter), topProducts(db, filter)]);
  return { ...totals, topProducts: top };
}
