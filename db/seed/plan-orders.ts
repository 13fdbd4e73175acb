/**
 * Order history: order "shells" (when, where, who, what) drawn day by day, then one chronological
 * simulation over every event (signups, coupon issues, checkouts, completions, cancellations,
 * refunds, admin adjustments) so member balances, tiers and coupon states evolve the way the app
 * would have left them (PT-3…PT-10, CP-8…CP-14).
 */
import type { Hours } from './catalog-data';
import { ADMIN_REFUND_REASONS, DELIVERY_NOTES, STAFF_CANCEL_REASONS } from './people-data';
import { pointInPolygon, type Catalog, type Pricing } from './plan-catalog';
import { couponDiscount, type PricedLine, type TemplatePlan } from './plan-coupons';
import { resolveOrder, type FateContext, type Timeline } from './plan-fate';
import type { AddressPlan, MemberPlan } from './plan-people';
import { Rng } from './random';
import {
  DAY,
  HOUR,
  MINUTE,
  addDays,
  mskDate,
  mskHour,
  mskMidnight,
  next0300,
  weekdayOf,
} from './time';

export interface MemberGroupRow {
  id: number;
  code: string;
  minPoints: number;
  /** points_multiplier in hundredths (1.20 → 120). */
  multiplier: number;
}

export interface LinePlan extends PricedLine {
  sku: string;
  nameRu: string;
  nameZh: string | null;
  isSpecial: boolean;
  iikoProductId: string;
  positionId: string;
  discount: number;
  options: { itemIdx: number; price: number }[];
}

export interface OrderPlan {
  idx: number;
  storeIdx: number;
  memberIdx: number;
  createdAt: number;
  daysAgo: number;
  localDate: string;
  seq: number;
  type: 'PICKUP' | 'DELIVERY';
  address: AddressPlan | null;
  zoneIdx: number | null;
  deliveryNote: string | null;
  lines: LinePlan[];
  subtotal: number;
  fee: number;
  total: number;
  pointsUsed: number;
  pointsDiscount: number;
  couponInstanceIdx: number | null;
  couponDiscount: number;
  discount: number;
  final: number;
  pointsEarned: number;
  paymentMethod: 'ONLINE' | 'POINTS' | 'NONE';
  tl: Timeline;
  campaignCodeIdx: number | null;
  publicToken: string;
  iikoOrderId: string;
  special: 'awaiting_payment' | 'payment_failed' | null;
  forceStage: 'CONFIRMED' | 'PREPARING' | 'READY' | 'DELIVERING' | null;
  recent: boolean;
}

