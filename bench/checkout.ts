import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import { createDatabase } from '../db/database.server';
import { migrateToLatest } from '../db/migrate';
import type { DB } from '../db/types.generated';
import { placeOrder } from '../app/features/checkout/place-order.service.server';
import { quoteCheckout } from '../app/features/checkout/pricing.server';
import type { QuoteBody } from '../app/features/checkout/checkout.schema';
import { toDecimal } from '../app/utils/money';
import { createCouponTemplate, createUser } from '../tests/factories';
import { createShop, type Shop } from '../tests/support/checkout';
import { parseBenchArgs } from './lib/args';
import { cpuPer, cpuSnapshot, type CpuSnapshot } from './lib/cpu';
import { cleanUpOnSignals, isInterrupted, onCleanup, runCleanup, runBench } from './lib/cleanup';
import { fixed, ms, note, percentile, ratioLine, say, table } from './lib/format';
import { runCheckoutWrites } from './lib/checkout-writes';
import { pgbenchVersion, runTpcB, PGBENCH } from './lib/pgbench';
import { createScratchDatabase, openBenchServer } from './lib/server';

/**
 * `npm run bench:checkout`: committed checkouts per second of placeOrder (CK-3) against pgbench's
 * default TPC-B-like script, both on the same PostgreSQL server in the same run, with the same
 * number of clients and duration. Each checkout client is one connection looping over its own
 * members, as concurrent customers do in production; pgbench runs in a database of its own.
 *
 * The checkout mix: 1–3 line carts with options, a quarter of them delivered, about 20 % with a
 * 10 % coupon issued to the member and about 10 % paid entirely with points. The expected final
 * amount of every cart shape is quoted once during setup, so the timed loop measures placeOrder
 * alone (the quote is a separate request in the storefront).
 *
 * Then the ceiling: pgbench itself writes the rows of a checkout with placeOrder's statements and
 * locks (bench/sql/checkout-writes.sql) in the same database, once taking the number from the
 * shared ON-3 counter row and once without it. placeOrder cannot pass the first figure: it is its
 * own writes without the application (ADR 0027). The second shows what the one row every
 * checkout locks costs.
 */

const USAGE = `usage: npm run bench:checkout -- [--seconds N] [--clients N]
  --seconds  measured duration of each run: TPC-B, checkout, two ceiling runs (default 15)
  --clients  concurrent clients, one connection each (default 8)`;
const GOAL = 0.4;
const WARMUP_MS = 2_000;
const PGBENCH_SCALE = 10;
const MEMBERS = 4_000;
const COUPONS_PER_MEMBER = 2;
/** Points granted to every member: enough for several carts paid with points (100 per ruble). */
const POINTS_GRANT = 500_000;
const COUPON_SHARE = 0.2;
const POINTS_SHARE = 0.1;

type Benefit = 'plain' | 'coupon' | 'points';

interface CartShape {
  orderType: 'PICKUP' | 'DELIVERY';
  lines: {
    product: 'cheap' | 'dear';
    quantity: number;
    sugar?: 'HALF' | 'FULL';
    pearls?: boolean;
  }[];
}

/** 1–3 lines; `cheap` drinks need a sugar choice and may take pearls (+50.00). */
const SHAPES: CartShape[] = [
  { orderType: 'PICKUP', lines: [{ product: 'cheap', quantity: 1, sugar: 'HALF' }] },
  { orderType: 'PICKUP', lines: [{ product: 'cheap', quantity: 1, sugar: 'FULL', pearls: true }] },
  { orderType: 'PICKUP', lines: [{ product: 'dear', quantity: 1 }] },
  {
    orderType: 'PICKUP',
    lines: [
      { product: 'cheap', quantity: 2, sugar: 'HALF' },
      { product: 'dear', quantity: 1 },
    ],
  },
  {
    orderType: 'PICKUP',
    lines: [
      { product: 'cheap', quantity: 1, sugar: 'FULL' },
      { product: 'cheap', quantity: 1, sugar: 'HALF', pearls: true },
    ],
  },
  {
    orderType: 'PICKUP',
    lines: [
      { product: 'dear', quantity: 2 },
      { product: 'cheap', quantity: 1, sugar: 'FULL', pearls: true },
      { product: 'cheap', quantity: 1, sugar: 'HALF' },
    ],
  },
  {
    orderType: 'DELIVERY',
    lines: [
      { product: 'dear', quantity: 1 },
      { product: 'cheap', quantity: 1, sugar: 'HALF' },
    ],
  },
  {
    orderType: 'DELIVERY',
    lines: [{ product: 'cheap', quantity: 2, sugar: 'FULL', pearls: true }],
  },
];

