/**
 * Writes the demo plan with bulk INSERTs inside the caller's transaction. Identity ids are read
 * back with RETURNING and matched on natural keys (never on row order), then used for foreign
 * keys and for the id-bearing keys the app derives (`ctea-<orderId>-create-<n>`, `order:<id>`,
 * `order_earn:<id>`, …).
 */
import { createHash } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { toDecimal } from '~/utils/money';
import { IIKO_DISCOUNT_TYPE_ID, IIKO_PAYMENT_TYPE_ID } from './catalog-data';
import type { DB } from '../types.generated';
import type { Catalog } from './plan-catalog';
import { ruleJson, type TemplatePlan } from './plan-coupons';
import type { JobPlan, PaymentPlan } from './plan-fate';
import {
  ALERT_CHAT_ID,
  orderNumber,
  type NotificationPlan,
  type ScheduledJobPlan,
} from './plan-ops';
import type { History, MemberGroupRow, OrderPlan } from './plan-orders';
import type { MemberPlan, StaffPlan } from './plan-people';
import type { ScansPlan } from './plan-scans';
import { DAY } from './time';

type Tx = Transaction<DB>;
type Table = keyof DB & string;
type Row<T extends Table> = Insertable<DB[T]>;

/** PostgreSQL accepts at most 65 535 bind parameters per statement. */
function chunkSize(row: object): number {
  return Math.max(1, Math.min(1_000, Math.floor(30_000 / Object.keys(row).length)));
}

async function insertAll<T extends Table>(trx: Tx, table: T, rows: Row<T>[]): Promise<void> {
  if (rows.length === 0) return;
  const size = chunkSize(rows[0] as object);
  const db = trx as unknown as Kysely<Record<string, Record<string, unknown>>>;
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as Record<string, unknown>[])
      .execute();
  }
}

/** Inserts and returns `id` with the given natural-key columns, in no particular order. */
async function insertReturning<T extends Table, K extends keyof DB[T] & string>(
  trx: Tx,
  table: T,
  rows: Row<T>[],
  keys: K[],
): Promise<({ id: number } & Record<K, unknown>)[]> {
  const out: ({ id: number } & Record<K, unknown>)[] = [];
  if (rows.length === 0) return out;
  const size = chunkSize(rows[0] as object);
  const db = trx as unknown as Kysely<Record<string, Record<string, unknown>>>;
  for (let i = 0; i < rows.length; i += size) {
    const got = await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as Record<string, unknown>[])
      .returning(['id', ...keys])
      .execute();
    out.push(...(got as ({ id: number } & Record<K, unknown>)[]));
  }
  return out;
}

function byKey<R extends { id: number }>(rows: R[], key: (r: R) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), r.id);
  return m;
}

function need<K>(map: Map<K, number>, key: K): number {
  const id = map.get(key);
  if (id === undefined) throw new Error(`seed: no id for ${String(key)}`);
  return id;
}

const ts = (ms: number) => new Date(ms);
const tsOrNull = (ms: number | null) => (ms === null ? null : new Date(ms));
const money = (k: number) => toDecimal(k);
const moneyOrNull = (k: number | null) => (k === null ? null : toDecimal(k));
const coord = (v: number) => v.toFixed(7);
const maskPhone = (p: string) => `${p.slice(0, 5)}***${p.slice(-4)}`;

export interface SeedPlan {
  now: number;
  staff: StaffPlan[];
  passwordHashes: Map<string, string>;
  catalog: Catalog;
  members: MemberPlan[];
  groups: MemberGroupRow[];
  templates: TemplatePlan[];
  history: History;
  scans: ScansPlan;
  scheduledJobs: ScheduledJobPlan[];
  notifications: NotificationPlan[];
  scanKeyHash: { storeCode: string; hash: string } | null;
  orderPushJobs: { orderIdx: number; job: JobPlan }[];
}

export type SeedCounts = Record<string, number>;

