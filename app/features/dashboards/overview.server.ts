import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import { kopecks, rhu, type Kopecks } from '~/utils/money';
import type { DashboardRange } from './dashboard-params';
import { REVENUE_ORDER_STATUSES } from './revenue-statuses';
import { refreshRollup, rollupAsOf, type RefreshOptions } from './rollup.service.server';

export { REVENUE_ORDER_STATUSES };

/**
 * The overview dashboard: orders, revenue, average order value, coupon redemptions, discounts
 * and top products of the orders created in [from, to) (whole hours), optionally of one store.
 * Read from the hourly rollups of schema `dashboards` (ADR 0016), refreshed first unless
 * `readOnly` (a replica). Revenue counts
 * the orders in REVENUE_ORDER_STATUSES.
 */

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
  /** The orders written before this instant (ISO) are counted; null before the first refresh. */
  asOf: string | null;
}

function hourWhere(filter: OverviewFilter, alias: string) {
  const parts = [
    sql`${sql.ref(`${alias}.hour`)} >= ${filter.from}`,
    sql`${sql.ref(`${alias}.hour`)} < ${filter.to}`,
  ];
  if (filter.storeId !== undefined) {
    parts.push(sql`${sql.ref(`${alias}.store_id`)} = ${filter.storeId}`);
  }
  return sql.join(parts, sql` and `);
}

/** The rollups hold integer kopecks; int8 arrives as text (CF-4). */
function toKopecks(value: string | number | null): Kopecks {
  return kopecks(Number(value ?? 0));
}

export async function overviewTotals(
  db: Db,
  filter: OverviewFilter,
): Promise<Omit<OverviewDashboard, 'topProducts' | 'asOf'>> {
  const { rows } = await sql<{
    placed: number;
    paid: number;
    revenue: string;
    coupon_orders: number;
    coupon_discount: string;
    discount: string;
  }>`
    select coalesce(sum(r.placed), 0)::int as placed,
           coalesce(sum(r.paid), 0)::int as paid,
           coalesce(sum(r.revenue_kopecks), 0)::int8 as revenue,
           coalesce(sum(r.coupon_orders), 0)::int as coupon_orders,
           coalesce(sum(r.coupon_discount_kopecks), 0)::int8 as coupon_discount,
           coalesce(sum(r.discount_kopecks), 0)::int8 as discount
    from dashboards.order_hour r
    where ${hourWhere(filter, 'r')}
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
      select r.product_id, sum(r.quantity)::int as quantity,
             sum(r.revenue_kopecks)::int8 as revenue
      from ${filter.storeId === undefined ? sql`dashboards.product_hour_all` : sql`dashboards.product_hour`} r
      where ${hourWhere(filter, 'r')}
      group by r.product_id
      order by 2 desc, 3 desc, r.product_id
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
  opts: RefreshOptions = {},
): Promise<OverviewDashboard> {
  await refreshRollup(db, 'orders', opts);
  const [totals, top, asOf] = await Promise.all([
    overviewTotals(db, filter),
    topProducts(db, filter),
    rollupAsOf(db, 'orders'),
  ]);
  return { ...totals, topProducts: top, asOf: asOf?.toISOString() ?? null };
}
