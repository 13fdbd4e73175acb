import { rhu } from '~/utils/money';
import { toDecimal } from '~/utils/money';
import type { Catalog } from './plan-catalog';
import { DAY } from './time';

export type CouponType =
  'SIMPLE_PERCENTAGE' | 'SIMPLE_FIXED' | 'BOGO' | 'THRESHOLD_OFF' | 'BUY_N_GET_M';

export interface TemplatePlan {
  idx: number;
  code: string;
  name: { ru: string; zh: string; en: string };
  description: { ru: string; zh: string; en: string };
  type: CouponType;
  /** Percent for SIMPLE_PERCENTAGE, kopecks for SIMPLE_FIXED. */
  discountValue: number | null;
  rule: ThresholdRule | BogoRule | BuyNGetMRule | null;
  scope:
    | { type: 'ALL' }
    | { type: 'CATEGORIES'; categoryIdx: number[] }
    | { type: 'PRODUCTS'; productIdx: number[] };
  storeIdx: number[] | null;
  minOrder: number | null;
  maxDiscount: number | null;
  maxPerUser: number | null;
  maxTotal: number | null;
  validFrom: number;
  validUntil: number;
  createdAt: number;
  /** How instances reach members in the demo. */
  issue:
    | { kind: 'SIGNUP' }
    | {
        kind: 'BATCH';
        source: 'ADMIN' | 'CAMPAIGN';
        at: number;
        count: number;
        reason: string;
        tags: string[];
      };
  /** Probability that a member holding an instance uses it on an eligible order. */
  appetite: number;
  usage: number;
}

interface ThresholdRule {
  kind: 'THRESHOLD_OFF';
  tiers: { min: number; discount: number }[];
}
interface BogoRule {
  kind: 'BOGO';
  buyProductIdx: number[];
  buyQuantity: number;
  getQuantity: number;
  percent: number;
  maxFreeItems: number | null;
}
interface BuyNGetMRule {
  kind: 'BUY_N_GET_M';
  buyQuantity: number;
  getQuantity: number;
  percent: number;
  categoryIdx: number[];
  maxFreeItems: number | null;
}

