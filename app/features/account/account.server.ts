import { sql } from 'kysely';
import { assertTransaction, type Db } from '~db/database.server';
import { fromDecimal, type Kopecks } from '~/utils/money';
import type { CouponFilter } from './account.schema';

/**
 * Read model of the customer's account page: profile, points ledger (PT-10), coupons (CP-16) and
 * orders (OR-5). Every query is scoped by the signed-in member's id, never by a request value.
 */

export interface LocalizedName {
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
}

export interface AccountProfile {
  id: number;
  displayName: string;
  phone: string;
  pointsBalance: number;
  tier: (LocalizedName & { code: string }) | null;
}

export async function getAccountProfile(db: Db, memberId: number): Promise<AccountProfile | null> {
  const row = await db
    .selectFrom('member as m')
    .leftJoin('member_group as g', 'g.id', 'm.group_id')
    .select([
      'm.id',
      'm.display_name',
      'm.phone',
      'm.available_points_balance',
      'g.code as tier_code',
      'g.name_ru as tier_name_ru',
      'g.name_zh as tier_name_zh',
      'g.name_en as tier_name_en',
    ])
    .where('m.id', '=', memberId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    displayName: row.display_name,
    phone: row.phone,
    pointsBalance: row.available_points_balance,
    tier:
      row.tier_code && row.tier_name_ru
        ? {
            code: row.tier_code,
            name_ru: row.tier_name_ru,
            name_zh: row.tier_name_zh,
            name_en: row.tier_name_en,
          }
        : null,
  };
}

export interface LedgerEntry {
  id: number;
  createdAt: Date;
  delta: number;
  balanceAfter: number;
  reason: string;
  description: string | null;
  orderNumber: string | null;
  orderToken: string | null;
}

export const LEDGER_PAGE_SIZE = 50;

/** The member's latest ledger rows, newest first (index member_id, id DESC). */
export async function listPointsLedger(
  db: Db,
  memberId: number,
  { limit = LEDGER_PAGE_SIZE }: { limit?: number } = {},
): Promise<LedgerEntry[]> {
  const rows = await db
    .selectFrom('member_points_history as h')
    .leftJoin('order as o', 'o.id', 'h.order_id')
    .select([
      'h.id',
      'h.created_at',
      'h.delta',
      'h.balance_after',
      'h.reason',
      'h.description',
      'o.order_number',
      'o.public_token',
    ])
    .where('h.member_id', '=', memberId)
    .orderBy('h.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at,
    delta: r.delta,
    balanceAfter: r.balance_after,
    reason: r.reason,
    description: r.description,
    orderNumber: r.order_number,
    orderToken: r.public_token,
  }));
}

export interface MemberOrder {
  id: number;
  orderNumber: string;
  publicToken: string;
  createdAt: Date;
  status: string;
  finalAmount: Kopecks;
  store: LocalizedName & { code: string };
}

export const ORDERS_PAGE_SIZE = 50;

/** The member's own orders, newest first (index member_id, created_at DESC). */
export async function listMemberOrders(
  db: Db,
  memberId: number,
  { limit = ORDERS_PAGE_SIZE }: { limit?: number } = {},
): Promise<MemberOrder[]> {
  const rows = await db
    .selectFrom('order as o')
    .innerJoin('store as s', 's.id', 'o.store_id')
    .select([
      'o.id',
      'o.order_number',
      'o.public_token',
      'o.created_at',
      'o.status',
      'o.final_amount',
      's.code as store_code',
      's.name_ru as store_name_ru',
      's.name_zh as store_name_zh',
      's.name_en as store_name_en',
    ])
    .where('o.member_id', '=', memberId)
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    orderNumber: r.order_number,
    publicToken: r.public_token,
    createdAt: r.created_at,
    status: r.status,
    finalAmount: fromDecimal(r.final_amount),
    store: {
      code: r.store_code,
      name_ru: r.store_name_ru,
      name_zh: r.store_name_zh,
      name_en: r.store_name_en,
    },
  }));
}

export interface MemberCoupon {
  id: number;
  status: string;
  sourceType: string;
  sourceRef: string | null;
  tags: string[];
  validFrom: Date;
  /** Effective validity: the instance's adjusted_valid_until, else the template's valid_until. */
  validUntil: Date;
  usedAt: Date | null;
  template: LocalizedName & {
    description_ru: string;
    description_zh: string | null;
    description_en: string | null;
  };
}

export const COUPONS_PAGE_SIZE = 200;

/** CP-16: the member's instances, filtered by status and tag; usable ones first, then newest. */
export async function listMemberCoupons(
  db: Db,
  memberId: number,
  filter: CouponFilter,
): Promise<MemberCoupon[]> {
  let query = db
    .selectFrom('coupon_instance as ci')
    .innerJoin('coupon_template as t', 't.id', 'ci.template_id')
    .select([
      'ci.id',
      'ci.status',
      'ci.source_type',
      'ci.source_ref',
      'ci.tags',
      'ci.used_at',
      't.valid_from',
      sql<Date>`coalesce(ci.adjusted_valid_until, t.valid_until)`.as('valid_until'),
      't.name_ru',
      't.name_zh',
      't.name_en',
      't.description_ru',
      't.description_zh',
      't.description_en',
    ])
    .where('ci.member_id', '=', memberId);
  if (filter.status) query = query.where('ci.status', '=', filter.status);
  if (filter.tag) query = query.where(sql<boolean>`${filter.tag} = any(ci.tags)`);
  const rows = await query
    .orderBy(sql`ci.status = 'UNUSED'`, 'desc')
    .orderBy('ci.id', 'desc')
    .limit(COUPONS_PAGE_SIZE)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    sourceType: r.source_type,
    sourceRef: r.source_ref,
    tags: r.tags,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    usedAt: r.used_at,
    template: {
      name_ru: r.name_ru,
      name_zh: r.name_zh,
      name_en: r.name_en,
      description_ru: r.description_ru,
      description_zh: r.description_zh,
      description_en: r.description_en,
    },
  }));
}

/** Every tag on the member's coupons, for the tag filter. */
export async function listMemberCouponTags(db: Db, memberId: number): Promise<string[]> {
  const { rows } = await sql<{ tag: string }>`
    select distinct unnest(tags) as tag from coupon_instance where member_id = ${memberId}
    order by tag
  `.execute(db);
  return rows.map((r) => r.tag);
}

/**
 * CP-13 on read: the member's UNUSED instances past their effective validity become EXPIRED, each
 * with a coupon_audit_log row EXPIRED (actor SYSTEM). The conditional UPDATE takes only rows still
 * UNUSED, so a concurrent redemption or a second reader never expires (or audits) a row twice.
 * FROZEN instances stay FROZEN.
 */
export async function expireOverdueCoupons(trx: Db, memberId: number): Promise<number[]> {
  assertTransaction(trx);
  const { rows } = await sql<{ id: number }>`
    with upd as (
      update coupon_instance ci set status = 'EXPIRED', updated_at = now()
      from coupon_template t
      where t.id = ci.template_id
        and ci.member_id = ${memberId}
        and ci.status = 'UNUSED'
        and coalesce(ci.adjusted_valid_until, t.valid_until) <= now()
      returning ci.id
    ), audit as (
      insert into coupon_audit_log
        (coupon_instance_id, action, from_status, to_status, actor_type)
      select id, 'EXPIRED', 'UNUSED', 'EXPIRED', 'SYSTEM'
      from upd
      returning coupon_instance_id
    )
    select coupon_instance_id as id from audit order by coupon_instance_id
  `.execute(trx);
  return rows.map((r) => r.id);
}
