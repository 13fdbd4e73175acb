/**
 * One ACTIVE influencer campaign with two codes, and the offline scans stores reported for them:
 * some auto-matched to web orders (OS-6), some matched by hand (OS-7), most unmatched (walk-in
 * receipts that never were web orders), a few retried by devices (dup_count), and reversals for
 * attributed orders that were later cancelled or refunded (OS-9). Code counters are computed from
 * the rows, so reports over all time equal the counters (OS-8).
 */
import type { Catalog } from './plan-catalog';
import { managerKey, type OrderPlan } from './plan-orders';
import { Rng } from './random';
import { DAY, HOUR, MINUTE } from './time';

export interface CampaignPlan {
  code: string;
  name: { ru: string; zh: string; en: string };
  description: string;
  startAt: number;
  endAt: number;
  letter: string;
  budget: number;
  createdAt: number;
}

export interface InfluencerPlan {
  name: string;
  phone: string;
  email: string;
  platform: string;
  handle: string;
  followers: number;
  commissionRate: string;
  notes: string;
  createdAt: number;
}

export interface CodePlan {
  idx: number;
  influencerIdx: number;
  code: string;
  scanCount: number;
  orderCount: number;
  totalGmv: number;
  createdAt: number;
  updatedAt: number;
}

export interface ScanPlan {
  clientEventId: string;
  codeIdx: number;
  storeIdx: number;
  scannedBy: string;
  scanType: 'POS' | 'CASHIER_APP' | 'ADMIN' | 'QR';
  scannedAt: number;
  receivedAt: number;
  orderIdx: number | null;
  orderAmount: number | null;
  matchedAt: number | null;
  matchMethod: 'AUTO' | 'MANUAL' | null;
  matchedByStaffKey: string | null;
  dupCount: number;
  lastDupAt: number | null;
  reversedAt: number | null;
  updatedAt: number;
}

export interface ScansPlan {
  campaign: CampaignPlan;
  influencers: InfluencerPlan[];
  codes: CodePlan[];
  scans: ScanPlan[];
}

const ADMIN_EMAIL = 'admin@ctea.local';