export function buildTemplates(now: number, catalog: Catalog): TemplatePlan[] {
  const category = (code: string) => catalog.categories.findIndex((c) => c.seed.code === code);
  const product = (sku: string) => catalog.products.findIndex((p) => p.seed.sku === sku);
  const store = (code: string) => catalog.stores.findIndex((s) => s.seed.code === code);
  const t: Omit<TemplatePlan, 'idx'>[] = [
    {
      code: 'WELCOME10',
      name: { ru: 'Скидка 10 % на первый заказ', zh: '首单9折', en: '10 % off your first order' },
      description: {
        ru: 'Приветственный купон для новых гостей.',
        zh: '新会员欢迎优惠券。',
        en: 'Welcome coupon for new members.',
      },
      type: 'SIMPLE_PERCENTAGE',
      discountValue: 10,
      rule: null,
      scope: { type: 'ALL' },
      storeIdx: null,
      minOrder: null,
      maxDiscount: null,
      maxPerUser: 1,
      maxTotal: null,
      validFrom: now - 90 * DAY,
      validUntil: now + 275 * DAY,
      createdAt: now - 91 * DAY,
      issue: { kind: 'SIGNUP' },
      appetite: 0.6,
      usage: 0,
    },
    {
      code: 'SPRING100',
      name: { ru: '100 ₽ на заказ от 500 ₽', zh: '满500减100', en: '100 ₽ off orders from 500 ₽' },
      description: {
        ru: 'Весенняя рассылка постоянным гостям.',
        zh: '春季老顾客回馈。',
        en: 'Spring mailing to returning members.',
      },
      type: 'SIMPLE_FIXED',
      discountValue: 10_000,
      rule: null,
      scope: { type: 'ALL' },
      storeIdx: null,
      minOrder: 50_000,
      maxDiscount: null,
      maxPerUser: 1,
      maxTotal: 1_000,
      validFrom: now - 40 * DAY,
      validUntil: now + 50 * DAY,
      createdAt: now - 41 * DAY,
      issue: {
        kind: 'BATCH',
        source: 'ADMIN',
        at: now - 40 * DAY,
        count: 150,
        reason: 'Весенняя рассылка постоянным гостям',
        tags: ['spring', 'mailing'],
      },
      appetite: 0.45,
      usage: 0,
    },
    {
      code: 'CITY-THRESHOLD',
      name: {
        ru: 'Москва-Сити: скидка от суммы',
        zh: '莫斯科城店满减',
        en: 'Moscow City: spend more, save more',
      },
      description: {
        ru: '80 ₽ от 600 ₽, 150 ₽ от 1000 ₽ в CTEA Москва-Сити.',
        zh: '莫斯科城店满600减80，满1000减150。',
        en: '80 ₽ off from 600 ₽, 150 ₽ off from 1000 ₽ at CTEA Moscow City.',
      },
      type: 'THRESHOLD_OFF',
      discountValue: null,
      rule: {
        kind: 'THRESHOLD_OFF',
        tiers: [
          { min: 60_000, discount: 8_000 },
          { min: 100_000, discount: 15_000 },
        ],
      },
      scope: { type: 'ALL' },
      storeIdx: [store('MSK-03')],
      minOrder: null,
      maxDiscount: null,
      maxPerUser: 1,
      maxTotal: null,
      validFrom: now - 25 * DAY,
      validUntil: now + 35 * DAY,
      createdAt: now - 26 * DAY,
      issue: {
        kind: 'BATCH',
        source: 'CAMPAIGN',
        at: now - 25 * DAY,
        count: 90,
        reason: 'Открытие летней веранды в Москва-Сити',
        tags: ['city', 'b2b'],
      },
      appetite: 0.6,
      usage: 0,
    },
    {
      code: 'BOBA-1PLUS1',
      name: {
        ru: '1+1 на молоко с коричневым сахаром',
        zh: '黑糖珍珠鲜奶买一送一',
        en: 'Brown sugar boba milk 1+1',
      },
      description: {
        ru: 'Второй стакан бесплатно.',
        zh: '第二杯免费。',
        en: 'The second cup is free.',
      },
      type: 'BOGO',
      discountValue: null,
      rule: {
        kind: 'BOGO',
        buyProductIdx: [product('MT-BROWN-SUGAR')],
        buyQuantity: 1,
        getQuantity: 1,
        percent: 100,
        maxFreeItems: 2,
      },
      scope: { type: 'ALL' },
      storeIdx: null,
      minOrder: null,
      maxDiscount: null,
      maxPerUser: 1,
      maxTotal: 500,
      validFrom: now - 20 * DAY,
      validUntil: now + 40 * DAY,
      createdAt: now - 21 * DAY,
      issue: {
        kind: 'BATCH',
        source: 'ADMIN',
        at: now - 20 * DAY,
        count: 70,
        reason: 'Гости уровня SILVER и выше + активные гости',
        tags: ['vip'],
      },
      appetite: 0.6,
      usage: 0,
    },
    {
      code: 'FRUIT-3FOR2',
      name: {
        ru: 'Три фруктовых чая по цене двух',
        zh: '水果茶买二送一',
        en: 'Three fruit teas for two',
      },
      description: {
        ru: 'Самый дешёвый из трёх фруктовых чаёв — бесплатно.',
        zh: '三杯水果茶中最便宜的一杯免费。',
        en: 'The cheapest of three fruit teas is free.',
      },
      type: 'BUY_N_GET_M',
      discountValue: null,
      rule: {
        kind: 'BUY_N_GET_M',
        buyQuantity: 2,
        getQuantity: 1,
        percent: 100,
        categoryIdx: [category('FRUIT_TEA')],
        maxFreeItems: null,
      },
      scope: { type: 'ALL' },
      storeIdx: null,
      minOrder: null,
      maxDiscount: null,
      maxPerUser: 1,
      maxTotal: null,
      validFrom: now - 14 * DAY,
      validUntil: now + 46 * DAY,
      createdAt: now - 15 * DAY,
      issue: {
        kind: 'BATCH',
        source: 'ADMIN',
        at: now - 14 * DAY,
        count: 60,
        reason: 'Летняя акция на фруктовые чаи',
        tags: ['summer', 'fruit'],
      },
      appetite: 0.6,
      usage: 0,
    },
    {
      code: 'COFFEE15-ENDED',
      name: { ru: 'Кофе −15 %', zh: '咖啡85折', en: 'Coffee −15 %' },
      description: {
        ru: 'Скидка на кофе, не больше 50 ₽. Акция завершена.',
        zh: '咖啡85折，最多优惠50卢布。活动已结束。',
        en: '15 % off coffee, up to 50 ₽. The promotion has ended.',
      },
      type: 'SIMPLE_PERCENTAGE',
      discountValue: 15,
      rule: null,
      scope: { type: 'CATEGORIES', categoryIdx: [category('COFFEE')] },
      storeIdx: null,
      minOrder: null,
      maxDiscount: 5_000,
      maxPerUser: 1,
      maxTotal: null,
      validFrom: now - 70 * DAY,
      validUntil: now - 6 * DAY,
      createdAt: now - 71 * DAY,
      issue: {
        kind: 'BATCH',
        source: 'ADMIN',
        at: now - 70 * DAY,
        count: 110,
        reason: 'Запуск кофейного меню',
        tags: ['coffee'],
      },
      appetite: 0.5,
      usage: 0,
    },
  ];
  return t.map((x, idx) => ({ ...x, idx }));
}