export interface InstancePlan {
  idx: number;
  templateIdx: number;
  memberIdx: number;
  status: 'UNUSED' | 'USED' | 'EXPIRED' | 'FROZEN' | 'REVOKED';
  usedAt: number | null;
  usedOrderIdx: number | null;
  sourceType: 'ADMIN' | 'SIGNUP' | 'CAMPAIGN' | 'COMPENSATION';
  sourceRef: string | null;
  tags: string[];
  adjustedValidUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface CouponAuditPlan {
  instanceIdx: number;
  action:
    'CREATED' | 'USED' | 'RESTORED' | 'EXPIRED' | 'FROZEN' | 'UNFROZEN' | 'REVOKED' | 'EXTENDED';
  from: string | null;
  to: string | null;
  oldValue: unknown;
  newValue: unknown;
  actorType: 'SYSTEM' | 'ADMIN' | 'MEMBER';
  actorStaffKey: string | null;
  orderIdx: number | null;
  reason: string | null;
  createdAt: number;
}

export interface LedgerPlan {
  memberIdx: number;
  delta: number;
  balanceAfter: number;
  reason: 'SIGNUP_BONUS' | 'ORDER_REDEEM' | 'ORDER_EARN' | 'REFUND' | 'ADMIN_ADJUST';
  /** Idempotency key; `{order}` is replaced by the order id when rows are written. */
  key: string;
  orderIdx: number | null;
  actorStaffKey: string | null;
  description: string | null;
  createdAt: number;
}

export interface AuditPlan {
  actorType: 'USER' | 'SYSTEM';
  actorStaffKey: string | null;
  storeIdx: number | null;
  action: string;
  entity:
    | { kind: 'order'; idx: number }
    | { kind: 'member'; idx: number }
    | { kind: 'coupon_template'; idx: number }
    | { kind: 'product'; idx: number }
    | { kind: 'store'; idx: number }
    | { kind: 'campaign' }
    | { kind: 'setting'; key: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
  createdAt: number;
}

export interface History {
  orders: OrderPlan[];
  instances: InstancePlan[];
  couponAudits: CouponAuditPlan[];
  ledger: LedgerPlan[];
  audits: AuditPlan[];
  paymentSpike: [number, number];
  iikoOutage: [number, number];
}

export const HISTORY_DAYS = 60;
/** Orders newer than this are left to the in-flight demo orders below. */
const HISTORY_CUTOFF = 6 * MINUTE;
const SIGNUP_BONUS = 100;

const HOUR_WEIGHT = [
  0.25, 0.15, 0.1, 0.05, 0.05, 0.08, 0.2, 0.5, 0.9, 1.1, 1.3, 1.7, 2.4, 2.5, 2.0, 1.9, 2.1, 2.4,
  2.6, 2.4, 2.0, 1.5, 1.0, 0.6,
];

function hourWeight(storeCode: string, hour: number): number {
  const w = HOUR_WEIGHT[hour] as number;
  if (storeCode !== 'MSK-03') return w;
  // Moscow City is an office district: breakfast and lunch peaks, quiet evenings.
  if (hour >= 8 && hour < 10) return w * 1.8;
  if (hour >= 12 && hour < 15) return w * 1.3;
  if (hour >= 19) return w * 0.6;
  return w;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h as number) * 60 + (m as number);
}

/** The opening interval that starts on a local date (close ≤ open runs past midnight). */
function openInterval(hours: Hours, date: string): [number, number] | null {
  const day = hours[weekdayOf(date)];
  if (!day) return null;
  const start = mskMidnight(date) + toMinutes(day.open) * MINUTE;
  let close = toMinutes(day.close);
  if (close <= toMinutes(day.open)) close += 24 * 60;
  return [start, mskMidnight(date) + close * MINUTE];
}

/** An instant inside [from, to) drawn from the store's hourly demand profile. */
function sampleTime(storeCode: string, [from, to]: [number, number], rng: Rng): number {
  const segments: [number, number, number][] = [];
  for (let a = from; a < to;) {
    const b = Math.min(to, Math.floor((a + 3 * HOUR) / HOUR) * HOUR - 3 * HOUR + HOUR);
    segments.push([a, b, (hourWeight(storeCode, mskHour(a)) * (b - a)) / HOUR]);
    a = b;
  }
  const [a, b] = rng.weighted(segments, (s) => s[2]);
  return a + Math.floor(rng.float() * (b - a));
}

export interface BuildHistoryInput {
  now: number;
  catalog: Catalog;
  pricing: Pricing;
  members: MemberPlan[];
  groups: MemberGroupRow[];
  templates: TemplatePlan[];
}

class EventQueue {
  private heap: { t: number; seq: number; run: () => void }[] = [];
  private seq = 0;