export async function writePlan(trx: Tx, plan: SeedPlan): Promise<SeedCounts> {
  const { now, catalog, members, history, templates, scans } = plan;
  const counts: SeedCounts = {};
  const count = (table: string, n: number) => (counts[table] = (counts[table] ?? 0) + n);

  // Staff.
  const users = await insertReturning(
    trx,
    'users',
    plan.staff.map((s) => ({
      email: s.email,
      password_hash: passwordHash(plan, s.key),
      display_name: s.displayName,
      role: s.role,
      last_login_at: tsOrNull(s.lastLoginAt),
      created_at: ts(s.createdAt),
      updated_at: ts(s.lastLoginAt ?? s.createdAt),
    })),
    ['email'],
  );
  const userByEmail = byKey(users, (u) => String(u.email));
  const staffId = (key: string) =>
    need(userByEmail, (plan.staff.find((s) => s.key === key) as StaffPlan).email);
  const staffIdOrNull = (key: string | null) => (key === null ? null : staffId(key));
  count('users', users.length);

  // Stores and their zones.
  const stores = await insertReturning(
    trx,
    'store',
    catalog.stores.map((s) => ({
      code: s.seed.code,
      name_ru: s.seed.name.ru,
      name_zh: s.seed.name.zh,
      name_en: s.seed.name.en,
      address_ru: s.seed.address,
      city: 'Москва',
      latitude: coord(s.seed.lat),
      longitude: coord(s.seed.lng),
      phone: s.seed.phone,
      timezone: 'Europe/Moscow',
      opening_hours: JSON.stringify(s.seed.hours),
      pickup_enabled: s.seed.pickup,
      delivery_enabled: s.seed.delivery,
      iiko_terminal_group_id: s.terminalGroupId,
      telegram_chat_id: s.seed.telegramChatId,
      scan_api_key_hash: plan.scanKeyHash?.storeCode === s.seed.code ? plan.scanKeyHash.hash : null,
      created_at: ts(now - 150 * DAY + s.idx * 20 * DAY),
      updated_at: ts(now - 30 * DAY),
    })),
    ['code'],
  );
  const storeByCode = byKey(stores, (s) => String(s.code));
  const storeId = catalog.stores.map((s) => need(storeByCode, s.seed.code));
  count('store', stores.length);

  await insertAll(
    trx,
    'store_staff',
    plan.staff.flatMap((s) =>
      s.storeCodes.map((code) => ({
        user_id: staffId(s.key),
        store_id: need(storeByCode, code),
        created_at: ts(s.createdAt),
        updated_at: ts(s.createdAt),
      })),
    ),
  );
  await insertAll(
    trx,
    'user_preference',
    plan.staff.map((s) => ({
      user_id: staffId(s.key),
      language: s.language,
      created_at: ts(s.createdAt),
      updated_at: ts(s.createdAt),
    })),
  );

  const zones = await insertReturning(
    trx,
    'delivery_zone',
    catalog.zones.map((z) => ({
      store_id: storeId[z.storeIdx] as number,
      name_ru: z.seed.name.ru,
      name_zh: z.seed.name.zh,
      name_en: z.seed.name.en,
      polygon: JSON.stringify(z.polygon),
      fee: money(z.seed.fee),
      min_order_amount: money(z.seed.minOrder),
      eta_minutes: z.seed.eta,
      created_at: ts(now - 120 * DAY),
      updated_at: ts(now - 120 * DAY),
    })),
    ['store_id', 'name_ru'],
  );
  const zoneByKey = byKey(zones, (z) => `${z.store_id}:${z.name_ru}`);
  const zoneId = catalog.zones.map((z) =>
    need(zoneByKey, `${storeId[z.storeIdx]}:${z.seed.name.ru}`),
  );
  count('delivery_zone', zones.length);

  // Catalogue.
  const catalogAt = ts(now - 140 * DAY);
  const categories = await insertReturning(
    trx,
    'category',
    catalog.categories.map((c) => ({
      code: c.seed.code,
      name_ru: c.seed.name.ru,
      name_zh: c.seed.name.zh,
      name_en: c.seed.name.en,
      sort_order: (c.idx + 1) * 10,
      iiko_group_id: c.iikoGroupId,
      created_at: catalogAt,
      updated_at: catalogAt,
    })),
    ['code'],
  );
  const categoryByCode = byKey(categories, (c) => String(c.code));
  const categoryId = catalog.categories.map((c) => need(categoryByCode, c.seed.code));

  const lastImport = now - DAY;
  const products = await insertReturning(
    trx,
    'product',
    catalog.products.map((p) => {
      const override = catalog.manualOverride.productIdx === p.idx;
      return {
        sku: p.seed.sku,
        category_id: categoryId[p.categoryIdx] as number,
        name_ru: p.seed.name.ru,
        name_zh: p.seed.name.zh,
        name_en: p.seed.name.en,
        description_ru: p.seed.description.ru,
        description_zh: p.seed.description.zh,
        description_en: p.seed.description.en,
        base_price: money(p.seed.price),
        is_active: p.seed.retiredDaysAgo === undefined,
        is_special_price: Boolean(p.seed.special),
        is_manual_override: override,
        iiko_product_id: p.iikoProductId,
        iiko_price: money(override ? catalog.manualOverride.iikoPrice : p.seed.price),
        iiko_name: override ? catalog.manualOverride.iikoName : p.seed.name.ru,
        iiko_last_sync_at: ts(lastImport),
        sort_order: (p.idx + 1) * 10,
        created_at: catalogAt,
        updated_at: ts(override ? now - 12 * DAY : lastImport),
      };
    }),
    ['sku'],
  );
  const productBySku = byKey(products, (p) => String(p.sku));
  const productId = catalog.products.map((p) => need(productBySku, p.seed.sku));
  count('product', products.length);

  const groups = await insertReturning(
    trx,
    'option_group',
    catalog.groups.map((g) => ({
      code: g.seed.code,
      name_ru: g.seed.name.ru,
      name_zh: g.seed.name.zh,
      name_en: g.seed.name.en,
      group_type: g.seed.code,
      // option_group_business_rule: TEMPERATURE/ICE/SUGAR required single, TOPPING optional multi.
      is_required: g.seed.code !== 'TOPPING',
      selection_type: g.seed.code === 'TOPPING' ? 'MULTI' : 'SINGLE',
      sort_order: (g.idx + 1) * 10,
      iiko_group_id: g.iikoGroupId,
      created_at: catalogAt,
      updated_at: catalogAt,
    })),
    ['code'],
  );
  const groupByCode = byKey(groups, (g) => String(g.code));
  const groupId = catalog.groups.map((g) => need(groupByCode, g.seed.code));

  const items = await insertReturning(
    trx,
    'option_item',
    catalog.items.map((i) => ({
      group_id: groupId[i.groupIdx] as number,
      code: i.seed.code,
      name_ru: i.seed.name.ru,
      name_zh: i.seed.name.zh,
      name_en: i.seed.name.en,
      price_delta: money(i.seed.price),
      sort_order: ((catalog.groups[i.groupIdx]?.items.indexOf(i) ?? 0) + 1) * 10,
      iiko_modifier_id: i.iikoModifierId,
      created_at: catalogAt,
      updated_at: catalogAt,
    })),
    ['group_id', 'code'],
  );
  const itemByKey = byKey(items, (i) => `${i.group_id}:${i.code}`);
  const itemId = catalog.items.map((i) => need(itemByKey, `${groupId[i.groupIdx]}:${i.seed.code}`));

  await insertAll(
    trx,
    'product_option_group',
    catalog.products.flatMap((p) =>
      p.groups.map((g, i) => ({
        product_id: productId[p.idx] as number,
        group_id: groupId[g.groupIdx] as number,
        default_item_id: g.defaultItemIdx === null ? null : (itemId[g.defaultItemIdx] as number),
        sort_order: (i + 1) * 10,
        created_at: catalogAt,
        updated_at: catalogAt,
      })),
    ),
  );
  await insertAll(
    trx,
    'product_option_item',
    catalog.productOptionItems.map((o) => ({
      product_id: productId[o.productIdx] as number,
      item_id: itemId[o.itemIdx] as number,
      price_delta_override: moneyOrNull(o.price),
      is_available_override: o.available,
      created_at: catalogAt,
      updated_at: catalogAt,
    })),
  );
  await insertAll(
    trx,
    'store_product',
    catalog.storeProducts.map((sp) => ({
      store_id: storeId[sp.storeIdx] as number,
      product_id: productId[sp.productIdx] as number,
      price_override: moneyOrNull(sp.price),
      is_active: sp.active,
      stock_status: sp.stock,
      stock_status_source: sp.source,
      is_special_price: sp.special,
      created_at: catalogAt,
      updated_at: ts(sp.stock === 'IN_STOCK' && sp.active ? catalogAt.getTime() : now - 2 * DAY),
    })),
  );
  count('store_product', catalog.storeProducts.length);

  // Members.
  const lastLedgerAt = new Map<number, number>();
  for (const l of history.ledger)
    lastLedgerAt.set(l.memberIdx, Math.max(lastLedgerAt.get(l.memberIdx) ?? 0, l.createdAt));
  const memberRows = await insertReturning(
    trx,
    'member',
    members.map((m) => {
      const lastLogin = m.lastActivityAt > m.createdAt ? m.lastActivityAt : m.createdAt;
      return {
        phone: m.phone,
        display_name: m.displayName,
        group_id: (plan.groups[m.groupIdx] as MemberGroupRow).id,
        available_points_balance: m.balance,
        total_points_earned: m.totalEarned,
        phone_verified_at: ts(m.createdAt),
        birthday: m.birthday,
        last_login_at: ts(lastLogin),
        is_active: m.isActive,
        created_at: ts(m.createdAt),
        updated_at: ts(Math.max(lastLogin, lastLedgerAt.get(m.idx) ?? 0)),
      };
    }),
    ['phone'],
  );
  const memberByPhone = byKey(memberRows, (m) => String(m.phone));
  const memberId = members.map((m) => need(memberByPhone, m.phone));
  count('member', memberRows.length);

  const addresses = members.flatMap((m) => m.addresses);
  const addressRows = await insertReturning(
    trx,
    'delivery_address',
    addresses.map((a) => ({
      member_id: memberId[a.memberIdx] as number,
      label: a.label,
      address_line: `Москва, ${a.line}`,
      apartment: a.apartment,
      entrance: a.entrance,
      floor: a.floor,
      intercom: a.intercom,
      latitude: coord(a.point[0]),
      longitude: coord(a.point[1]),
      is_default: a.isDefault,
      created_at: ts(a.createdAt),
      updated_at: ts(a.createdAt),
    })),
    ['member_id', 'label'],
  );
  const addressByKey = byKey(addressRows, (a) => `${a.member_id}:${a.label}`);
  count('delivery_address', addressRows.length);

  const telegram = members.filter((m) => m.telegram !== null);
  await insertAll(
    trx,
    'telegram_user',
    telegram.map((m) => {
      const t = m.telegram!;
      return {
        telegram_id: t.telegramId,
        chat_id: t.telegramId,
        username: t.username,
        first_name: t.firstName,
        language_code: t.languageCode,
        member_id: t.linkedAt === null ? null : (memberId[m.idx] as number),
        linked_at: tsOrNull(t.linkedAt),
        is_blocked: t.isBlocked,
        created_at: ts(t.createdAt),
        updated_at: ts(t.linkedAt ?? t.createdAt),
      };
    }),
  );
  count('telegram_user', telegram.length);
  const withPrefs = members.filter(
    (m) => m.language !== null || m.telegram?.linkedAt != null || m.addresses.length > 0,
  );
  await insertAll(
    trx,
    'user_preference',
    withPrefs.map((m) => ({
      member_id: memberId[m.idx] as number,
      language: m.language ?? 'ru',
      notify_order_status: true,
      default_store_id: storeId[m.homeStore] as number,
      default_order_type: m.addresses.length > 0 ? 'DELIVERY' : 'PICKUP',
      created_at: ts(m.createdAt),
      updated_at: ts(m.createdAt),
    })),
  );
  count('user_preference', withPrefs.length + plan.staff.length);

  // Campaign, influencers, codes (counters already computed from the scan rows).
  const adminId = staffId('admin');
  const campaignRows = await insertReturning(
    trx,
    'campaign',
    [
      {
        code: scans.campaign.code,
        name_ru: scans.campaign.name.ru,
        name_zh: scans.campaign.name.zh,
        name_en: scans.campaign.name.en,
        description: scans.campaign.description,
        type: 'INFLUENCER',
        status: 'ACTIVE',
        start_at: ts(scans.campaign.startAt),
        end_at: ts(scans.campaign.endAt),
        code_letter: scans.campaign.letter,
        budget_amount: money(scans.campaign.budget),
        created_at: ts(scans.campaign.createdAt),
        updated_at: ts(scans.campaign.startAt),
      },
    ],
    ['code'],
  );
  const campaignId = (campaignRows[0] as { id: number }).id;
  const influencerRows = await insertReturning(
    trx,
    'influencer',
    scans.influencers.map((i) => ({
      name: i.name,
      phone: i.phone,
      email: i.email,
      social_platform: i.platform,
      social_handle: i.handle,
      follower_count: i.followers,
      commission_rate: i.commissionRate,
      notes: i.notes,
      created_at: ts(i.createdAt),
      updated_at: ts(i.createdAt),
    })),
    ['name'],
  );
  const influencerByName = byKey(influencerRows, (r) => String(r.name));
  const codeRows = await insertReturning(
    trx,
    'campaign_code',
    scans.codes.map((c) => ({
      campaign_id: campaignId,
      influencer_id: need(
        influencerByName,
        (scans.influencers[c.influencerIdx] as { name: string }).name,
      ),
      code: c.code,
      scan_count: c.scanCount,
      order_count: c.orderCount,
      total_gmv: money(c.totalGmv),
      created_at: ts(c.createdAt),
      updated_at: ts(c.updatedAt),
    })),
    ['code'],
  );
  const codeByCode = byKey(codeRows, (r) => String(r.code));
  const codeId = scans.codes.map((c) => need(codeByCode, c.code));

  // Coupons: instances first as UNUSED (the order needs the instance id; USED needs the order id).
  const templateRows = await insertReturning(
    trx,
    'coupon_template',
    templates.map((t) => ({
      code: t.code,
      name_ru: t.name.ru,
      name_zh: t.name.zh,
      name_en: t.name.en,
      description_ru: t.description.ru,
      description_zh: t.description.zh,
      description_en: t.description.en,
      type: t.type,
      discount_value:
        t.discountValue === null
          ? null
          : t.type === 'SIMPLE_FIXED'
            ? money(t.discountValue)
            : `${t.discountValue}.00`,
      rule_json: t.rule ? JSON.stringify(ruleJson(t, productId, categoryId)) : null,
      scope_type: t.scope.type,
      scope_category_ids:
        t.scope.type === 'CATEGORIES'
          ? t.scope.categoryIdx.map((i) => categoryId[i] as number)
          : null,
      scope_product_ids:
        t.scope.type === 'PRODUCTS' ? t.scope.productIdx.map((i) => productId[i] as number) : null,
      scope_store_ids: t.storeIdx === null ? null : t.storeIdx.map((i) => storeId[i] as number),
      min_order_amount: moneyOrNull(t.minOrder),
      max_discount_amount: moneyOrNull(t.maxDiscount),
      max_usage_per_user: t.maxPerUser,
      max_total_usage: t.maxTotal,
      current_usage_count: t.usage,
      valid_from: ts(t.validFrom),
      valid_until: ts(t.validUntil),
      is_active: true,
      created_by: adminId,
      created_at: ts(t.createdAt),
      updated_at: ts(t.createdAt),
    })),
    ['code'],
  );
  const templateByCode = byKey(templateRows, (r) => String(r.code));
  const templateId = templates.map((t) => need(templateByCode, t.code));

  const instanceRows = await insertReturning(
    trx,
    'coupon_instance',
    history.instances.map((i) => ({
      template_id: templateId[i.templateIdx] as number,
      member_id: memberId[i.memberIdx] as number,
      status: i.status === 'USED' ? 'UNUSED' : i.status,
      source_type: i.sourceType,
      source_ref: i.sourceRef,
      tags: i.tags,
      adjusted_valid_until: tsOrNull(i.adjustedValidUntil),
      created_at: ts(i.createdAt),
      updated_at: ts(i.updatedAt),
    })),
    ['template_id', 'member_id'],
  );
  const instanceByKey = byKey(instanceRows, (r) => `${r.template_id}:${r.member_id}`);
  const instanceId = history.instances.map((i) =>
    need(instanceByKey, `${templateId[i.templateIdx]}:${memberId[i.memberIdx]}`),
  );
  count('coupon_template', templateRows.length);
  count('coupon_instance', instanceRows.length);

  // Orders.
  const orders = history.orders;
  const orderRows = await insertReturning(
    trx,
    'order',
    orders.map((o) => orderRow(o)),
    ['order_number'],
  );
  const orderByNumber = byKey(orderRows, (r) => String(r.order_number));
  const orderId = orders.map((o) => need(orderByNumber, orderNumber(o)));
  count('order', orderRows.length);

  function orderRow(o: OrderPlan): Row<'order'> {
    const m = members[o.memberIdx] as MemberPlan;
    const tl = o.tl;
    const a = o.address;
    const addressText = a
      ? [
          `Москва, ${a.line}`,
          a.apartment && `кв. ${a.apartment}`,
          a.entrance && `подъезд ${a.entrance}`,
          a.floor && `этаж ${a.floor}`,
        ]
          .filter(Boolean)
          .join(', ')
      : null;
    return {
      order_number: orderNumber(o),
      order_prefix: 'P',
      local_date: o.localDate,
      order_type: o.type,
      status: tl.status,
      member_id: memberId[o.memberIdx] as number,
      store_id: storeId[o.storeIdx] as number,
      public_token: o.publicToken,
      customer_name: m.displayName,
      customer_phone: m.phone,
      subtotal_amount: money(o.subtotal),
      delivery_fee: money(o.fee),
      total_amount: money(o.total),
      discount_amount: money(o.discount),
      final_amount: money(o.final),
      points_used: o.pointsUsed,
      points_discount: money(o.pointsDiscount),
      coupon_instance_id:
        o.couponInstanceIdx === null ? null : (instanceId[o.couponInstanceIdx] as number),
      coupon_discount: money(o.couponDiscount),
      points_earned: o.pointsEarned,
      payment_method: o.paymentMethod,
      payment_status: tl.paymentStatus,
      payment_provider: o.final > 0 ? 'YOOKASSA' : null,
      delivery_address_id: a ? need(addressByKey, `${memberId[a.memberIdx]}:${a.label}`) : null,
      delivery_address: addressText,
      delivery_note: o.deliveryNote,
      delivery_latitude: a ? coord(a.point[0]) : null,
      delivery_longitude: a ? coord(a.point[1]) : null,
      delivery_zone_id: o.zoneIdx === null ? null : (zoneId[o.zoneIdx] as number),
      delivery_eta_minutes:
        o.zoneIdx === null
          ? null
          : (catalog.zones[o.zoneIdx] as { seed: { eta: number } }).seed.eta,
      iiko_order_id: o.iikoOrderId,
      iiko_sync_status: tl.iikoSyncStatus,
      iiko_synced_at: tsOrNull(tl.iikoSyncedAt),
      campaign_code_id: o.campaignCodeIdx === null ? null : (codeId[o.campaignCodeIdx] as number),
      cancel_reason: tl.cancelReason,
      confirmed_at: tsOrNull(tl.confirmedAt),
      completed_at: tsOrNull(tl.completedAt),
      cancelled_at: tsOrNull(tl.cancelledAt),
      refunded_at: tsOrNull(tl.refundedAt),
      created_at: ts(o.createdAt),
      updated_at: ts(tl.updatedAt),
    };
  }

  const itemRows = await insertReturning(
    trx,
    'order_item',
    orders.flatMap((o) =>
      o.lines.map((l) => ({
        order_id: orderId[o.idx] as number,
        product_id: productId[l.productIdx] as number,
        line_no: l.lineNo,
        sku: l.sku,
        product_name_ru: l.nameRu,
        product_name_zh: l.nameZh,
        unit_price: money(l.unitPrice),
        options_price: money(l.optionsPrice),
        quantity: l.quantity,
        line_total: money(l.lineTotal),
        discount_amount: money(l.discount),
        is_special_price: l.isSpecial,
        iiko_product_id: l.iikoProductId,
        position_id: l.positionId,
        created_at: ts(o.createdAt),
        updated_at: ts(o.createdAt),
      })),
    ),
    ['order_id', 'line_no'],
  );
  const itemByKey2 = byKey(itemRows, (r) => `${r.order_id}:${r.line_no}`);
  count('order_item', itemRows.length);

  const optionRows: Row<'order_item_option'>[] = [];
  for (const o of orders) {
    for (const l of o.lines) {
      const orderItemId = need(itemByKey2, `${orderId[o.idx]}:${l.lineNo}`);
      for (const opt of l.options) {
        const item = catalog.items[opt.itemIdx]!;
        const group = catalog.groups[item.groupIdx]!;
        optionRows.push({
          order_item_id: orderItemId,
          option_item_id: itemId[opt.itemIdx] as number,
          group_code: group.seed.code,
          group_name_ru: group.seed.name.ru,
          item_code: item.seed.code,
          item_name_ru: item.seed.name.ru,
          item_name_zh: item.seed.name.zh,
          price_delta: money(opt.price),
          iiko_modifier_id: item.iikoModifierId,
          iiko_group_id: group.iikoGroupId,
          created_at: ts(o.createdAt),
          updated_at: ts(o.createdAt),
        });
      }
    }
  }
  await insertAll(trx, 'order_item_option', optionRows);
  count('order_item_option', optionRows.length);

  // ON-3: the counter holds the last number handed out per prefix and date.
  const counters = new Map<string, { last: number; first: number; latest: number }>();
  for (const o of orders) {
    const c = counters.get(o.localDate);
    if (!c) counters.set(o.localDate, { last: o.seq, first: o.createdAt, latest: o.createdAt });
    else {
      c.last = Math.max(c.last, o.seq);
      c.latest = Math.max(c.latest, o.createdAt);
    }
  }
  await insertAll(
    trx,
    'order_number_counter',
    [...counters].map(([date, c]) => ({
      prefix: 'P',
      local_date: date,
      last_value: c.last,
      created_at: ts(c.first),
      updated_at: ts(c.latest),
    })),
  );
  count('order_number_counter', counters.size);

  // CP-11: redemption, now that the orders exist.
  const used = history.instances.filter((i) => i.status === 'USED');
  for (let i = 0; i < used.length; i += 500) {
    const values = used
      .slice(i, i + 500)
      .map(
        (u) =>
          sql`(${instanceId[u.idx]}::int, ${orderId[u.usedOrderIdx as number]}::int, ${ts(u.usedAt as number)}::timestamptz, ${ts(u.updatedAt)}::timestamptz)`,
      );
    await sql`
      UPDATE coupon_instance AS ci
      SET status = 'USED', used_order_id = v.order_id, used_at = v.used_at, updated_at = v.updated_at
      FROM (VALUES ${sql.join(values)}) AS v(id, order_id, used_at, updated_at)
      WHERE ci.id = v.id
    `.execute(trx);
  }

  await insertAll(
    trx,
    'coupon_audit_log',
    history.couponAudits.map((a) => ({
      coupon_instance_id: instanceId[a.instanceIdx] as number,
      action: a.action,
      from_status: a.from,
      to_status: a.to,
      old_value: a.oldValue === null ? null : JSON.stringify(a.oldValue),
      new_value: a.newValue === null ? null : JSON.stringify(a.newValue),
      actor_type: a.actorType,
      actor_user_id: staffIdOrNull(a.actorStaffKey),
      order_id: a.orderIdx === null ? null : (orderId[a.orderIdx] as number),
      reason: a.reason,
      created_at: ts(a.createdAt),
    })),
  );
  count('coupon_audit_log', history.couponAudits.length);

  // Points ledger, in the order the simulation posted it (PT-10: the last row is the balance).
  await insertAll(
    trx,
    'member_points_history',
    history.ledger.map((l) => ({
      member_id: memberId[l.memberIdx] as number,
      delta: l.delta,
      balance_after: l.balanceAfter,
      reason: l.reason,
      idempotency_key:
        l.orderIdx === null ? l.key : l.key.replace('{order}', String(orderId[l.orderIdx])),
      order_id: l.orderIdx === null ? null : (orderId[l.orderIdx] as number),
      actor_user_id: staffIdOrNull(l.actorStaffKey),
      description: l.description,
      created_at: ts(l.createdAt),
    })),
  );
  count('member_points_history', history.ledger.length);

  // Payments: PAYMENT attempts, then REFUND rows pointing at the captured attempt.
  const paymentRow = (
    o: OrderPlan,
    p: PaymentPlan,
    parentId: number | null,
  ): Row<'payment_transaction'> => {
    const id = orderId[o.idx] as number;
    const op = p.kind === 'PAYMENT' ? 'create' : 'refund';
    return {
      order_id: id,
      store_id: storeId[o.storeIdx] as number,
      kind: p.kind,
      provider: 'YOOKASSA',
      attempt_no: p.attemptNo,
      parent_id: parentId,
      provider_payment_id: p.providerPaymentId,
      idempotence_key: `ctea-${id}-${op}-${p.attemptNo}`,
      status: p.status,
      amount: money(p.amount),
      currency: 'RUB',
      confirmation_url: p.confirmationUrl,
      failure_code: p.failureCode,
      failure_party: p.failureParty,
      failure_reason: p.failureReason,
      authorized_at: tsOrNull(p.authorizedAt),
      captured_at: tsOrNull(p.capturedAt),
      canceled_at: tsOrNull(p.canceledAt),
      failed_at: tsOrNull(p.failedAt),
      last_provider_payload: p.providerPaymentId
        ? JSON.stringify(providerPayload(o, id, p, parentPaymentId(o, p)))
        : null,
      created_at: ts(p.createdAt),
      updated_at: ts(p.updatedAt),
    };
  };
  const parentPaymentId = (o: OrderPlan, p: PaymentPlan) =>
    p.kind === 'REFUND'
      ? (o.tl.payments.find((x) => x.kind === 'PAYMENT' && x.attemptNo === p.parentAttemptNo)
          ?.providerPaymentId ?? null)
      : null;
  const paymentRows = await insertReturning(
    trx,
    'payment_transaction',
    orders.flatMap((o) =>
      o.tl.payments.filter((p) => p.kind === 'PAYMENT').map((p) => paymentRow(o, p, null)),
    ),
    ['idempotence_key'],
  );
  const paymentByKey = byKey(paymentRows, (r) => String(r.idempotence_key));
  const refundRows = orders.flatMap((o) =>
    o.tl.payments
      .filter((p) => p.kind === 'REFUND')
      .map((p) =>
        paymentRow(o, p, need(paymentByKey, `ctea-${orderId[o.idx]}-create-${p.parentAttemptNo}`)),
      ),
  );
  await insertAll(trx, 'payment_transaction', refundRows);
  count('payment_transaction', paymentRows.length + refundRows.length);

  // iiko jobs and their attempt logs.
  const org = catalog.organizationId;
  const orderJobs = plan.orderPushJobs.map(({ orderIdx, job }) => ({
    job,
    resource: `order:${orderId[orderIdx]}`,
    orderIdx,
  }));
  let revision = 18_240;
  const menuRevisionAt = new Map<ScheduledJobPlan, number>();
  for (const j of plan.scheduledJobs
    .filter((x) => x.jobType === 'MENU_IMPORT')
    .sort((a, b) => a.createdAt - b.createdAt)) {
    menuRevisionAt.set(j, revision);
    if (j.meta.revisionTo) revision = j.meta.revisionTo;
  }
  const scheduled = plan.scheduledJobs.map((job) => ({
    job,
    resource:
      job.resource.kind === 'org' ? `org:${org}` : `store:${storeId[job.resource.storeIdx]}`,
    orderIdx: null as number | null,
  }));
  const allJobs = [...orderJobs, ...scheduled];
  const jobRows = await insertReturning(
    trx,
    'iiko_sync_job',
    allJobs.map(({ job, resource, orderIdx }) => ({
      job_type: job.jobType,
      resource_id: resource,
      status: job.status,
      priority: job.priority,
      payload: JSON.stringify(
        orderIdx !== null
          ? { order_id: orderId[orderIdx] }
          : job.jobType === 'MENU_IMPORT'
            ? { organization_id: org }
            : {},
      ),
      result: job.status === 'COMPLETED' ? JSON.stringify(jobResult(job, orderIdx)) : null,
      attempt_count: job.attemptCount,
      max_attempts: job.maxAttempts,
      next_run_at: ts(job.nextRunAt),
      started_at: tsOrNull(job.startedAt),
      finished_at: tsOrNull(job.finishedAt),
      last_error: job.lastError,
      created_at: ts(job.createdAt),
      updated_at: ts(job.updatedAt),
    })),
    ['resource_id', 'created_at'],
  );
  const jobByKey = byKey(jobRows, (r) => `${r.resource_id}@${(r.created_at as Date).getTime()}`);
  count('iiko_sync_job', jobRows.length);

  function jobResult(job: JobPlan, orderIdx: number | null): Record<string, unknown> {
    switch (job.resultKind) {
      case 'order_push':
        return {
          iiko_order_id: orders[orderIdx as number]!.iikoOrderId,
          creation_status: 'Success',
          correlation_id: job.logs[job.logs.length - 1]!.correlationId,
        };
      case 'menu_unchanged':
        return { unchanged: true };
      case 'menu_import': {
        const m = job.meta as Record<string, number>;
        const p = catalog.products[catalog.manualOverride.productIdx]!;
        const conflictItems =
          (m.conflicts ?? 0) > 0
            ? [
                {
                  product_id: productId[p.idx],
                  field: 'base_price',
                  local: money(p.seed.price),
                  iiko: money(catalog.manualOverride.iikoPrice),
                },
                {
                  product_id: productId[p.idx],
                  field: 'name_ru',
                  local: p.seed.name.ru,
                  iiko: catalog.manualOverride.iikoName,
                },
              ]
            : [];
        return {
          revision_from: m.revisionFrom,
          revision_to: m.revisionTo,
          created: 0,
          updated: m.updated,
          unchanged: m.unchanged,
          deactivated: 0,
          skipped: 0,
          conflicts: m.conflicts,
          conflict_items: conflictItems,
        };
      }
      case 'stop_list': {
        const m = job.meta as Record<string, number>;
        return { items: m.items, out_of_stock: m.outOfStock, low_stock: m.lowStock, restored: 0 };
      }
      default:
        return {};
    }
  }

  const logRows: Row<'iiko_sync_log'>[] = [];
  for (const { job, resource, orderIdx } of allJobs) {
    const jobId = need(jobByKey, `${resource}@${job.createdAt}`);
    for (const log of job.logs) {
      let request: string;
      let response: string;
      if (orderIdx !== null) {
        const o = orders[orderIdx]!;
        const store = catalog.stores[o.storeIdx]!;
        request = `POST /api/1/deliveries/create {"organizationId":"${org}","terminalGroupId":"${store.terminalGroupId}","order":{"id":"${o.iikoOrderId}","externalNumber":"${orderNumber(o)}","phone":"${maskPhone(members[o.memberIdx]!.phone)}","orderServiceType":"${o.type === 'DELIVERY' ? 'DeliveryByCourier' : 'DeliveryByClient'}","items":${o.lines.length},"sum":${money(o.final)}}}`;
        response = log.success
          ? `{"correlationId":"${log.correlationId}","orderInfo":{"id":"${o.iikoOrderId}","creationStatus":"Success"}}`
          : log.httpStatus === null
            ? ''
            : `{"correlationId":"${log.correlationId}","errorDescription":"${log.errorMessage}","error":"${log.errorCode}"}`;
      } else if (job.jobType === 'MENU_IMPORT') {
        request = `POST /api/1/nomenclature {"organizationId":"${org}","startRevision":${menuRevisionAt.get(job as ScheduledJobPlan) ?? 0}}`;
        response = log.success
          ? `{"correlationId":"${log.correlationId}","revision":${job.meta.revisionTo ?? menuRevisionAt.get(job as ScheduledJobPlan) ?? 0},"products":"[${job.meta.revisionTo ? catalog.products.length : 0} items]"}`
          : log.httpStatus === null
            ? ''
            : `{"errorDescription":"${log.errorMessage}"}`;
      } else {
        const storeIdx =
          (job as ScheduledJobPlan).resource.kind === 'store'
            ? ((job as ScheduledJobPlan).resource as { storeIdx: number }).storeIdx
            : 0;
        request = `POST /api/1/stop_lists {"organizationIds":["${org}"],"terminalGroupsIds":["${catalog.stores[storeIdx]!.terminalGroupId}"]}`;
        response = log.success
          ? `{"correlationId":"${log.correlationId}","terminalGroupStopLists":"[${job.meta.items ?? 0} items]"}`
          : log.httpStatus === null
            ? ''
            : `{"errorDescription":"${log.errorMessage}"}`;
      }
      logRows.push({
        job_id: jobId,
        attempt_number: log.attempt,
        started_at: ts(log.startedAt),
        finished_at: ts(log.finishedAt),
        duration_ms: log.durationMs,
        success: log.success,
        http_status: log.httpStatus,
        error_code: log.errorCode,
        error_message: log.errorMessage,
        request_summary: request,
        response_summary: response || null,
        iiko_correlation_id: log.correlationId,
        created_at: ts(log.finishedAt),
      });
    }
  }
  await insertAll(trx, 'iiko_sync_log', logRows);
  count('iiko_sync_log', logRows.length);

  // Offline scans.
  await insertAll(
    trx,
    'offline_scan_log',
    scans.scans.map((s) => ({
      client_event_id: s.clientEventId,
      campaign_code_id: codeId[s.codeIdx] as number,
      store_id: storeId[s.storeIdx] as number,
      scanned_by: s.scannedBy,
      scan_type: s.scanType,
      scanned_at: ts(s.scannedAt),
      order_id: s.orderIdx === null ? null : (orderId[s.orderIdx] as number),
      order_amount: moneyOrNull(s.orderAmount),
      matched: s.orderIdx !== null,
      matched_at: tsOrNull(s.matchedAt),
      match_method: s.matchMethod,
      matched_by_user_id: staffIdOrNull(s.matchedByStaffKey),
      dup_count: s.dupCount,
      last_dup_at: tsOrNull(s.lastDupAt),
      reversed_at: tsOrNull(s.reversedAt),
      created_at: ts(s.receivedAt),
      updated_at: ts(s.updatedAt),
    })),
  );
  count('offline_scan_log', scans.scans.length);
  count('campaign', 1);
  count('influencer', influencerRows.length);
  count('campaign_code', codeRows.length);

  // Telegram outbox.
  await insertAll(
    trx,
    'notification',
    plan.notifications.map((n) => ({
      channel: 'TELEGRAM',
      recipient_type: n.recipientType,
      chat_id: n.chatId,
      member_id: n.memberIdx === null ? null : (memberId[n.memberIdx] as number),
      store_id: n.storeIdx === null ? null : (storeId[n.storeIdx] as number),
      order_id: n.orderIdx === null ? null : (orderId[n.orderIdx] as number),
      type: n.type,
      dedupe_key:
        n.orderIdx === null
          ? n.dedupeKey
          : n.dedupeKey.replace('{order}', String(orderId[n.orderIdx])),
      text: n.text,
      status: n.status,
      attempts: n.attempts,
      max_attempts: 5,
      next_attempt_at: ts(n.createdAt),
      sent_at: tsOrNull(n.sentAt),
      provider_message_id: n.providerMessageId,
      last_error: n.lastError,
      created_at: ts(n.createdAt),
      updated_at: ts(n.sentAt ?? n.createdAt + 1_000),
    })),
  );
  count('notification', plan.notifications.length);

  // Audit trail of the staff actions the history implies (RB-4).
  const entityId = (e: History['audits'][number]['entity']): [string, string] => {
    switch (e.kind) {
      case 'order':
        return ['order', String(orderId[e.idx])];
      case 'member':
        return ['member', String(memberId[e.idx])];
      case 'coupon_template':
        return ['coupon_template', String(templateId[e.idx])];
      case 'product':
        return ['product', String(productId[e.idx])];
      case 'store':
        return ['store', String(storeId[e.idx])];
      case 'campaign':
        return ['campaign', String(campaignId)];
      case 'setting':
        return ['app_setting', e.key];
    }
  };
  const audits: History['audits'] = [
    ...history.audits,
    ...templates.map((t) => ({
      actorType: 'USER' as const,
      actorStaffKey: 'admin',
      storeIdx: null,
      action: 'coupon_template.create',
      entity: { kind: 'coupon_template' as const, idx: t.idx },
      before: null,
      after: { code: t.code, type: t.type },
      reason: null,
      createdAt: t.createdAt,
    })),
    {
      actorType: 'USER',
      actorStaffKey: 'admin',
      storeIdx: null,
      action: 'campaign.create',
      entity: { kind: 'campaign' },
      before: null,
      after: { code: scans.campaign.code, status: 'ACTIVE' },
      reason: null,
      createdAt: scans.campaign.createdAt,
    },
    {
      actorType: 'USER',
      actorStaffKey: 'admin',
      storeIdx: null,
      action: 'product.price_change',
      entity: { kind: 'product', idx: catalog.manualOverride.productIdx },
      before: {
        base_price: money(catalog.manualOverride.iikoPrice),
        name_ru: catalog.manualOverride.iikoName,
      },
      after: {
        base_price: money(catalog.products[catalog.manualOverride.productIdx]!.seed.price),
        name_ru: catalog.products[catalog.manualOverride.productIdx]!.seed.name.ru,
        is_manual_override: true,
      },
      reason: 'Цена и название по новому меню, в iiko ещё не обновили',
      createdAt: now - 12 * DAY,
    },
    ...(plan.scanKeyHash
      ? [
          {
            actorType: 'USER' as const,
            actorStaffKey: 'admin',
            storeIdx: catalog.stores.findIndex((s) => s.seed.code === plan.scanKeyHash!.storeCode),
            action: 'store.scan_key_rotate',
            entity: {
              kind: 'store' as const,
              idx: catalog.stores.findIndex((s) => s.seed.code === plan.scanKeyHash!.storeCode),
            },
            before: null,
            after: null,
            reason: null,
            createdAt: scans.campaign.createdAt + DAY,
          },
        ]
      : []),
    {
      actorType: 'USER',
      actorStaffKey: 'admin',
      storeIdx: null,
      action: 'setting.update',
      entity: { kind: 'setting', key: 'alerts.telegram_chat_id' },
      before: { value: null },
      after: { value: Number(ALERT_CHAT_ID) },
      reason: null,
      createdAt: now - 20 * DAY,
    },
  ];
  const auditRows = audits.map((a) => {
    const [entityType, id] = entityId(a.entity);
    return {
      actor_type: a.actorType,
      actor_user_id: staffIdOrNull(a.actorStaffKey),
      store_id: a.storeIdx === null ? null : (storeId[a.storeIdx] as number),
      action: a.action,
      entity_type: entityType,
      entity_id: id,
      before: a.before ? JSON.stringify(a.before) : null,
      after: a.after ? JSON.stringify(a.after) : null,
      reason: a.reason,
      created_at: ts(a.createdAt),
    };
  });
  await insertAll(trx, 'audit_log', auditRows);
  count('audit_log', auditRows.length);

  // Alerts go to the head-office chat the notifications above were sent to.
  await trx
    .updateTable('app_setting')
    .set({
      value: JSON.stringify(Number(ALERT_CHAT_ID)),
      updated_by_user_id: adminId,
      updated_at: ts(now - 20 * DAY),
    })
    .where('key', '=', 'alerts.telegram_chat_id')
    .execute();
  // IK-10: the payment and discount types orders are pushed with (the fake iiko knows them)
  for (const [key, id] of [
    ['iiko.payment_type_id', IIKO_PAYMENT_TYPE_ID],
    ['iiko.discount_type_id', IIKO_DISCOUNT_TYPE_ID],
  ] as const) {
    await trx
      .updateTable('app_setting')
      .set({
        value: JSON.stringify(id),
        updated_by_user_id: adminId,
        updated_at: ts(now - 20 * DAY),
      })
      .where('key', '=', key)
      .execute();
  }

  return counts;
}

