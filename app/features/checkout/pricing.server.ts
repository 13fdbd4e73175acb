import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Db } from '~db/database.server';
import {
  engineInstanceFromRow,
  engineTemplateFromRow,
  evaluateCoupon,
  type EngineCartLine,
} from '~/features/coupons/engine';
import { pickDeliveryZone, readStoredPolygon } from '~/features/delivery/polygon';
import {
  getPointsSettings,
  hundredths,
  type PointsSettings,
} from '~/features/settings/app-settings.server';
import { isOpenAt } from '~/features/stores/opening-hours';
import { readOpeningHours } from '~/features/stores/stores.schema';
import type { Lang } from '~/i18n/languages';
import { fromDecimal, toDecimal } from '~/utils/money';
import type { CheckoutErrorCode } from './checkout-errors';
import type { QuoteBody } from './checkout.schema';
import type { CheckoutQuote, QuoteLine, QuoteProblem } from './checkout.types';

/**
 * The one pricing function (PR-10) behind the quote endpoint (CK-6) and placeOrder (CK-3). Every
 * amount comes from database rows (PR-9); the request only says which products, options and
 * benefits the customer wants. Integer kopecks throughout (PR-7).
 *
 * It runs in two phases so placeOrder can lock the member row between them (CK-3 steps 1–3):
 * `priceCart` (store, lines, options, delivery) and `applyBenefits` (coupon or points, which read
 * member state). Problems are collected, first one first; placeOrder refuses on the first.
 */

export const MAX_LINES = 30;
export const MAX_QUANTITY = 99;

type Problems = QuoteProblem[];
const problem = (
  problems: Problems,
  code: CheckoutErrorCode,
  details: Record<string, unknown> = {},
) => problems.push({ code, details });

/** Everything of a line placeOrder snapshots into order_item / order_item_option (PR-11). */
export interface PricedLine extends QuoteLine {
  categoryId: number | null;
  nameRu: string;
  nameZh: string | null;
  iikoProductId: string | null;
  optionSnapshots: {
    itemId: number;
    groupCode: string;
    groupNameRu: string;
    itemCode: string;
    itemNameRu: string;
    itemNameZh: string | null;
    priceDeltaKopecks: number;
    iikoModifierId: string | null;
    iikoGroupId: string | null;
  }[];
}

export interface PricedStore {
  id: number;
  code: string;
  timezone: string;
  iikoTerminalGroupId: string | null;
}

export interface PricedCart {
  store: PricedStore | null;
  orderType: 'PICKUP' | 'DELIVERY';
  lines: PricedLine[];
  subtotalKopecks: number;
  deliveryFeeKopecks: number;
  delivery: {
    zoneId: number;
    etaMinutes: number | null;
    minOrderKopecks: number;
    addressId: number | null;
    addressText: string;
    note: string | null;
    latitude: number;
    longitude: number;
  } | null;
  problems: Problems;
}

const localized = (lang: Lang, ru: string, zh: string | null, en: string | null) =>
  (lang === 'zh' ? zh : lang === 'en' ? en : null) ?? ru;