/** A point inside the shop's delivery zone. */
const DELIVERY_ADDRESS = { address_line: 'Тверская ул., 7', latitude: 55.7575, longitude: 37.6133 };

interface PreparedCart {
  shape: CartShape;
  body: (benefit: Benefit, couponInstanceId?: number) => QuoteBody;
  expected: Record<Benefit, string>;
  requiredPoints: number;
}

interface BenchMember {
  id: number;
  coupons: number[];
  points: number;
}

/** Small deterministic PRNG (mulberry32): each client draws the same mix on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The shop, members with points and coupons, and the quoted amount of every cart shape. */
async function buildFixture(db: Kysely<DB>) {
  const shop = await createShop(db);
  const admin = await createUser(db);
  const template = await createCouponTemplate(db, {
    max_usage_per_user: null,
    created_by: admin.id,
  });

  const verifiedAt = new Date();
  const members: BenchMember[] = [];
  for (const batch of chunks(
    Array.from({ length: MEMBERS }, (_, i) => i),
    1_000,
  )) {
    const rows = await db
      .insertInto('member')
      .values(
        batch.map((i) => ({
          phone: `+7900${String(i).padStart(7, '0')}`,
          display_name: `Гость ${i}`,
          phone_verified_at: verifiedAt,
          available_points_balance: POINTS_GRANT,
        })),
      )
      .returning('id')
      .execute();
    // the ledger row behind the balance (PT-10: balance = Σ delta)
    await db
      .insertInto('member_points_history')
      .values(
        rows.map((m) => ({
          member_id: m.id,
          delta: POINTS_GRANT,
          balance_after: POINTS_GRANT,
          reason: 'ADMIN_ADJUST',
          idempotency_key: `bench-grant:${m.id}`,
          actor_user_id: admin.id,
        })),
      )
      .execute();
    const issued = await db
      .insertInto('coupon_instance')
      .values(
        rows.flatMap((m) =>
          Array.from({ length: COUPONS_PER_MEMBER }, () => ({
            template_id: template.id,
            member_id: m.id,
            source_type: 'ADMIN',
          })),
        ),
      )
      .returning(['id', 'member_id'])
      .execute();
    const byId = new Map(
      rows.map((m) => [m.id, { id: m.id, coupons: [] as number[], points: POINTS_GRANT }]),
    );
    for (const c of issued) byId.get(c.member_id)!.coupons.push(c.id);
    members.push(...byId.values());
  }

  const sample = members[0]!;
  const carts: PreparedCart[] = [];
  for (const shape of SHAPES) {
    const body = (benefit: Benefit, couponInstanceId?: number) =>
      cartBody(shop, shape, benefit, couponInstanceId);
    const quote = async (benefit: Benefit) => {
      const q = await quoteCheckout(db, {
        memberId: sample.id,
        body: body(benefit, sample.coupons[0]),
        lang: 'ru',
      });
      const problem = q.problems[0];
      if (problem) {
        throw new Error(
          `fixture: a ${shape.orderType} cart with ${benefit} does not quote: ${problem.code} ${JSON.stringify(problem.details)}`,
        );
      }
      return q;
    };
    const plain = await quote('plain');
    const coupon = await quote('coupon');
    const points = await quote('points');
    carts.push({
      shape,
      body,
      expected: {
        plain: toDecimal(plain.finalKopecks),
        coupon: toDecimal(coupon.finalKopecks),
        points: toDecimal(points.finalKopecks),
      },
      requiredPoints: points.points.requiredPoints,
    });
  }
  return { shop, members, carts };
}

function cartBody(
  shop: Shop,
  shape: CartShape,
  benefit: Benefit,
  couponInstanceId?: number,
): QuoteBody {
  return {
    store_id: shop.store.id,
    order_type: shape.orderType,
    lines: shape.lines.map((l) => ({
      product_id: shop[l.product].id,
      quantity: l.quantity,
      option_item_ids:
        l.product === 'cheap'
          ? [
              (l.sugar === 'FULL' ? shop.sugarFull : shop.sugarHalf).id,
              ...(l.pearls ? [shop.pearls.id] : []),
            ]
          : [],
    })),
    delivery: shape.orderType === 'DELIVERY' ? DELIVERY_ADDRESS : null,
    coupon_instance_id: benefit === 'coupon' ? couponInstanceId : null,
    use_points: benefit === 'points',
  };
}

interface Clock {
  /** performance.now() bounds of the measured window; Infinity until they are reached. */
  from: number;
  to: number;
  stopped: boolean;
}

interface CpuWindow {
  from: CpuSnapshot | null;
  to: CpuSnapshot | null;
}