/** CP-2 canonical rule_json, amounts as 2-decimal strings; product and category ids resolved. */
export function ruleJson(
  template: TemplatePlan,
  productIds: number[],
  categoryIds: number[],
): Record<string, unknown> | null {
  const rule = template.rule;
  if (!rule) return null;
  switch (rule.kind) {
    case 'THRESHOLD_OFF':
      return {
        tiers: rule.tiers.map((t) => ({
          min_amount: toDecimal(t.min),
          discount_amount: toDecimal(t.discount),
        })),
      };
    case 'BOGO':
      return {
        buy_product_ids: rule.buyProductIdx.map((i) => productIds[i]),
        buy_quantity: rule.buyQuantity,
        get_product_ids: rule.buyProductIdx.map((i) => productIds[i]),
        get_quantity: rule.getQuantity,
        get_discount_percent: rule.percent,
        ...(rule.maxFreeItems !== null ? { max_free_items: rule.maxFreeItems } : {}),
      };
    case 'BUY_N_GET_M':
      return {
        buy_quantity: rule.buyQuantity,
        get_quantity: rule.getQuantity,
        get_discount_percent: rule.percent,
        category_ids: rule.categoryIdx.map((i) => categoryIds[i]),
        ...(rule.maxFreeItems !== null ? { max_free_items: rule.maxFreeItems } : {}),
      };
  }
}

export interface PricedLine {
  lineNo: number;
  productIdx: number;
  categoryIdx: number;
  unitPrice: number;
  optionsPrice: number;
  quantity: number;
  lineTotal: number;
}

/**
 * Spreads a whole-order discount over eligible lines in proportion to line_total: floor each
 * share, then the remaining kopecks one by one to the largest remainders, ties to the lower
 * line_no (CP-5).
 */