/** Phase 1: store, lines, options and delivery (PR-1 … PR-6, CK-2, DL-3). Reads only. */
export async function priceCart(
  db: Db,
  args: { memberId: number | null; body: QuoteBody; lang: Lang; now: Date },
): Promise<PricedCart> {
  const { body, lang, now } = args;
  const problems: Problems = [];
  const result: PricedCart = {
    store: null,
    orderType: body.order_type,
    lines: [],
    subtotalKopecks: 0,
    deliveryFeeKopecks: 0,
    delivery: null,
    problems,
  };

  if (body.coupon_instance_id != null && body.use_points)
    problem(problems, 'POINTS_COUPON_CONFLICT');

  const store = await db
    .selectFrom('store')
    .select([
      'id',
      'code',
      'is_active',
      'timezone',
      'opening_hours',
      'pickup_enabled',
      'delivery_enabled',
      'iiko_terminal_group_id',
    ])
    .where('id', '=', body.store_id)
    .executeTakeFirst();
  if (!store) {
    problem(problems, 'NOT_FOUND', { store_id: body.store_id });
    return result;
  }
  result.store = {
    id: store.id,
    code: store.code,
    timezone: store.timezone,
    iikoTerminalGroupId: store.iiko_terminal_group_id,
  };
  if (!store.is_active || !isOpenAt(readOpeningHours(store.opening_hours), store.timezone, now)) {
    problem(problems, 'STORE_CLOSED', { store_id: store.id });
  }
  if (body.order_type === 'PICKUP' ? !store.pickup_enabled : !store.delivery_enabled) {
    problem(problems, 'ORDER_TYPE_UNAVAILABLE', { order_type: body.order_type });
  }

  if (body.lines.length === 0) {
    problem(problems, 'CART_EMPTY');
    return result;
  }
  if (body.lines.length > MAX_LINES) {
    problem(problems, 'QUANTITY_INVALID', { max_lines: MAX_LINES });
    return result;
  }
  body.lines.forEach((line, i) => {
    if (line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      problem(problems, 'QUANTITY_INVALID', { line_no: i + 1, min: 1, max: MAX_QUANTITY });
    }
  });

  const productIds = [...new Set(body.lines.map((l) => l.product_id))];
  const itemIds = [...new Set(body.lines.flatMap((l) => l.option_item_ids))];

  // The catalogue rows of this cart as one statement (four JSON arrays): a checkout runs inside
  // its transaction on one connection, where four queries are four round trips. Amounts are
  // read as text, as the driver returns numeric (JSON numbers would be floats).
  const catalogue = await db
    .selectNoFrom((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('product as p')
          .leftJoin('store_product as sp', (j) =>
            j.onRef('sp.product_id', '=', 'p.id').on('sp.store_id', '=', store.id),
          )
          .select([
            'p.id',
            'p.sku',
            'p.name_ru',
            'p.name_zh',
            'p.name_en',
            'p.category_id',
            sql<string>`p.base_price::text`.as('base_price'),
            'p.is_active',
            'p.is_special_price',
            'p.iiko_product_id',
            'sp.id as sp_id',
            'sp.is_active as sp_active',
            'sp.stock_status',
            sql<string | null>`sp.price_override::text`.as('price_override'),
            'sp.is_special_price as sp_special',
          ])
          .where('p.id', '=', sql<number>`any(${productIds}::int[])`),
      ).as('products'),
      jsonArrayFrom(
        eb
          .selectFrom('product_option_group as pog')
          .innerJoin('option_group as g', 'g.id', 'pog.group_id')
          .select([
            'pog.product_id',
            'g.id as group_id',
            'g.code',
            'g.group_type',
            'g.name_ru',
            'g.name_zh',
            'g.name_en',
            'g.iiko_group_id',
          ])
          .where('pog.product_id', '=', sql<number>`any(${productIds}::int[])`),
      ).as('groups'),
      jsonArrayFrom(
        eb
          .selectFrom('option_item')
          .select([
            'id',
            'group_id',
            'code',
            'name_ru',
            'name_zh',
            'name_en',
            sql<string>`price_delta::text`.as('price_delta'),
            'is_available',
            'iiko_modifier_id',
          ])
          .where('id', '=', sql<number>`any(${itemIds}::int[])`),
      ).as('items'),
      jsonArrayFrom(
        eb
          .selectFrom('product_option_item')
          .select([
            'product_id',
            'item_id',
            sql<string | null>`price_delta_override::text`.as('price_delta_override'),
            'is_available_override',
          ])
          .where('product_id', '=', sql<number>`any(${productIds}::int[])`)
          .where('item_id', '=', sql<number>`any(${itemIds}::int[])`),
      ).as('overrides'),
    ])
    .executeTakeFirstOrThrow();
  const { products, groups: attachedGroups, items, overrides } = catalogue;

  const productById = new Map(products.map((p) => [p.id, p]));
  const itemById = new Map(items.map((i) => [i.id, i]));
  const overrideOf = new Map(overrides.map((o) => [`${o.product_id}:${o.item_id}`, o]));
  const groupsOf = new Map<number, typeof attachedGroups>();
  for (const g of attachedGroups) {
    const list = groupsOf.get(g.product_id) ?? [];
    list.push(g);
    groupsOf.set(g.product_id, list);
  }

  body.lines.forEach((input, index) => {
    const lineNo = index + 1;
    const product = productById.get(input.product_id);
    // PR-1
    if (
      !product ||
      !product.is_active ||
      product.sp_id === null ||
      product.sp_active !== true ||
      product.stock_status === 'OUT_OF_STOCK'
    ) {
      problem(problems, 'PRODUCT_UNAVAILABLE', { product_id: input.product_id, line_no: lineNo });
      return;
    }
    const groups = groupsOf.get(product.id) ?? [];
    const groupById = new Map(groups.map((g) => [g.group_id, g]));
    const seen = new Set<number>();
    const chosenPerGroup = new Map<number, number>();
    const options: PricedLine['optionSnapshots'] = [];
    let optionInvalid = false;

    for (const itemId of input.option_item_ids) {
      const item = itemById.get(itemId);
      const group = item ? groupById.get(item.group_id) : undefined;
      const override = overrideOf.get(`${product.id}:${itemId}`);
      const available = override?.is_available_override ?? item?.is_available ?? false;
      // PR-4 (a) attached group, (b) no item twice, (c) available
      if (!item || !group || seen.has(itemId) || !available) {
        problem(problems, 'OPTION_INVALID', { line_no: lineNo, item_id: itemId });
        optionInvalid = true;
        continue;
      }
      seen.add(itemId);
      chosenPerGroup.set(group.group_id, (chosenPerGroup.get(group.group_id) ?? 0) + 1);
      const delta =
        override?.price_delta_override != null
          ? fromDecimal(override.price_delta_override)
          : fromDecimal(item.price_delta);
      options.push({
        itemId,
        groupCode: group.code,
        groupNameRu: group.name_ru,
        itemCode: item.code,
        itemNameRu: item.name_ru,
        itemNameZh: item.name_zh,
        priceDeltaKopecks: delta,
        iikoModifierId: item.iiko_modifier_id,
        iikoGroupId: group.iiko_group_id,
      });
    }
    // PR-4 (d) exactly one choice in every TEMPERATURE / ICE / SUGAR group
    for (const group of groups) {
      if (group.group_type === 'TOPPING') continue;
      const count = chosenPerGroup.get(group.group_id) ?? 0;
      if (count === 0) {
        problem(problems, 'OPTION_REQUIRED', { line_no: lineNo, group_code: group.code });
        optionInvalid = true;
      } else if (count > 1) {
        const extra = options.filter((o) => o.groupCode === group.code)[1]!;
        problem(problems, 'OPTION_INVALID', { line_no: lineNo, item_id: extra.itemId });
        optionInvalid = true;
      }
    }
    if (optionInvalid) return;

    const unit =
      product.price_override !== null
        ? fromDecimal(product.price_override)
        : fromDecimal(product.base_price);
    const optionsPrice = options.reduce((s, o) => s + o.priceDeltaKopecks, 0);
    const quantity = Math.min(Math.max(input.quantity, 1), MAX_QUANTITY);
    const groupOrder = new Map(groups.map((g, i) => [g.code, i]));
    options.sort((a, b) => (groupOrder.get(a.groupCode) ?? 0) - (groupOrder.get(b.groupCode) ?? 0));

    result.lines.push({
      lineNo,
      productId: product.id,
      sku: product.sku,
      name: localized(lang, product.name_ru, product.name_zh, product.name_en),
      nameRu: product.name_ru,
      nameZh: product.name_zh,
      categoryId: product.category_id,
      iikoProductId: product.iiko_product_id,
      unitPriceKopecks: unit,
      optionsPriceKopecks: optionsPrice,
      quantity,
      lineTotalKopecks: (unit + optionsPrice) * quantity,
      discountKopecks: 0,
      isSpecialPrice: product.is_special_price || product.sp_special === true,
      options: options.map((o) => {
        const item = itemById.get(o.itemId)!;
        const group = groupById.get(item.group_id)!;
        return {
          itemId: o.itemId,
          groupCode: o.groupCode,
          groupName: localized(lang, group.name_ru, group.name_zh, group.name_en),
          itemCode: o.itemCode,
          name: localized(lang, item.name_ru, item.name_zh, item.name_en),
          priceDeltaKopecks: o.priceDeltaKopecks,
        };
      }),
      optionSnapshots: options,
    });
  });

  result.subtotalKopecks = result.lines.reduce((s, l) => s + l.lineTotalKopecks, 0);

  if (body.order_type === 'DELIVERY' && store.delivery_enabled) {
    await priceDelivery(db, args.memberId, body, store.id, result);
  }
  return result;
}