  push(t: number, run: () => void) {
    const node = { t, seq: this.seq++, run };
    const h = this.heap;
    h.push(node);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  pop(): { t: number; run: () => void } | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

function less(a: { t: number; seq: number }, b: { t: number; seq: number }) {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}

export function buildHistory(input: BuildHistoryInput): History {
  const { now, catalog, pricing, members, groups, templates } = input;
  const today = mskDate(now);
  const spikeDay = addDays(today, -9);
  const outageDay = addDays(today, -3);
  // A card issuer's 3-D Secure outage one evening: the visible spike on the payments dashboard.
  const paymentSpike: [number, number] = [
    mskMidnight(spikeDay) + 17 * HOUR,
    mskMidnight(spikeDay) + 22 * HOUR,
  ];
  const iikoOutage: [number, number] = [
    mskMidnight(outageDay) + 14 * HOUR,
    mskMidnight(outageDay) + 14.75 * HOUR,
  ];

  const orders = drawShells(input, today);
  addInFlightOrders(input, orders);
  orders.sort((a, b) => a.createdAt - b.createdAt);
  orders.forEach((o, i) => (o.idx = i));

  const instances: InstancePlan[] = [];
  const couponAudits: CouponAuditPlan[] = [];
  const ledger: LedgerPlan[] = [];
  const audits: AuditPlan[] = [];
  const byMember = new Map<number, InstancePlan[]>();
  const rng = new Rng('simulation');
  const fateCtx: FateContext = {
    now,
    rng: new Rng('fate'),
    paymentSpike,
    iikoOutage,
    staffCancelReasons: STAFF_CANCEL_REASONS,
    refundReasons: ADMIN_REFUND_REASONS,
  };
  const q = new EventQueue();

  const setTier = (m: MemberPlan) => {
    let g = 0;
    groups.forEach((grp, i) => {
      if (grp.minPoints <= m.totalEarned) g = i;
    });
    m.groupIdx = g;
  };
  const post = (m: MemberPlan, entry: Omit<LedgerPlan, 'memberIdx' | 'balanceAfter'>) => {
    m.balance += entry.delta;
    if (m.balance < 0) throw new Error(`seed bug: negative balance for member ${m.idx}`);
    ledger.push({ ...entry, memberIdx: m.idx, balanceAfter: m.balance });
  };
  const issue = (
    t: TemplatePlan,
    m: MemberPlan,
    at: number,
    source: InstancePlan['sourceType'],
    sourceRef: string | null,
    tags: string[],
    actor: { type: 'SYSTEM' } | { type: 'ADMIN'; staff: string; reason: string },
  ) => {
    const list = byMember.get(m.idx) ?? [];
    if (list.some((i) => i.templateIdx === t.idx)) return;
    const inst: InstancePlan = {
      idx: instances.length,
      templateIdx: t.idx,
      memberIdx: m.idx,
      status: 'UNUSED',
      usedAt: null,
      usedOrderIdx: null,
      sourceType: source,
      sourceRef,
      tags,
      adjustedValidUntil: null,
      createdAt: at,
      updatedAt: at,
    };
    instances.push(inst);
    list.push(inst);
    byMember.set(m.idx, list);
    couponAudits.push({
      instanceIdx: inst.idx,
      action: 'CREATED',
      from: null,
      to: 'UNUSED',
      oldValue: null,
      newValue: null,
      actorType: actor.type,
      actorStaffKey: actor.type === 'ADMIN' ? actor.staff : null,
      orderIdx: null,
      reason: actor.type === 'ADMIN' ? actor.reason : null,
      createdAt: at,
    });
  };
  const effectiveUntil = (i: InstancePlan) =>
    i.adjustedValidUntil ?? (templates[i.templateIdx] as TemplatePlan).validUntil;

  // Signups: bonus points (AU-5, PT-4) and the welcome coupon.
  const welcome = templates.find((t) => t.issue.kind === 'SIGNUP');
  for (const m of members) {
    q.push(m.createdAt, () => {
      post(m, {
        delta: SIGNUP_BONUS,
        reason: 'SIGNUP_BONUS',
        key: `signup_bonus:${m.phone}`,
        orderIdx: null,
        actorStaffKey: null,
        description: null,
        createdAt: m.createdAt,
      });
      if (welcome && m.createdAt >= welcome.validFrom) {
        issue(welcome, m, m.createdAt + 1_000, 'SIGNUP', null, ['welcome'], { type: 'SYSTEM' });
      }
    });
  }

  // Admin batch issues (CP-14).
  for (const t of templates) {
    const spec = t.issue;
    if (spec.kind !== 'BATCH') continue;
    q.push(spec.at, () => {
      const pool = members.filter((m) => m.isActive && m.createdAt < spec.at);
      const chosen: MemberPlan[] = [];
      const remaining = [...pool];
      while (chosen.length < spec.count && remaining.length > 0) {
        const m = rng.weighted(remaining, (x) => Math.sqrt(x.weight));
        chosen.push(m);
        remaining.splice(remaining.indexOf(m), 1);
      }
      for (const m of chosen) {
        issue(
          t,
          m,
          spec.at,
          spec.source,
          spec.source === 'CAMPAIGN' ? 'SUMMER-CITY' : null,
          spec.tags,
          {
            type: 'ADMIN',
            staff: 'admin',
            reason: spec.reason,
          },
        );
      }
    });
    // Expiry job at 03:00 after the end of validity (CP-13).
    if (t.validUntil < now) {
      const at = next0300(t.validUntil);
      q.push(at, () => {
        for (const inst of instances) {
          if (inst.templateIdx !== t.idx || inst.status !== 'UNUSED' || effectiveUntil(inst) > at)
            continue;
          inst.status = 'EXPIRED';
          inst.updatedAt = at;
          couponAudits.push({
            instanceIdx: inst.idx,
            action: 'EXPIRED',
            from: 'UNUSED',
            to: 'EXPIRED',
            oldValue: null,
            newValue: null,
            actorType: 'SYSTEM',
            actorStaffKey: null,
            orderIdx: null,
            reason: null,
            createdAt: at,
          });
        }
      });
    }
  }

  // Admin points adjustments (PT-11): contest prizes, compensations, a correction.
  const adjustRng = new Rng('adjustments');
  const adjust = (
    m: MemberPlan,
    at: number,
    delta: (m: MemberPlan) => number,
    description: string,
    staff: string,
  ) => {
    q.push(at, () => {
      const d = delta(m);
      if (d === 0) return;
      post(m, {
        delta: d,
        reason: 'ADMIN_ADJUST',
        key: `admin_adjust:${adjustRng.uuid()}`,
        orderIdx: null,
        actorStaffKey: staff,
        description,
        createdAt: at,
      });
      audits.push({
        actorType: 'USER',
        actorStaffKey: staff,
        storeIdx: null,
        action: 'points.adjust',
        entity: { kind: 'member', idx: m.idx },
        before: { available_points_balance: m.balance - d },
        after: { available_points_balance: m.balance },
        reason: description,
        createdAt: at,
      });
    });
  };
  const officeTime = (daysAgo: number) =>
    mskMidnight(addDays(today, -daysAgo)) +
    adjustRng.int(10 * 60, 18 * 60) * MINUTE +
    adjustRng.int(0, 59_000);
  const veterans = members.filter((m) => m.isActive && m.createdAt < now - 55 * DAY);
  for (const m of adjustRng.sample(veterans, 8)) {
    adjust(
      m,
      officeTime(adjustRng.int(20, 50)),
      () => adjustRng.int(25, 40) * 1_000,
      'Приз конкурса в Telegram-канале CTEA',
      'admin',
    );
  }
  for (const m of adjustRng.sample(veterans, 12)) {
    adjust(
      m,
      officeTime(adjustRng.int(1, 50)),
      () => adjustRng.int(3, 10) * 100,
      'Компенсация за задержку заказа',
      'admin2',
    );
  }
  for (const m of adjustRng.sample(veterans, 3)) {
    adjust(
      m,
      officeTime(adjustRng.int(1, 10)),
      (x) => -Math.min(x.balance, 200),
      'Списание ошибочно начисленных баллов',
      'admin',
    );
  }

  // Checkouts.
  for (const o of orders) q.push(o.createdAt, () => checkout(o));

  function usable(inst: InstancePlan, at: number, storeIdx: number): boolean {
    const t = templates[inst.templateIdx] as TemplatePlan;
    return (
      inst.status === 'UNUSED' &&
      inst.createdAt <= at &&
      t.validFrom <= at &&
      at < effectiveUntil(inst) &&
      (t.storeIdx === null || t.storeIdx.includes(storeIdx)) &&
      (t.maxTotal === null || t.usage < t.maxTotal)
    );
  }

  function checkout(o: OrderPlan) {
    const m = members[o.memberIdx] as MemberPlan;
    const held = (byMember.get(m.idx) ?? []).filter((i) => usable(i, o.createdAt, o.storeIdx));
    // Members holding an item coupon shape the cart for it.
    for (const inst of held) {
      const t = templates[inst.templateIdx] as TemplatePlan;
      if (t.rule?.kind === 'BOGO' && rng.chance(0.5)) {
        const p = t.rule.buyProductIdx[0] as number;
        if (pricing.sellable(o.storeIdx, p, o.daysAgo)) o.lines.push(makeLine(o, p, 2, rng));
      }
      if (t.rule?.kind === 'BUY_N_GET_M' && rng.chance(0.5)) {
        const catIdx = t.rule.categoryIdx;
        const candidates = catalog.products.filter(
          (p) => catIdx.includes(p.categoryIdx) && pricing.sellable(o.storeIdx, p.idx, o.daysAgo),
        );
        if (candidates.length) o.lines.push(makeLine(o, rng.pick(candidates).idx, 3, rng));
      }
    }
    priceOrder(o);

    if (
      !o.special &&
      m.balance >= o.total &&
      o.total > 0 &&
      rng.chance(m.balance >= 2 * o.total ? 0.55 : 0.4)
    ) {
      // PT-5: all or nothing; 100 points per ruble → required points = kopecks.
      o.pointsUsed = o.total;
      o.pointsDiscount = o.total;
      post(m, {
        delta: -o.pointsUsed,
        reason: 'ORDER_REDEEM',
        key: 'order_redeem:{order}',
        orderIdx: o.idx,
        actorStaffKey: null,
        description: null,
        createdAt: o.createdAt,
      });
    } else if (held.length > 0) {
      let best: { inst: InstancePlan; perLine: Map<number, number>; amount: number } | null = null;
      for (const inst of held) {
        const perLine = couponDiscount(
          templates[inst.templateIdx] as TemplatePlan,
          o.lines,
          o.subtotal,
        );
        const amount = [...perLine.values()].reduce((s, v) => s + v, 0);
        if (amount > 0 && (!best || amount > best.amount)) best = { inst, perLine, amount };
      }
      const t = best ? (templates[best.inst.templateIdx] as TemplatePlan) : null;
      if (best && t && rng.chance(t.appetite)) {
        o.couponInstanceIdx = best.inst.idx;
        o.couponDiscount = best.amount;
        for (const l of o.lines) l.discount = best.perLine.get(l.lineNo) ?? 0;
        best.inst.status = 'USED';
        best.inst.usedAt = o.createdAt;
        best.inst.usedOrderIdx = o.idx;
        best.inst.updatedAt = o.createdAt;
        t.usage += 1;
        couponAudits.push({
          instanceIdx: best.inst.idx,
          action: 'USED',
          from: 'UNUSED',
          to: 'USED',
          oldValue: null,
          newValue: null,
          actorType: 'SYSTEM',
          actorStaffKey: null,
          orderIdx: o.idx,
          reason: null,
          createdAt: o.createdAt,
        });
      }
    }
    o.discount = o.pointsDiscount + o.couponDiscount;
    o.final = o.total - o.discount;
    o.paymentMethod = o.pointsUsed > 0 ? 'POINTS' : o.final > 0 ? 'ONLINE' : 'NONE';
    if (o.pointsUsed === 0) {
      // PT-7 with the tier at checkout; special-price lines and the delivery fee never earn.
      const eligiblePaid = o.lines
        .filter((l) => !l.isSpecial)
        .reduce((s, l) => s + l.lineTotal - l.discount, 0);
      o.pointsEarned = Math.floor(
        (eligiblePaid * 100 * (groups[m.groupIdx] as MemberGroupRow).multiplier) / 1_000_000,
      );
    }
    m.lastActivityAt = Math.max(m.lastActivityAt, o.createdAt - rng.int(1, 15) * MINUTE);

    o.tl = resolveOrder(
      {
        createdAt: o.createdAt,
        final: o.final,
        delivery: o.type === 'DELIVERY',
        recent: o.recent,
        special: o.special,
        forceStage: o.forceStage,
      },
      fateCtx,
    );
    const tl = o.tl;
    if (tl.completedAt !== null && o.pointsEarned > 0) {
      q.push(tl.completedAt, () => {
        post(m, {
          delta: o.pointsEarned,
          reason: 'ORDER_EARN',
          key: 'order_earn:{order}',
          orderIdx: o.idx,
          actorStaffKey: null,
          description: null,
          createdAt: tl.completedAt as number,
        });
        m.totalEarned += o.pointsEarned;
        setTier(m);
      });
    }
    if (tl.cancelledAt !== null) {
      // OR-3: release on CANCELLED or VOIDED.
      const at = tl.cancelledAt;
      q.push(at, () => {
        if (o.pointsUsed > 0) {
          post(m, {
            delta: o.pointsUsed,
            reason: 'REFUND',
            key: 'order_refund:{order}',
            orderIdx: o.idx,
            actorStaffKey: null,
            description: null,
            createdAt: at,
          });
        }
        if (o.couponInstanceIdx !== null) restoreCoupon(o, at);
      });
    }
    if (tl.refundedAt !== null) {
      const at = tl.refundedAt;
      q.push(at, () => {
        // PT-8: give back redeemed points, or take back earned ones (not below zero).
        if (o.pointsUsed > 0) {
          post(m, {
            delta: o.pointsUsed,
            reason: 'REFUND',
            key: 'order_refund:{order}',
            orderIdx: o.idx,
            actorStaffKey: null,
            description: null,
            createdAt: at,
          });
        } else if (o.pointsEarned > 0) {
          const take = Math.min(o.pointsEarned, m.balance);
          if (take > 0) {
            post(m, {
              delta: -take,
              reason: 'REFUND',
              key: 'order_refund:{order}',
              orderIdx: o.idx,
              actorStaffKey: null,
              description:
                take < o.pointsEarned
                  ? `Списано ${take} из ${o.pointsEarned} начисленных баллов: остальные уже потрачены`
                  : null,
              createdAt: at,
            });
          }
          m.totalEarned = Math.max(0, m.totalEarned - o.pointsEarned);
          setTier(m);
        }
      });
    }
    if (tl.staffAction) {
      const store = catalog.stores[o.storeIdx]!;
      audits.push({
        actorType: 'USER',
        actorStaffKey: tl.staffAction.kind === 'refund' ? 'admin' : managerKey(store.seed.code),
        storeIdx: o.storeIdx,
        action: 'order.status',
        entity: { kind: 'order', idx: o.idx },
        before: { status: tl.staffAction.kind === 'refund' ? 'COMPLETED' : 'PREPARING' },
        after: { status: tl.staffAction.kind === 'refund' ? 'REFUNDED' : 'CANCELLED' },
        reason: tl.staffAction.reason,
        createdAt: tl.staffAction.at,
      });
    }
  }

  function restoreCoupon(o: OrderPlan, at: number) {
    const inst = instances[o.couponInstanceIdx as number] as InstancePlan;
    if (inst.status !== 'USED' || inst.usedOrderIdx !== o.idx) return;
    inst.status = 'UNUSED';
    inst.usedAt = null;
    inst.usedOrderIdx = null;
    inst.updatedAt = at;
    const t = templates[inst.templateIdx] as TemplatePlan;
    t.usage = Math.max(0, t.usage - 1);
    couponAudits.push({
      instanceIdx: inst.idx,
      action: 'RESTORED',
      from: 'USED',
      to: 'UNUSED',
      oldValue: null,
      newValue: null,
      actorType: 'SYSTEM',
      actorStaffKey: null,
      orderIdx: o.idx,
      reason: null,
      createdAt: at,
    });
  }

  // A few admin operations on instances near "now" (CP-14).
  q.push(now - 2 * DAY, () => adminInstanceOps(now - 2 * DAY));
  function adminInstanceOps(at: number) {
    const opsRng = new Rng('coupon-admin-ops');
    const byCode = (code: string) => templates.find((t) => t.code === code) as TemplatePlan;
    const freeze = instances
      .filter((i) => i.templateIdx === byCode('SPRING100').idx && i.status === 'UNUSED')
      .slice(0, 2);
    for (const inst of freeze) {
      inst.status = 'FROZEN';
      inst.updatedAt = at;
      couponAudits.push({
        instanceIdx: inst.idx,
        action: 'FROZEN',
        from: 'UNUSED',
        to: 'FROZEN',
        oldValue: null,
        newValue: null,
        actorType: 'ADMIN',
        actorStaffKey: 'admin',
        orderIdx: null,
        reason: 'Проверка: несколько аккаунтов с одного устройства',
        createdAt: at,
      });
    }
    const revoke = instances.find(
      (i) => i.templateIdx === byCode('WELCOME10').idx && i.status === 'UNUSED',
    );
    if (revoke) {
      const t = at + 3 * HOUR;
      revoke.status = 'REVOKED';
      revoke.updatedAt = t;
      couponAudits.push({
        instanceIdx: revoke.idx,
        action: 'REVOKED',
        from: 'UNUSED',
        to: 'REVOKED',
        oldValue: null,
        newValue: null,
        actorType: 'ADMIN',
        actorStaffKey: 'admin2',
        orderIdx: null,
        reason: 'Дубликат аккаунта гостя',
        createdAt: t,
      });
    }
    const expired = instances.filter((i) => i.status === 'EXPIRED');
    const extend = expired.length ? opsRng.pick(expired) : null;
    if (extend) {
      const t = at + 5 * HOUR;
      const before = effectiveUntil(extend);
      extend.adjustedValidUntil = now + 14 * DAY;
      extend.status = 'UNUSED';
      extend.updatedAt = t;
      couponAudits.push({
        instanceIdx: extend.idx,
        action: 'EXTENDED',
        from: 'EXPIRED',
        to: 'UNUSED',
        oldValue: { valid_until: new Date(before).toISOString() },
        newValue: { valid_until: new Date(extend.adjustedValidUntil).toISOString() },
        actorType: 'ADMIN',
        actorStaffKey: 'admin',
        orderIdx: null,
        reason: 'Гость был в отпуске, продлеваем по обращению в поддержку',
        createdAt: t,
      });
    }
  }

  for (let ev = q.pop(); ev; ev = q.pop()) {
    if (ev.t > now) throw new Error('seed bug: event after now');
    ev.run();
  }

  // ON-1, ON-3: numbers per prefix and store-local date, shared by all stores, 1..n without gaps.
  const perDate = new Map<string, number>();
  for (const o of orders) {
    const seq = (perDate.get(o.localDate) ?? 0) + 1;
    perDate.set(o.localDate, seq);
    o.seq = seq;
  }
  return { orders, instances, couponAudits, ledger, audits, paymentSpike, iikoOutage };

  function makeLine(o: OrderPlan, productIdx: number, quantity: number, r: Rng): LinePlan {
    return buildLine(catalog, pricing, o.storeIdx, productIdx, quantity, o.lines.length + 1, r);
  }
}

export function managerKey(storeCode: string): string {
  return storeCode === 'MSK-01' ? 'manager' : storeCode === 'MSK-02' ? 'manager2' : 'manager3';
}

function priceOrder(o: OrderPlan) {
  o.lines.forEach((l, i) => (l.lineNo = i + 1));
  o.subtotal = o.lines.reduce((s, l) => s + l.lineTotal, 0);
  o.total = o.subtotal + o.fee;
}

function buildLine(
  catalog: Catalog,
  pricing: Pricing,
  storeIdx: number,
  productIdx: number,
  quantity: number,
  lineNo: number,
  rng: Rng,
): LinePlan {
  const product = catalog.products[productIdx]!;
  const options: { itemIdx: number; price: number }[] = [];
  const keepDefaults = rng.chance(0.4);
  let temperature = 'COLD';
  for (const g of product.groups) {
    const group = catalog.groups[g.groupIdx]!;
    const byCode = (code: string) => group.items.find((i) => i.seed.code === code)!.idx;
    let chosen: number[];
    switch (group.seed.code) {
      case 'TEMPERATURE': {
        const code = keepDefaults
          ? catalog.items[g.defaultItemIdx as number]!.seed.code
          : product.seed.category === 'COFFEE'
            ? rng.table([
                ['HOT', 45],
                ['WARM', 10],
                ['COLD', 45],
              ] as const)
            : rng.table([
                ['COLD', 65],
                ['HOT', 20],
                ['WARM', 15],
              ] as const);
        temperature = code;
        chosen = [byCode(code)];
        break;
      }
      case 'ICE':
        chosen = [
          temperature !== 'COLD'
            ? byCode('NO_ICE')
            : keepDefaults
              ? (g.defaultItemIdx as number)
              : byCode(
                  rng.table([
                    ['NORMAL_ICE', 50],
                    ['LESS_ICE', 30],
                    ['NO_ICE', 10],
                    ['EXTRA_ICE', 10],
                  ] as const),
                ),
        ];
        break;
      case 'SUGAR':
        chosen = [
          keepDefaults
            ? (g.defaultItemIdx as number)
            : byCode(
                rng.table([
                  ['SUGAR_0', 12],
                  ['SUGAR_30', 20],
                  ['SUGAR_50', 33],
                  ['SUGAR_70', 23],
                  ['SUGAR_100', 12],
                ] as const),
              ),
        ];
        break;
      case 'TOPPING': {
        const available = group.items
          .filter((i) => pricing.optionAvailable(productIdx, i.idx))
          .map((i) => i.idx);
        const n = keepDefaults
          ? 0
          : rng.table([
              [0, 55],
              [1, 33],
              [2, 12],
            ] as const);
        chosen = rng.sample(available, n).sort((a, b) => a - b);
        break;
      }
    }
    for (const itemIdx of chosen)
      options.push({ itemIdx, price: pricing.optionPrice(productIdx, itemIdx) });
  }
  const unitPrice = pricing.unitPrice(storeIdx, productIdx);
  const optionsPrice = options.reduce((s, x) => s + x.price, 0);
  return {
    lineNo,
    productIdx,
    categoryIdx: product.categoryIdx,
    unitPrice,
    optionsPrice,
    quantity,
    lineTotal: (unitPrice + optionsPrice) * quantity,
    sku: product.seed.sku,
    nameRu: product.seed.name.ru,
    nameZh: product.seed.name.zh,
    isSpecial: pricing.isSpecial(storeIdx, productIdx),
    iikoProductId: product.iikoProductId,
    positionId: rng.uuid(),
    discount: 0,
    options,
  };
}

function emptyOrder(
  partial: Pick<OrderPlan, 'storeIdx' | 'memberIdx' | 'createdAt' | 'daysAgo' | 'recent'> &
    Partial<Pick<OrderPlan, 'special' | 'forceStage'>>,
  rng: Rng,
): OrderPlan {
  return {
    special: null,
    forceStage: null,
    ...partial,
    idx: -1,
    localDate: mskDate(partial.createdAt),
    seq: 0,
    type: 'PICKUP',
    address: null,
    zoneIdx: null,
    deliveryNote: null,
    lines: [],
    subtotal: 0,
    fee: 0,
    total: 0,
    pointsUsed: 0,
    pointsDiscount: 0,
    couponInstanceIdx: null,
    couponDiscount: 0,
    discount: 0,
    final: 0,
    pointsEarned: 0,
    paymentMethod: 'ONLINE',
    tl: undefined as unknown as Timeline,
    campaignCodeIdx: null,
    publicToken: rng.uuid(),
    iikoOrderId: rng.uuid(),
  };
}

function pickMember(
  members: MemberPlan[],
  storeIdx: number,
  at: number,
  rng: Rng,
  withAddress = false,
): MemberPlan {
  const eligible = members.filter(
    (m) =>
      m.isActive &&
      m.createdAt < at - 20 * MINUTE &&
      (!withAddress || m.addresses.some((a) => a.storeIdx === storeIdx)),
  );
  return rng.weighted(eligible, (m) => m.weight * (m.homeStore === storeIdx ? 4 : 0.5));
}

function fillCart(o: OrderPlan, input: BuildHistoryInput, rng: Rng, forceDelivery = false) {
  const { catalog, pricing, members } = input;
  const m = members[o.memberIdx] as MemberPlan;
  const store = catalog.stores[o.storeIdx]!;
  const address = forceDelivery
    ? (m.addresses.find((a) => a.storeIdx === o.storeIdx) ?? null)
    : (m.addresses.find((a) => a.storeIdx === o.storeIdx && rng.chance(0.7)) ?? null);
  if (store.seed.delivery && address && (forceDelivery || rng.chance(0.45))) {
    // DL-3: the cheapest active zone containing the point.
    const zones = store.zones
      .filter((z) => pointInPolygon(address.point, z.polygon))
      .sort((a, b) => a.seed.fee - b.seed.fee);
    const zone = zones[0];
    if (zone) {
      o.type = 'DELIVERY';
      o.address = address;
      o.zoneIdx = zone.idx;
      o.fee = zone.seed.fee;
      o.deliveryNote = rng.chance(0.25) ? rng.pick(DELIVERY_NOTES) : null;
    }
  }
  const products = catalog.products.filter((p) => pricing.sellable(o.storeIdx, p.idx, o.daysAgo));
  const lineCount = rng.table([
    [1, 62],
    [2, 26],
    [3, 9],
    [4, 3],
  ] as const);
  const addLine = () => {
    const p = rng.weighted(products, (x) => x.seed.popularity);
    const qty = rng.table([
      [1, 90],
      [2, 9],
      [3, 1],
    ] as const);
    o.lines.push(buildLine(catalog, pricing, o.storeIdx, p.idx, qty, o.lines.length + 1, rng));
  };
  for (let i = 0; i < lineCount; i++) addLine();
  priceOrder(o);
  const zone = o.zoneIdx !== null ? catalog.zones[o.zoneIdx]! : null;
  // DL-3: a delivery cart tops itself up to the zone's minimum.
  while (zone && o.subtotal < zone.seed.minOrder && o.lines.length < 30) {
    addLine();
    priceOrder(o);
  }
}

function drawShells(input: BuildHistoryInput, today: string): OrderPlan[] {
  const { now, catalog, members } = input;
  const orders: OrderPlan[] = [];
  for (let daysAgo = HISTORY_DAYS - 1; daysAgo >= 0; daysAgo--) {
    const date = addDays(today, -daysAgo);
    for (const store of catalog.stores) {
      // One stream per (day offset, store): the history keeps its shape from run to run.
      const rng = new Rng(`orders:${daysAgo}:${store.seed.code}`);
      const interval = openInterval(store.seed.hours, date);
      if (!interval) continue;
      const trend = 0.85 + (0.3 * (HISTORY_DAYS - 1 - daysAgo)) / (HISTORY_DAYS - 1);
      const expected =
        store.seed.baseOrdersPerDay *
        store.seed.weekday[weekdayOf(date)] *
        trend *
        Math.max(0.6, 1 + 0.12 * rng.normal());
      const count = Math.max(0, Math.round(expected + rng.normal() * Math.sqrt(expected) * 0.5));
      const times = Array.from({ length: count }, () =>
        sampleTime(store.seed.code, interval, rng),
      ).sort((a, b) => a - b);
      for (const createdAt of times) {
        const member = pickMember(members, store.idx, createdAt, rng);
        const o = emptyOrder(
          {
            storeIdx: store.idx,
            memberIdx: member.idx,
            createdAt,
            daysAgo,
            recent: createdAt > now - 100 * MINUTE,
          },
          rng,
        );
        fillCart(o, input, rng);
        if (createdAt <= now - HISTORY_CUTOFF) orders.push(o);
      }
    }
  }
  return orders;
}

/**
 * Orders in progress at the 24-hour store whatever the hour the seed runs: two waiting for the
 * member to pay (one after a declined card) and one in each kitchen stage.
 */
function addInFlightOrders(input: BuildHistoryInput, orders: OrderPlan[]) {
  const { now, catalog, members } = input;
  const rng = new Rng('in-flight');
  const store = catalog.stores.find((s) => s.seed.code === 'MSK-01')!;
  const specs: {
    ago: number;
    special?: OrderPlan['special'];
    forceStage?: OrderPlan['forceStage'];
  }[] = [
    { ago: 2 * MINUTE, special: 'awaiting_payment' },
    { ago: 11 * MINUTE, special: 'payment_failed' },
    // Confirmation takes at most ~3.2 minutes after checkout on the happy path.
    { ago: 4 * MINUTE, forceStage: 'CONFIRMED' },
    { ago: 9 * MINUTE, forceStage: 'PREPARING' },
    { ago: 18 * MINUTE, forceStage: 'READY' },
    { ago: 35 * MINUTE, forceStage: 'DELIVERING' },
  ];
  for (const spec of specs) {
    const createdAt = now - spec.ago - rng.int(0, 20_000);
    const delivery = spec.forceStage === 'DELIVERING';
    const member = pickMember(members, store.idx, createdAt, rng, delivery);
    const o = emptyOrder(
      { storeIdx: store.idx, memberIdx: member.idx, createdAt, daysAgo: 0, recent: true, ...spec },
      rng,
    );
    fillCart(o, input, rng, delivery);
    if (delivery && o.type !== 'DELIVERY')
      throw new Error('seed bug: in-flight delivery order without an address');
    orders.push(o);
  }
}