export function buildScans(now: number, catalog: Catalog, orders: OrderPlan[]): ScansPlan {
  const rng = new Rng('scans');
  const campaign: CampaignPlan = {
    code: 'SUMMER-BLOGGERS',
    name: { ru: 'Летние блогеры', zh: '夏季博主推广', en: 'Summer bloggers' },
    description: 'Промокоды блогеров: гость называет код на кассе, кассир сканирует его в POS.',
    startAt: now - 30 * DAY,
    endAt: now + 60 * DAY,
    letter: 'A',
    budget: 15_000_000,
    createdAt: now - 33 * DAY,
  };
  const influencers: InfluencerPlan[] = [
    {
      name: 'Екатерина Лебедева',
      phone: '+79161234501',
      email: 'katya.bubble@example.ru',
      platform: 'TELEGRAM',
      handle: '@katya_bubbletea',
      followers: 48_200,
      commissionRate: '7.50',
      notes: 'Обзоры кафе в центре Москвы; публикации по пятницам.',
      createdAt: now - 32 * DAY,
    },
    {
      name: 'Максим Орлов',
      phone: '+79261234502',
      email: 'maxim.eats@example.ru',
      platform: 'VK',
      handle: 'maxim_eats_msk',
      followers: 125_000,
      commissionRate: '5.00',
      notes: 'Фуд-блогер, аудитория 18–30; сторис с промокодом раз в неделю.',
      createdAt: now - 32 * DAY,
    },
  ];
  const numbers = new Set<number>();
  const codes: CodePlan[] = influencers.map((_, idx) => {
    let n: number;
    do n = rng.int(1000, 9999);
    while (numbers.has(n));
    numbers.add(n);
    return {
      idx,
      influencerIdx: idx,
      code: `${campaign.letter}${n}`,
      scanCount: 0,
      orderCount: 0,
      totalGmv: 0,
      createdAt: now - 31 * DAY + idx * HOUR,
      updatedAt: now - 31 * DAY + idx * HOUR,
    };
  });

  // Orders that auto-match would have to choose between: same store, same amount, ±5 minutes.
  const sameAmount = new Map<string, OrderPlan[]>();
  for (const o of orders) {
    const k = `${o.storeIdx}:${o.final}`;
    const list = sameAmount.get(k) ?? [];
    list.push(o);
    sameAmount.set(k, list);
  }
  const candidatesAround = (storeIdx: number, amount: number, at: number) =>
    (sameAmount.get(`${storeIdx}:${amount}`) ?? []).filter(
      (o) => Math.abs(o.createdAt - at) <= 5 * MINUTE,
    );

  // Attributable: a paid order in the campaign window that was confirmed (OS-6, OS-7).
  const attributable = rng.shuffle(
    orders.filter(
      (o) =>
        o.final > 0 &&
        o.tl.confirmedAt !== null &&
        o.createdAt > campaign.startAt + 10 * MINUTE &&
        o.createdAt < now - 30 * MINUTE,
    ),
  );
  const endOfAttributable = (o: OrderPlan) => o.tl.cancelledAt ?? o.tl.refundedAt ?? Infinity;
  const cashier = (storeIdx: number) =>
    `${catalog.stores[storeIdx]!.seed.code.toLowerCase()}-cashier-${String(rng.int(1, 6)).padStart(2, '0')}`;

  const scans: ScanPlan[] = [];
  const plan = [
    { codeIdx: 0, total: 95 },
    { codeIdx: 1, total: 62 },
  ];
  for (const { codeIdx, total } of plan) {
    for (let i = 0; i < total; i++) {
      const matched = rng.chance(0.42);
      const order = matched ? attributable.pop() : undefined;
      if (order) {
        // Usually the guest names the code at pickup, after paying online.
        const scannedAt = Math.max(campaign.startAt, order.createdAt + rng.int(-60_000, 280_000));
        const receivedAt = scannedAt + rng.int(1_500, 60_000);
        const unique = candidatesAround(order.storeIdx, order.final, scannedAt).length === 1;
        const auto = unique && receivedAt >= (order.tl.confirmedAt as number) && rng.chance(0.8);
        const matchedAt = auto
          ? receivedAt + rng.int(5, 900)
          : receivedAt + rng.int(20, 8 * 60) * MINUTE;
        if (
          matchedAt >= now ||
          matchedAt < (order.tl.confirmedAt as number) ||
          matchedAt >= endOfAttributable(order)
        ) {
          attributable.unshift(order);
          i--;
          continue;
        }
        const staff = rng.chance(0.3)
          ? 'admin'
          : managerKey(catalog.stores[order.storeIdx]!.seed.code);
        const scan: ScanPlan = {
          clientEventId: rng.uuid(),
          codeIdx,
          storeIdx: order.storeIdx,
          scannedBy: cashier(order.storeIdx),
          scanType: rng.table([
            ['POS', 60],
            ['CASHIER_APP', 30],
            ['QR', 10],
          ] as const),
          scannedAt,
          receivedAt,
          orderIdx: order.idx,
          // Scans without an amount can only be matched by hand (OS-6).
          orderAmount: auto || rng.chance(0.5) ? order.final : null,
          matchedAt,
          matchMethod: auto ? 'AUTO' : 'MANUAL',
          matchedByStaffKey: auto ? null : staff,
          dupCount: 0,
          lastDupAt: null,
          reversedAt: null,
          updatedAt: matchedAt,
        };
        const end = endOfAttributable(order);
        if (end !== Infinity) {
          scan.reversedAt = end + rng.int(5, 400);
          scan.updatedAt = scan.reversedAt;
        }
        order.campaignCodeIdx = codeIdx;
        scans.push(scan);
        continue;
      }
      // A walk-in receipt: never a web order, so it stays unmatched.
      const storeIdx = rng.weighted([0, 1, 2], (s) => [0.45, 0.35, 0.2][s] as number);
      let scannedAt: number;
      do {
        scannedAt =
          campaign.startAt +
          rng.int(0, Math.floor((now - 15 * MINUTE - campaign.startAt) / 1000)) * 1000;
      } while (!openAt(catalog, storeIdx, scannedAt));
      let amount: number | null = rng.chance(0.75) ? rng.int(18, 120) * 1_000 : null;
      while (amount !== null && candidatesAround(storeIdx, amount, scannedAt).length > 0)
        amount += 500;
      const isAdmin = rng.chance(0.03);
      const receivedAt = isAdmin
        ? scannedAt + rng.int(2, 30) * HOUR
        : scannedAt + rng.int(1_500, 90_000);
      scans.push({
        clientEventId: rng.uuid(),
        codeIdx,
        storeIdx,
        scannedBy: isAdmin ? ADMIN_EMAIL : cashier(storeIdx),
        scanType: isAdmin
          ? 'ADMIN'
          : rng.table([
              ['POS', 60],
              ['CASHIER_APP', 30],
              ['QR', 10],
            ] as const),
        scannedAt,
        receivedAt: Math.min(receivedAt, now - MINUTE),
        orderIdx: null,
        orderAmount: amount,
        matchedAt: null,
        matchMethod: null,
        matchedByStaffKey: null,
        dupCount: 0,
        lastDupAt: null,
        reversedAt: null,
        updatedAt: Math.min(receivedAt, now - MINUTE),
      });
    }
  }

  // Devices that lost the answer resend the batch (OS-5): the first sighting's data stays.
  for (const scan of rng.sample(
    scans.filter((s) => s.scanType !== 'ADMIN'),
    9,
  )) {
    scan.dupCount = rng.int(1, 3);
    scan.lastDupAt = Math.min(now - MINUTE, scan.receivedAt + rng.int(5_000, 20 * 60_000));
    scan.updatedAt = Math.max(scan.updatedAt, scan.lastDupAt);
  }

  scans.sort((a, b) => a.receivedAt - b.receivedAt);
  for (const s of scans) {
    const code = codes[s.codeIdx]!;
    code.scanCount += 1;
    code.updatedAt = Math.max(code.updatedAt, s.receivedAt);
    if (s.orderIdx !== null && s.reversedAt === null) {
      code.orderCount += 1;
      code.totalGmv += orders[s.orderIdx]!.final;
    }
    if (s.matchedAt !== null) code.updatedAt = Math.max(code.updatedAt, s.matchedAt);
    if (s.reversedAt !== null) code.updatedAt = Math.max(code.updatedAt, s.reversedAt);
  }
  return { campaign, influencers, codes, scans };
}

function openAt(catalog: Catalog, storeIdx: number, at: number): boolean {
  const code = catalog.stores[storeIdx]!.seed.code;
  const hour = new Date(at + 3 * HOUR).getUTCHours();
  if (code === 'MSK-01') return hour >= 7 || hour < 1;
  return hour >= 10 && hour < 22;
}