/** DL-3 / DL-4: the point (a saved address of the member, or fields) → zone → fee and minimum. */
async function priceDelivery(
  db: Db,
  memberId: number | null,
  body: QuoteBody,
  storeId: number,
  result: PricedCart,
): Promise<void> {
  const input = body.delivery ?? {};
  let point: {
    lat: number;
    lng: number;
    text: string;
    note: string | null;
    addressId: number | null;
  } | null = null;
  if (input.address_id != null) {
    const saved =
      memberId === null
        ? undefined
        : await db
            .selectFrom('delivery_address')
            .select(['id', 'address_line', 'apartment', 'comment', 'latitude', 'longitude'])
            .where('id', '=', input.address_id)
            .where('member_id', '=', memberId)
            .executeTakeFirst();
    if (!saved) {
      problem(result.problems, 'NOT_FOUND', { address_id: input.address_id });
      return;
    }
    point = {
      lat: Number(saved.latitude),
      lng: Number(saved.longitude),
      text: [saved.address_line, saved.apartment].filter(Boolean).join(', '),
      note: saved.comment,
      addressId: saved.id,
    };
  } else if (input.latitude != null && input.longitude != null && input.address_line) {
    point = {
      lat: input.latitude,
      lng: input.longitude,
      text: [
        input.address_line,
        input.apartment,
        input.entrance && `entrance ${input.entrance}`,
        input.floor && `floor ${input.floor}`,
        input.intercom && `intercom ${input.intercom}`,
      ]
        .filter(Boolean)
        .join(', '),
      note: input.comment ?? null,
      addressId: null,
    };
  }
  if (!point) {
    problem(result.problems, 'DELIVERY_NOT_AVAILABLE', { reason: 'ADDRESS_REQUIRED' });
    return;
  }

  const zones = await db
    .selectFrom('delivery_zone')
    .select(['id', 'polygon', 'fee', 'min_order_amount', 'eta_minutes', 'is_active'])
    .where('store_id', '=', storeId)
    .where('is_active', '=', true)
    .execute();
  const candidates = zones.flatMap((z) => {
    const polygon = readStoredPolygon(z.polygon);
    return polygon
      ? [
          {
            id: z.id,
            polygon,
            fee: fromDecimal(z.fee),
            isActive: z.is_active,
            min: fromDecimal(z.min_order_amount),
            eta: z.eta_minutes,
          },
        ]
      : [];
  });
  const zone = pickDeliveryZone(candidates, [point.lat, point.lng]);
  if (!zone) {
    problem(result.problems, 'DELIVERY_NOT_AVAILABLE', {});
    return;
  }
  result.deliveryFeeKopecks = zone.fee;
  result.delivery = {
    zoneId: zone.id,
    etaMinutes: zone.eta,
    minOrderKopecks: zone.min,
    addressId: point.addressId,
    addressText: point.text,
    note: point.note,
    latitude: point.lat,
    longitude: point.lng,
  };
  if (result.subtotalKopecks < zone.min) {
    problem(result.problems, 'BELOW_DELIVERY_MINIMUM', {
      min_order_amount: toDecimal(zone.min),
    });
  }
}