interface Stats {
  latencies: number[];
  committed: Record<Benefit, number>;
  delivery: number;
  /** Every 201, warm-up included, to compare with the orders in the database. */
  committedAllPhases: number;
  errors: Map<string, number>;
  errorSamples: Map<string, string>;
}

/** One client: its own connection and members, checkouts back to back until the clock stops. */
async function runClient(
  db: Kysely<DB>,
  members: BenchMember[],
  carts: PreparedCart[],
  seed: number,
  clock: Clock,
  stats: Stats,
): Promise<void> {
  const rnd = random(seed);
  let turn = 0;
  while (!clock.stopped) {
    const member = members[turn++ % members.length]!;
    const cart = carts[Math.floor(rnd() * carts.length)]!;
    const draw = rnd();
    const benefit: Benefit =
      draw < COUPON_SHARE && member.coupons.length > 0
        ? 'coupon'
        : draw >= COUPON_SHARE &&
            draw < COUPON_SHARE + POINTS_SHARE &&
            member.points >= cart.requiredPoints
          ? 'points'
          : 'plain';
    const couponId = benefit === 'coupon' ? member.coupons[member.coupons.length - 1] : undefined;
    const body = { ...cart.body(benefit, couponId), expected_final_amount: cart.expected[benefit] };

    const started = performance.now();
    let code: string | null = null;
    let detail = '';
    try {
      const result = await placeOrder(db, {
        memberId: member.id,
        body,
        idempotencyKey: randomUUID(),
      });
      if (result.status !== 201 || !('order' in result.body)) {
        code = 'error' in result.body ? result.body.error.code : `HTTP_${result.status}`;
        detail = JSON.stringify(result.body);
      }
    } catch (err) {
      const pgCode = (err as { code?: unknown }).code;
      code = typeof pgCode === 'string' ? `exception ${pgCode}` : 'exception';
      detail = err instanceof Error ? err.message : String(err);
    }
    const finished = performance.now();

    if (code === null) {
      stats.committedAllPhases += 1;
      if (benefit === 'coupon') member.coupons.pop();
      if (benefit === 'points') member.points -= cart.requiredPoints;
    }
    if (finished < clock.from || finished > clock.to) continue;
    if (code === null) {
      stats.latencies.push(finished - started);
      stats.committed[benefit] += 1;
      if (cart.shape.orderType === 'DELIVERY') stats.delivery += 1;
    } else {
      stats.errors.set(code, (stats.errors.get(code) ?? 0) + 1);
      if (!stats.errorSamples.has(code)) stats.errorSamples.set(code, detail);
    }
  }
}

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2), { seconds: 15, clients: 8 }, USAGE);
  if ('help' in args) {
    say(args.help);
    return 0;
  }
  if ('error' in args) {
    note(args.error);
    return 2;
  }
  const pgbench = pgbenchVersion();
  if (!pgbench) {
    note(
      `${PGBENCH} was not found: the baseline needs PostgreSQL's pgbench ` +
        '(Debian: apt-get install postgresql, which ships it with the server binaries).',
    );
    return 1;
  }

  const clock: Clock = { from: Infinity, to: Infinity, stopped: false };
  cleanUpOnSignals(() => {
    clock.stopped = true;
  });

  const loadBefore = os.loadavg()[0]!;
  note('bench:checkout: preparing the server and two scratch databases…');
  const server = await openBenchServer(note);
  const pgbenchDb = await createScratchDatabase(server, 'pgbench');
  const appDb = await createScratchDatabase(server, 'checkout');
  const { error } = await migrateToLatest(appDb.url);
  if (error) throw error;

  const setup = createDatabase(appDb.url, { max: 2 });
  onCleanup('close the setup pool', () => setup.db.destroy());
  note(`bench:checkout: creating ${MEMBERS} members with points and coupons…`);
  const { shop, members, carts } = await buildFixture(setup.db);

  note(
    `bench:checkout: pgbench -i -s ${PGBENCH_SCALE}, then ${args.clients} clients for ${args.seconds} s…`,
  );
  const baseline = await runTpcB(pgbenchDb.url, {
    scale: PGBENCH_SCALE,
    clients: args.clients,
    seconds: args.seconds,
  });

  note(
    `bench:checkout: placeOrder, ${args.clients} clients, ${WARMUP_MS / 1000} s warm-up + ${args.seconds} s…`,
  );
  const clients = Array.from({ length: args.clients }, () => createDatabase(appDb.url, { max: 1 }));
  onCleanup('close the client pools', async () => {
    await Promise.all(clients.map((c) => c.db.destroy()));
  });
  await Promise.all(clients.map((c) => sql`select 1`.execute(c.db)));
  const stats: Stats = {
    latencies: [],
    committed: { plain: 0, coupon: 0, points: 0 },
    delivery: 0,
    committedAllPhases: 0,
    errors: new Map(),
    errorSamples: new Map(),
  };
  // members are dealt out round-robin: no two clients ever check out for the same member
  const running = clients.map((c, i) =>
    runClient(
      c.db,
      members.filter((_, m) => m % args.clients === i),
      carts,
      i + 1,
      clock,
      stats,
    ),
  );
  const cpu: CpuWindow = { from: null, to: null };
  await sleep(WARMUP_MS);
  clock.from = performance.now();
  cpu.from = cpuSnapshot();
  await sleep(args.seconds * 1000);
  clock.to = performance.now();
  cpu.to = cpuSnapshot();
  clock.stopped = true;
  await Promise.all(running);
  if (isInterrupted()) return 130;

  const orders = await setup.db
    .selectFrom('order')
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  if (Number(orders.n) !== stats.committedAllPhases) {
    note(
      `warning: ${stats.committedAllPhases} checkouts answered 201 but the database holds ${orders.n} orders`,
    );
  }

  // The ceiling: the same rows and locks written by pgbench alone, once with the shared ON-3
  // counter row and once without it (bench/sql/checkout-writes.sql).
  const ceiling = async (counter: 0 | 1) => {
    note(
      `bench:checkout: ceiling, checkout writes by pgbench ${counter ? 'with' : 'without'} the shared counter…`,
    );
    return runCheckoutWrites(
      appDb.url,
      { shop, memberIds: members.map((m) => m.id), counter },
      { clients: args.clients, seconds: args.seconds },
    );
  };
  const withCounter = await ceiling(1);
  const withoutCounter = await ceiling(0);
  if (isInterrupted()) return 130;

  const loadAfter = os.loadavg()[0]!;
  await runCleanup();

  const window = (clock.to - clock.from) / 1000;
  const committed = stats.committed.plain + stats.committed.coupon + stats.committed.points;
  const tps = committed / window;
  const latencies = stats.latencies.sort((a, b) => a - b);
  const share = (n: number) => `${fixed((100 * n) / Math.max(1, committed), 0)} %`;
  const errors = [...stats.errors].sort((a, b) => b[1] - a[1]);
  for (const [code, sample] of stats.errorSamples) note(`first ${code}: ${sample.slice(0, 500)}`);
  const ratio = tps / baseline.tps;
  // checkouts finishing inside the window approximate the work done in it
  const perCheckout = cpuPer(cpu.from!, cpu.to!, committed);

  say(`checkout throughput vs pgbench TPC-B — ${server.label}`);
  say(
    table([
      [
        'machine',
        `${os.cpus().length} CPUs, load average ${fixed(loadBefore, 1)} before, ${fixed(loadAfter, 1)} after`,
      ],
      ['clients', `${args.clients} (one connection each)`],
      ['duration', `${fixed(window, 1)} s measured, after a ${WARMUP_MS / 1000} s warm-up`],
      [
        'committed checkouts',
        `${committed} (delivery ${share(stats.delivery)}, coupon ${share(stats.committed.coupon)}, ` +
          `points ${share(stats.committed.points)})`,
      ],
      ['checkout tps', fixed(tps, 1)],
      ['latency p50 / p95', `${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 95))}`],
      [
        'errors',
        errors.length === 0 ? 'none' : errors.map(([code, n]) => `${code} × ${n}`).join(', '),
      ],
      [
        'pgbench tps',
        `${fixed(baseline.tps, 1)} (TPC-B, scale ${PGBENCH_SCALE}, -j ${baseline.threads})`,
      ],
      [
        'CPU per checkout',
        `${ms(perCheckout.processMs + perCheckout.restMs)} (this process ${ms(perCheckout.processMs)}, ` +
          `PostgreSQL and the rest of the machine ${ms(perCheckout.restMs)})`,
      ],
      ['CPU per pgbench transaction', `${ms(baseline.machineCpuMsPerTx)} (client and server)`],
      [
        'ceiling: writes by pgbench',
        `${fixed(withCounter, 1)} tps, ratio ${fixed(withCounter / baseline.tps, 3)}; without the ` +
          `shared counter row ${fixed(withoutCounter, 1)} tps, ratio ${fixed(withoutCounter / baseline.tps, 3)}`,
      ],
      ['ratio checkout / pgbench', fixed(ratio, 3)],
    ]),
  );
  if (committed === 0) {
    note('no checkout committed: the run is not a measurement');
    return 1;
  }
  say(ratioLine('checkout', ratio, GOAL));
  return 0;
}

runBench('checkout', main);
