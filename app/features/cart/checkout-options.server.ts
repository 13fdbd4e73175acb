import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import type { Lang } from '~/i18n/languages';
import { pickLocalized } from '~/i18n/use-t';
import { fromDecimal } from '~/utils/money';

/** What the checkout page offers a member to choose from: their coupons and saved addresses. */

export interface CheckoutCoupon {
  /** coupon_instance.id, the value the checkout body carries. */
  id: number;
  name: string;
  description: string | null;
  /** The headline of simple coupons; rule-based ones (BOGO, tiers) rely on their description. */
  discount:
    { kind: 'percent'; percent: string } | { kind: 'fixed'; kopecks: number } | { kind: 'rule' };
  minOrderKopecks: number | null;
  /** COALESCE(adjusted_valid_until, template.valid_until), ISO. */
  validUntil: string;
}

/**
 * The member's coupons that can be chosen at this store right now (CP-3, CP-7, CP-8): UNUSED, of an
 * active template, started and not expired (instance validity first), scoped to every store or to
 * this one, and not already at the per-member or total usage limit. The checkout re-checks all of
 * it inside its transaction; this only keeps the picker free of coupons that would be refused.
 * Soonest to expire first.
 */
export async function listCheckoutCoupons(
  db: Db,
  args: { memberId: number; storeId: number; lang: Lang; now?: Date },
): Promise<CheckoutCoupon[]> {
  const now = args.now ?? new Date();
  const rows = await db
    .selectFrom('coupon_instance as ci')
    .innerJoin('coupon_template as t', 't.id', 'ci.template_id')
    .select([
      'ci.id',
      't.name_ru',
      't.name_zh',
      't.name_en',
      't.description_ru',
      't.description_zh',
      't.description_en',
      't.type',
      't.discount_value',
      't.min_order_amount',
      sql<Date>`coalesce(ci.adjusted_valid_until, t.valid_until)`.as('valid_until'),
    ])
    .where('ci.member_id', '=', args.memberId)
    .where('ci.status', '=', 'UNUSED')
    .where('t.is_active', '=', true)
    .where('t.valid_from', '<=', now)
    .where(sql<boolean>`coalesce(ci.adjusted_valid_until, t.valid_until) > ${now}`)
    .where((eb) =>
      eb.or([
        eb('t.scope_store_ids', 'is', null),
        eb(sql`${args.storeId}::integer`, '=', eb.fn.any('t.scope_store_ids')),
      ]),
    )
    .where((eb) =>
      eb.or([
        eb('t.max_total_usage', 'is', null),
        eb('t.current_usage_count', '<', eb.ref('t.max_total_usage')),
      ]),
    )
    .where(
      sql<boolean>`(
        t.max_usage_per_user is null
        or (
          select count(*) from coupon_instance used
          where used.template_id = t.id and used.member_id = ci.member_id and used.status = 'USED'
        ) < t.max_usage_per_user
      )`,
    )
    .orderBy('valid_until')
    .orderBy('ci.id')
    .limit(100)
    .execute();

  return rows.map((row) => {
    const description = pickLocalized(args.lang, row, 'description');
    return {
      id: row.id,
      name: pickLocalized(args.lang, row, 'name'),
      description: description.trim() === '' ? null : description,
      discount: discountOf(row.type, row.discount_value),
      minOrderKopecks: row.min_order_amount === null ? null : fromDecimal(row.min_order_amount),
      validUntil: new Date(row.valid_until).toISOString(),
    };
  });
}

function discountOf(type: string, value: string | null): CheckoutCoupon['discount'] {
  if (value !== null && type === 'SIMPLE_PERCENTAGE') {
    // "10.00" → "10", "12.50" → "12.5"
    return { kind: 'percent', percent: value.replace(/\.?0+$/, '') };
  }
  if (value !== null && type === 'SIMPLE_FIXED')
    return { kind: 'fixed', kopecks: fromDecimal(value) };
  return { kind: 'rule' };
}

export interface SavedAddress {
  id: number;
  label: string | null;
  addressLine: string;
  apartment: string | null;
  entrance: string | null;
  floor: string | null;
  intercom: string | null;
  comment: string | null;
  latitude: number;
  longitude: number;
  isDefault: boolean;
}

/** The member's saved delivery addresses, default first (DL-5). */
export async function listSavedAddresses(db: Db, memberId: number): Promise<SavedAddress[]> {
  const rows = await db
    .selectFrom('delivery_address')
    .select([
      'id',
      'label',
      'address_line',
      'apartment',
      'entrance',
      'floor',
      'intercom',
      'comment',
      'latitude',
      'longitude',
      'is_default',
    ])
    .where('member_id', '=', memberId)
    .orderBy('is_default', 'desc')
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    addressLine: r.address_line,
    apartment: r.apartment,
    entrance: r.entrance,
    floor: r.floor,
    intercom: r.intercom,
    comment: r.comment,
    latitude: Number(r.latitude),
    longitude: Number(r.longitude),
    isDefault: r.is_default,
  }));
}