export interface Benefits {
  couponInstanceId: number | null;
  couponTemplateId: number | null;
  couponTemplateName: string | null;
  couponDiscountKopecks: number;
  /** Per line, ascending lineNo; Σ = couponDiscountKopecks. */
  lineDiscounts: Map<number, number>;
  pointsUsed: number;
  pointsDiscountKopecks: number;
  availablePoints: number;
  requiredPoints: number;
  pointsEarned: number;
}

/**
 * Phase 2: coupon (CP-3 … CP-9) or points (PT-5), and the points this order would earn (PT-7).
 * placeOrder calls it with the member row locked, so the balance and usage counts it reads are the
 * ones the transaction will change; the limits are then enforced again by conditional UPDATEs.
 */
/** The member's balance and tier multiplier, as applyBenefits reads them. */
export interface MemberPoints {
  available_points_balance: number;
  points_multiplier: string | null;
}

export async function applyBenefits(
  db: Db,
  args: {
    memberId: number | null;
    body: QuoteBody;
    cart: PricedCart;
    lang: Lang;
    now: Date;
    /** Already read (placeOrder reads it with the row lock); otherwise read here. */
    memberPoints?: MemberPoints;
    /** Already read (placeOrder reads them with the member row); otherwise read here. */
    pointsSettings?: PointsSettings;
  },
): Promise<Benefits> {
  const { memberId, body, cart, lang, now } = args;
  const problems = cart.problems;
  const total = cart.subtotalKopecks + cart.deliveryFeeKopecks;
  const settings = args.pointsSettings ?? (await getPointsSettings(db));

  const member =
    memberId === null
      ? null
      : (args.memberPoints ??
        (await db
          .selectFrom('member as m')
          .leftJoin('member_group as g', 'g.id', 'm.group_id')
          .select(['m.available_points_balance', 'g.points_multiplier'])
          .where('m.id', '=', memberId)
          .executeTakeFirst()));
  const available = member?.available_points_balance ?? 0;
  const required = requiredPointsFor(total, settings.redeemPointsPerRub);

  const benefits: Benefits = {
    couponInstanceId: null,
    couponTemplateId: null,
    couponTemplateName: null,
    couponDiscountKopecks: 0,
    lineDiscounts: new Map(),
    pointsUsed: 0,
    pointsDiscountKopecks: 0,
    availablePoints: available,
    requiredPoints: required,
    pointsEarned: 0,
  };
  if (problems.some((p) => p.code === 'POINTS_COUPON_CONFLICT')) return benefits;

  if (body.coupon_instance_id != null && cart.lines.length > 0 && cart.store) {
    await applyCoupon(
      db,
      { memberId, instanceId: body.coupon_instance_id, cart, lang, now },
      benefits,
    );
  } else if (body.use_points) {
    if (memberId === null) {
      problem(problems, 'UNAUTHENTICATED');
    } else if (available < required) {
      problem(problems, 'INSUFFICIENT_POINTS', {
        required_points: required,
        available_points: available,
        payable_amount: toDecimal(total),
      });
    } else if (total > 0) {
      benefits.pointsUsed = required;
      benefits.pointsDiscountKopecks = total;
    }
  }

  if (benefits.pointsUsed === 0) {
    // PT-7: lines at special price and the delivery fee never earn
    const eligiblePaid = cart.lines
      .filter((l) => !l.isSpecialPrice)
      .reduce((s, l) => s + l.lineTotalKopecks - (benefits.lineDiscounts.get(l.lineNo) ?? 0), 0);
    const multiplier = hundredths(member?.points_multiplier ?? '1.00') ?? 100;
    benefits.pointsEarned = Math.floor(
      (eligiblePaid * settings.earnPerRubHundredths * multiplier) / 1_000_000,
    );
  }
  return benefits;
}