export function spread(amount: number, lines: PricedLine[]): Map<number, number> {
  const out = new Map<number, number>();
  const base = lines.reduce((s, l) => s + l.lineTotal, 0);
  if (base === 0 || amount === 0) return out;
  let given = 0;
  const remainders: { lineNo: number; rem: number }[] = [];
  for (const l of lines) {
    const share = Math.floor((amount * l.lineTotal) / base);
    out.set(l.lineNo, share);
    given += share;
    remainders.push({ lineNo: l.lineNo, rem: (amount * l.lineTotal) % base });
  }
  remainders.sort((a, b) => b.rem - a.rem || a.lineNo - b.lineNo);
  for (let i = 0; given < amount; i++, given++) {
    const r = remainders[i % remainders.length] as { lineNo: number };
    out.set(r.lineNo, (out.get(r.lineNo) ?? 0) + 1);
  }
  return out;
}

/** Unit-based types (CP-4): cheapest units of the pool, by price then lower line_no. */
function unitDiscounts(
  pool: PricedLine[],
  buy: number,
  get: number,
  percent: number,
  maxFree: number | null,
): Map<number, number> {
  const units: { lineNo: number; price: number }[] = [];
  for (const l of pool) {
    for (let q = 0; q < l.quantity; q++)
      units.push({ lineNo: l.lineNo, price: l.unitPrice + l.optionsPrice });
  }
  units.sort((a, b) => a.price - b.price || a.lineNo - b.lineNo);
  let discounted = Math.floor(units.length / (buy + get)) * get;
  if (maxFree !== null) discounted = Math.min(discounted, maxFree);
  const out = new Map<number, number>();
  for (const u of units.slice(0, discounted)) {
    out.set(u.lineNo, (out.get(u.lineNo) ?? 0) + rhu(u.price * percent, 100));
  }
  return out;
}

/** Per-line coupon discount (CP-1…CP-5); empty when the coupon does not apply. */
export function couponDiscount(
  template: TemplatePlan,
  lines: PricedLine[],
  subtotal: number,
): Map<number, number> {
  if (template.minOrder !== null && subtotal < template.minOrder) return new Map();
  const scope = template.scope;
  const eligible = lines.filter((l) =>
    scope.type === 'ALL'
      ? true
      : scope.type === 'CATEGORIES'
        ? scope.categoryIdx.includes(l.categoryIdx)
        : scope.productIdx.includes(l.productIdx),
  );
  const eligibleAmount = eligible.reduce((s, l) => s + l.lineTotal, 0);
  let perLine: Map<number, number>;
  switch (template.type) {
    case 'SIMPLE_PERCENTAGE':
      perLine = new Map(
        eligible.map((l) => [
          l.lineNo,
          rhu(l.lineTotal * (template.discountValue as number) * 100, 10_000),
        ]),
      );
      break;
    case 'SIMPLE_FIXED':
      perLine = spread(Math.min(template.discountValue as number, eligibleAmount), eligible);
      break;
    case 'THRESHOLD_OFF': {
      const rule = template.rule as ThresholdRule;
      const tier = [...rule.tiers].reverse().find((t) => t.min <= eligibleAmount);
      perLine = spread(tier?.discount ?? 0, eligible);
      break;
    }
    case 'BOGO': {
      const rule = template.rule as BogoRule;
      const pool = lines.filter((l) => rule.buyProductIdx.includes(l.productIdx));
      perLine = unitDiscounts(
        pool,
        rule.buyQuantity,
        rule.getQuantity,
        rule.percent,
        rule.maxFreeItems,
      );
      break;
    }
    case 'BUY_N_GET_M': {
      const rule = template.rule as BuyNGetMRule;
      const pool = lines.filter((l) => rule.categoryIdx.includes(l.categoryIdx));
      perLine = unitDiscounts(
        pool,
        rule.buyQuantity,
        rule.getQuantity,
        rule.percent,
        rule.maxFreeItems,
      );
      break;
    }
  }
  const total = [...perLine.values()].reduce((s, v) => s + v, 0);
  if (template.maxDiscount !== null && total > template.maxDiscount) {
    const capped = lines.filter((l) => (perLine.get(l.lineNo) ?? 0) > 0);
    perLine = spread(template.maxDiscount, capped);
  }
  for (const [k, v] of perLine) if (v === 0) perLine.delete(k);
  return perLine;
}