function providerPayload(
  o: OrderPlan,
  orderId: number,
  p: PaymentPlan,
  parentProviderId: string | null,
): Record<string, unknown> {
  const status = p.status.toLowerCase();
  const base = {
    id: p.providerPaymentId,
    status,
    amount: { value: toDecimal(p.amount), currency: 'RUB' },
    created_at: new Date(p.createdAt).toISOString(),
  };
  if (p.kind === 'REFUND') {
    return {
      ...base,
      payment_id: parentProviderId,
      ...(p.failureCode
        ? { cancellation_details: { party: p.failureParty, reason: p.failureCode } }
        : {}),
    };
  }
  return {
    ...base,
    paid: p.authorizedAt !== null,
    test: true,
    description: `Заказ ${orderNumber(o)}`,
    metadata: { order_id: String(orderId), order_number: orderNumber(o) },
    ...(p.capturedAt !== null ? { captured_at: new Date(p.capturedAt).toISOString() } : {}),
    ...(p.failureCode
      ? { cancellation_details: { party: p.failureParty, reason: p.failureCode } }
      : {}),
  };
}

function passwordHash(plan: SeedPlan, key: string): string {
  const hash = plan.passwordHashes.get(key);
  if (!hash) throw new Error(`seed: no password hash for ${key}`);
  return hash;
}

/** SHA-256 hex of a device key (OS-2). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