/** PT-5: ceil(total_kopecks × points_per_rub / 100), in integers. */
export function requiredPointsFor(totalKopecks: number, pointsPerRub: number): number {
  return Math.ceil((totalKopecks * pointsPerRub) / 100);
}

async function applyCoupon(
  db: Db,
  args: { memberId: number | null; instanceId: number; cart: PricedCart; lang: Lang; now: Date },
  benefits: Benefits,
): Promise<void> {
  const { cart, memberId, lang, now } = args;
  const problems = cart.problems;
  const row =
    memberId === null
      ? undefined
      : await db
          .selectFrom('coupon_instance as ci')
          .innerJoin('coupon_template as t', 't.id', 'ci.template_id')
          .select([
            'ci.id',
            'ci.member_id',
            'ci.status',
            'ci.adjusted_valid_until',
            't.id as template_id',
            't.name_ru',
            't.name_zh',
            't.name_en',
            't.type',
            't.discount_value',
            't.rule_json',
            't.scope_type',
            't.scope_category_ids',
            't.scope_product_ids',
            't.scope_store_ids',
            't.min_order_amount',
            't.max_discount_amount',
            't.max_usage_per_user',
            't.max_total_usage',
            't.current_usage_count',
            't.valid_from',
            't.valid_until',
            't.is_active',
            sql<number>`(
              select count(*)::int from coupon_instance u
              where u.template_id = t.id and u.member_id = ci.member_id and u.status = 'USED'
            )`.as('member_used'),
          ])
          .where('ci.id', '=', args.instanceId)
          .where('ci.member_id', '=', memberId)
          .executeTakeFirst();
  if (!row) {
    problem(problems, 'COUPON_NOT_FOUND', { coupon_instance_id: args.instanceId });
    return;
  }
  const engineLines: EngineCartLine[] = cart.lines.map((l) => ({
    lineNo: l.lineNo,
    productId: l.productId,
    categoryId: l.categoryId,
    unitPriceKopecks: l.unitPriceKopecks,
    optionsPriceKopecks: l.optionsPriceKopecks,
    quantity: l.quantity,
  }));
  const evaluation = evaluateCoupon({
    cart: { storeId: cart.store!.id, subtotalKopecks: cart.subtotalKopecks, lines: engineLines },
    template: engineTemplateFromRow(row),
    instance: engineInstanceFromRow(row),
    memberId,
    usage: { memberUsedCount: row.member_used, templateUsageCount: row.current_usage_count },
    now,
  });
  if (!evaluation.eligible) {
    problem(problems, evaluation.reason, evaluation.details);
    return;
  }
  benefits.couponInstanceId = row.id;
  benefits.couponTemplateId = row.template_id;
  benefits.couponTemplateName = localized(lang, row.name_ru, row.name_zh, row.name_en);
  benefits.couponDiscountKopecks = evaluation.discountKopecks;
  for (const l of evaluation.lines) benefits.lineDiscounts.set(l.lineNo, l.discountKopecks);
}

/** The quote (CK-6): both phases, nothing written, every problem listed. */
export async function quoteCheckout(
  db: Db,
  args: { memberId: number | null; body: QuoteBody; lang: Lang; now?: Date },
): Promise<CheckoutQuote> {
  const now = args.now ?? new Date();
  const cart = await priceCart(db, { ...args, now });
  const benefits = await applyBenefits(db, { ...args, cart, now });
  return toQuote(cart, benefits, args.body);
}

export function toQuote(cart: PricedCart, b: Benefits, body: QuoteBody): CheckoutQuote {
  const total = cart.subtotalKopecks + cart.deliveryFeeKopecks;
  const discount = b.couponDiscountKopecks + b.pointsDiscountKopecks;
  return {
    storeId: body.store_id,
    orderType: cart.orderType,
    lines: cart.lines.map((l) => ({
      lineNo: l.lineNo,
      productId: l.productId,
      sku: l.sku,
      name: l.name,
      unitPriceKopecks: l.unitPriceKopecks,
      optionsPriceKopecks: l.optionsPriceKopecks,
      quantity: l.quantity,
      lineTotalKopecks: l.lineTotalKopecks,
      discountKopecks: b.lineDiscounts.get(l.lineNo) ?? 0,
      isSpecialPrice: l.isSpecialPrice,
      options: l.options,
    })),
    subtotalKopecks: cart.subtotalKopecks,
    deliveryFeeKopecks: cart.deliveryFeeKopecks,
    totalKopecks: total,
    couponDiscountKopecks: b.couponDiscountKopecks,
    pointsDiscountKopecks: b.pointsDiscountKopecks,
    discountKopecks: discount,
    finalKopecks: total - discount,
    delivery: cart.delivery
      ? {
          zoneId: cart.delivery.zoneId,
          etaMinutes: cart.delivery.etaMinutes,
          minOrderKopecks: cart.delivery.minOrderKopecks,
        }
      : null,
    coupon:
      b.couponInstanceId !== null
        ? {
            instanceId: b.couponInstanceId,
            templateName: b.couponTemplateName ?? '',
            discountKopecks: b.couponDiscountKopecks,
          }
        : null,
    points: {
      availablePoints: b.availablePoints,
      requiredPoints: b.requiredPoints,
      usedPoints: b.pointsUsed,
    },
    pointsEarned: b.pointsEarned,
    problems: cart.problems,
  };
}
