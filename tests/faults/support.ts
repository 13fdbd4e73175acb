import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.generated';
import { csrfTokenFor } from '../../app/auth/csrf.server';
import { createMemberSession } from '../../app/auth/session.server';
import { quoteCheckout } from '../../app/features/checkout/pricing.server';
import { toDecimal } from '../../app/utils/money';
import { startFakes } from '../../scripts/lib/fakes';
import { seedDatabase } from '../../scripts/lib/seed-once';
import { createCouponInstance, createCouponTemplate, createMember, createUser } from '../factories';
import { createShop, pickupBody, type Shop } from '../support/checkout';
import { ROOT, startScript } from '../support/script-process';
import { createTestDatabase, type TestDatabase } from '../setup/test-database';

/**
 * Shared pieces of the fault tests (docs/ops/faults.md): the real server process on a given port,
 * customers with sessions, coupons and points, checkouts over HTTP the way the checkout page's
 * form posts them, and the all-or-nothing checks of the database afterwards.
 */

export function requireBuild(): void {
  if (!fs.existsSync(path.join(ROOT, 'build/index.js'))) {
    throw new Error('No server build: run `npm run build` before `npm run test:faults`');
  }
}

export interface AppProcess {
  base: string;
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
  stop: () => Promise<void>;
}

/** `node --import tsx scripts/server.ts` with its in-process workers, ready when /healthz is. */
export async function startApp(opts: {
  port: number;
  databaseUrl: string;
  env?: Record<string, string>;
}): Promise<AppProcess> {
  const proc = startScript('scripts/server.ts', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: opts.databaseUrl,
    PORT: String(opts.port),
    HOST: '127.0.0.1',
    // every client comes from 127.0.0.1 and checks out back to back: the checkout rate limits
    // are not what these tests are about
    RATE_LIMIT_CHECKOUT_PER_IP: '1000000',
    RATE_LIMIT_CHECKOUT_PER_MEMBER: '1000000',
    ...opts.env,
  });
  const base = `http://127.0.0.1:${opts.port}`;
  for (let i = 0; ; i++) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`server exited during start-up: ${proc.output()}`);
    }
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 1200) throw new Error(`server did not start: ${proc.output()}`);
    await sleep(100);
  }
  return {
    base,
    ...proc,
    stop: async () => {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
      proc.child.kill('SIGTERM');
      await proc.exit;
    },
  };
}

export function alive(app: AppProcess): boolean {
  return app.child.exitCode === null && app.child.signalCode === null;
}

/** The fake SMS, YooKassa, Telegram and iiko servers (scripts/lib/fakes.ts, as npm start runs). */
export async function startFakeServices(appPort: number) {
  const children: ChildProcess[] = [];
  const env = await startFakes(children, () => {}, { appPort });
  return {
    env,
    stop: async () => {
      for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
      await Promise.all(
        children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))),
      );
    },
  };
}

export type FakeServices = Awaited<ReturnType<typeof startFakeServices>>;

/** What a checkout fault test has started; closeRig stops whatever of it got started. */
export interface Rig {
  testDb?: TestDatabase;
  fakes?: FakeServices;
  app?: AppProcess;
}

/**
 * A demo-seeded test database with `customers` checkout customers and the fake services the app
 * calls (it is started by the test: `rig.app = await startApp(…)`).
 */
export async function openRig(rig: Rig, appPort: number, customers: number) {
  requireBuild();
  const testDb = (rig.testDb = await createTestDatabase());
  await seedDatabase(testDb.url, () => {});
  const fixture = await createFixture(testDb.db, customers);
  const fakes = (rig.fakes = await startFakeServices(appPort));
  return { testDb, fakes, fixture };
}

export async function closeRig(rig: Rig): Promise<void> {
  await rig.app?.stop();
  await rig.fakes?.stop();
  await rig.testDb?.destroy();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Benefit = 'plain' | 'coupon' | 'points';

export interface Customer {
  memberId: number;
  cookie: string;
  csrf: string;
  coupons: number[];
}

const CART_SHAPES: Parameters<typeof pickupBody>[1][] = [
  [{ product: 'cheap' }],
  [{ product: 'dear' }],
  [{ product: 'cheap', quantity: 2, pearls: true }, { product: 'dear' }],
];
/** Enough for every points checkout a run can make (100 points per ruble). */
const POINTS_GRANT = 10_000_000;

export interface Fixture {
  shop: Shop;
  customers: Customer[];
  /** The request body of a cart shape with a benefit (expected amount included). */
  body: (shape: number, benefit: Benefit, couponId?: number) => Record<string, unknown>;
  shapes: number;
}

/** A shop open around the clock and `count` members, each with coupons, points and a session. */
export async function createFixture(db: Kysely<DB>, count: number): Promise<Fixture> {
  const shop = await createShop(db);
  const admin = await createUser(db);
  const template = await createCouponTemplate(db, {
    max_usage_per_user: null,
    created_by: admin.id,
  });
  const customers: Customer[] = [];
  for (let i = 0; i < count; i++) {
    const member = await createMember(db, { available_points_balance: POINTS_GRANT });
    // the ledger row behind the balance (PT-10: balance = Σ delta)
    await db
      .insertInto('member_points_history')
      .values({
        member_id: member.id,
        delta: POINTS_GRANT,
        balance_after: POINTS_GRANT,
        reason: 'ADMIN_ADJUST',
        idempotency_key: `fault-grant:${member.id}`,
        actor_user_id: admin.id,
      })
      .execute();
    const coupons: number[] = [];
    for (let c = 0; c < 4; c++) {
      const instance = await createCouponInstance(db, {
        template_id: template.id,
        member_id: member.id,
        source_type: 'ADMIN',
      });
      coupons.push(instance.id);
    }
    const session = await createMemberSession(db, { memberId: member.id });
    customers.push({
      memberId: member.id,
      cookie: session.cookieHeader.split(';')[0]!,
      csrf: csrfTokenFor(session.tokenHash),
      coupons,
    });
  }

  // every shape's amount with each benefit, quoted once (prices do not change during a run)
  const sample = customers[0]!;
  const raw = (shape: number, benefit: Benefit, couponId?: number) =>
    pickupBody(shop, CART_SHAPES[shape]!, {
      coupon_instance_id: benefit === 'coupon' ? couponId : null,
      use_points: benefit === 'points',
    });
  const expected = new Map<string, string>();
  for (let shape = 0; shape < CART_SHAPES.length; shape++) {
    for (const benefit of ['plain', 'coupon', 'points'] as const) {
      const q = await quoteCheckout(db, {
        memberId: sample.memberId,
        body: raw(shape, benefit, sample.coupons[0]) as never,
        lang: 'ru',
      });
      if (q.problems.length > 0) throw new Error(`fixture: ${JSON.stringify(q.problems)}`);
      expected.set(`${shape}:${benefit}`, toDecimal(q.finalKopecks));
    }
  }
  return {
    shop,
    customers,
    shapes: CART_SHAPES.length,
    body: (shape, benefit, couponId) => ({
      ...raw(shape, benefit, couponId),
      expected_final_amount: expected.get(`${shape}:${benefit}`)!,
    }),
  };
}

export type Outcome =
  | { kind: 'order'; token: string }
  | { kind: 'refused'; status: number; code: string }
  | { kind: 'unavailable' }
  | { kind: 'in_progress' }
  | { kind: 'network'; message: string }
  | { kind: 'unexpected'; status: number; body: string };

export interface Attempt {
  customer: Customer;
  key: string;
  body: Record<string, unknown>;
  benefit: Benefit;
  /** `?_data` (the page's form with JavaScript) or a plain document form post. */
  asData: boolean;
}

const CHECKOUT_ROUTE = 'routes/_shop.checkout.$storeCode';

/** One checkout POST, exactly as the checkout page's form sends it. */
export async function postCheckout(
  base: string,
  storeCode: string,
  a: Attempt,
  signal?: AbortSignal,
): Promise<{ status: number; outcome: Outcome }> {
  const form = new URLSearchParams({
    csrf: a.customer.csrf,
    idempotency_key: a.key,
    store_id: String(a.body.store_id),
    order_type: String(a.body.order_type),
    lines: JSON.stringify(a.body.lines),
    use_points: a.body.use_points ? 'true' : 'false',
    expected_final_amount: String(a.body.expected_final_amount),
  });
  if (a.body.coupon_instance_id != null) {
    form.set('coupon_instance_id', String(a.body.coupon_instance_id));
  }
  const url = `${base}/checkout/${storeCode}${a.asData ? `?_data=${encodeURIComponent(CHECKOUT_ROUTE)}` : ''}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal,
      headers: {
        Cookie: a.customer.cookie,
        Origin: base,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: form,
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return {
      status: 0,
      outcome: { kind: 'network', message: cause?.code ?? cause?.message ?? String(err) },
    };
  }
  const text = await res.text().catch(() => '');
  const redirect = res.headers.get('x-remix-redirect') ?? res.headers.get('location');
  const token = redirect ? /^\/o\/([^/]+)/.exec(redirect)?.[1] : undefined;
  if ((res.status === 204 || res.status === 302) && token) {
    return { status: res.status, outcome: { kind: 'order', token } };
  }
  if (res.status === 503) return { status: 503, outcome: { kind: 'unavailable' } };
  // a document post the action refused re-renders the page, whose loader sends a browser without
  // a cart cookie back to the cart: the refusal's code is only visible to `?_data` posts
  if (res.status === 302 && redirect?.startsWith('/cart/')) {
    return { status: 302, outcome: { kind: 'refused', status: 302, code: 'DOCUMENT_REFUSED' } };
  }
  let code = '';
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? '';
  } catch {
    // a document post answers HTML; its error code is not needed
  }
  if (res.status === 409 && code === 'IDEMPOTENCY_IN_PROGRESS') {
    return { status: 409, outcome: { kind: 'in_progress' } };
  }
  if (res.status >= 400 && res.status < 500) {
    return { status: res.status, outcome: { kind: 'refused', status: res.status, code } };
  }
  return {
    status: res.status,
    outcome: { kind: 'unexpected', status: res.status, body: redirect ?? text },
  };
}

export function newAttempt(
  fixture: Fixture,
  customer: Customer,
  rnd: () => number,
  reservedCoupons: Set<number>,
): Attempt {
  const shape = Math.floor(rnd() * fixture.shapes);
  const draw = rnd();
  const free = customer.coupons.find((c) => !reservedCoupons.has(c));
  const benefit: Benefit =
    draw < 0.25 && free !== undefined ? 'coupon' : draw < 0.4 ? 'points' : 'plain';
  // a coupon whose request's outcome is unknown is not offered again: the retry settles it
  if (benefit === 'coupon') reservedCoupons.add(free!);
  return {
    customer,
    key: crypto.randomUUID(),
    body: fixture.body(shape, benefit, benefit === 'coupon' ? free : undefined),
    benefit,
    asData: rnd() < 0.7,
  };
}

/** Small deterministic PRNG: the demo seed's mulberry32. */
export { mulberry32 as random } from '../../db/seed/random';

/**
 * Sends each attempt again with its own key until it has a final answer. A claim left IN_PROGRESS
 * by a request whose process or connection died is taken over once `locked_until` (60 s) passes;
 * the test moves that moment to now instead of waiting. Returns the final outcome per key.
 */
export async function settle(
  base: string,
  storeCode: string,
  db: Kysely<DB>,
  attempts: Attempt[],
): Promise<Map<string, Outcome>> {
  const final = new Map<string, Outcome>();
  for (const a of attempts) {
    for (let round = 0; ; round++) {
      if (round > 50) throw new Error(`checkout ${a.key} did not settle`);
      // as the page's script posts it, so a refusal's code is visible
      const { outcome } = await postCheckout(base, storeCode, { ...a, asData: true });
      if (outcome.kind === 'refused' && outcome.status === 429) {
        await sleep(1000);
        continue;
      }
      if (outcome.kind === 'order' || outcome.kind === 'refused') {
        final.set(a.key, outcome);
        break;
      }
      if (outcome.kind === 'unexpected') {
        throw new Error(`unexpected answer ${outcome.status}: ${outcome.body.slice(0, 300)}`);
      }
      if (outcome.kind === 'in_progress') {
        await sql`
          update idempotency_record set locked_until = now()
          where scope = 'checkout' and idempotency_key = ${a.key} and status = 'IN_PROGRESS'
        `.execute(db);
      } else {
        await sleep(200);
      }
    }
  }
  return final;
}

/**
 * All-or-nothing after the faults, for the orders, coupons and ledgers of the given members (the
 * demo seed's own history is not the test's): every order is whole (lines, payment intent or POS
 * job, coupon or points rows, audit row, a real number), numbers have no gap or duplicate, every
 * completed idempotency record points at its order. Returns the problems (empty = consistent).
 */
export async function consistencyProblems(db: Kysely<DB>, memberIds: number[]): Promise<string[]> {
  const problems: string[] = [];
  const ids = sql.raw(memberIds.map(Number).join(',') || 'null');
  const orders = sql`(select * from "order" where member_id in (${ids}))`;
  const check = async (what: string, query: ReturnType<typeof sql<{ id: unknown }>>) => {
    const { rows } = await query.execute(db);
    if (rows.length > 0) {
      problems.push(
        `${what}: ${rows
          .map((r) => String(r.id))
          .slice(0, 10)
          .join(', ')}`,
      );
    }
  };
  await check(
    'orders without lines',
    sql`select o.id from ${orders} o
        where not exists (select 1 from order_item i where i.order_id = o.id)`,
  );
  await check(
    'paid orders without exactly one payment intent of their amount',
    sql`select o.id from ${orders} o where o.final_amount > 0 and (
          select count(*) from payment_transaction p
          where p.order_id = o.id and p.kind = 'PAYMENT' and p.attempt_no = 1
            and p.amount = o.final_amount) <> 1`,
  );
  await check(
    'free orders without their ORDER_PUSH job',
    sql`select o.id from ${orders} o where o.final_amount = 0 and not exists (
          select 1 from iiko_sync_job j
          where j.job_type = 'ORDER_PUSH' and j.resource_id = 'order:' || o.id)`,
  );
  await check(
    'coupon orders whose coupon is not USED by them, or without one USED audit row',
    sql`select o.id from ${orders} o where o.coupon_instance_id is not null and (
          not exists (select 1 from coupon_instance c where c.id = o.coupon_instance_id
                        and c.status = 'USED' and c.used_order_id = o.id)
          or (select count(*) from coupon_audit_log l
              where l.order_id = o.id and l.action = 'USED') <> 1)`,
  );
  await check(
    'coupons USED without their order',
    sql`select c.id from coupon_instance c where c.member_id in (${ids}) and c.status = 'USED'
          and not exists (select 1 from "order" o
                          where o.id = c.used_order_id and o.coupon_instance_id = c.id)`,
  );
  await check(
    'coupon templates whose usage count differs from their orders',
    sql`select t.id from coupon_template t
        where t.id in (select template_id from coupon_instance where member_id in (${ids}))
          and t.current_usage_count <> (
            select count(*) from "order" o join coupon_instance c on c.id = o.coupon_instance_id
            where c.template_id = t.id)`,
  );
  await check(
    'points orders without their ledger row',
    sql`select o.id from ${orders} o where o.points_used > 0 and not exists (
          select 1 from member_points_history h where h.idempotency_key = 'order_redeem:' || o.id
            and h.delta = -o.points_used and h.order_id = o.id)`,
  );
  await check(
    'redeem ledger rows without their order',
    sql`select h.id from member_points_history h
        where h.member_id in (${ids}) and h.reason = 'ORDER_REDEEM' and not exists (
          select 1 from "order" o where o.id = h.order_id and o.points_used = -h.delta)`,
  );
  await check(
    'members whose balance is not the sum of their ledger',
    sql`select m.id from member m where m.id in (${ids}) and m.available_points_balance <> (
          select coalesce(sum(h.delta), 0) from member_points_history h where h.member_id = m.id)`,
  );
  await check(
    'orders without exactly one order.create audit row',
    sql`select o.id from ${orders} o where (select count(*) from audit_log a
          where a.action = 'order.create' and a.entity_id = o.id::text) <> 1`,
  );
  await check(
    'orders still carrying the placeholder number',
    sql`select o.id from ${orders} o where o.order_number like 'P00000000%'`,
  );
  await check(
    'order number sequences with a gap or a duplicate (ON-3)',
    sql`select c.local_date as id from order_number_counter c
        where c.local_date in (select local_date from ${orders} x)
          and c.last_value <> (
            select count(distinct o.order_number) from "order" o
            where o.order_prefix = c.prefix and o.local_date = c.local_date)`,
  );
  await check(
    'orders without exactly one completed checkout idempotency record',
    sql`select o.id from ${orders} o where (select count(*) from idempotency_record r
          where r.scope = 'checkout' and r.status = 'COMPLETED' and r.resource_id = o.id::text) <> 1`,
  );
  await check(
    'completed checkout records without their order',
    sql`select r.id from idempotency_record r where r.scope = 'checkout' and r.status = 'COMPLETED'
          and r.response_status = 201 and not exists (
            select 1 from "order" o where o.id::text = r.resource_id)`,
  );
  return problems;
}

/** Claims still IN_PROGRESS (a request whose answer never came back); none after settle(). */
export async function openClaims(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select count(*)::text as n from idempotency_record
    where scope = 'checkout' and status = 'IN_PROGRESS'
  `.execute(db);
  return Number(rows[0]!.n);
}

export async function orderCount(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*)::text as n from "order"`.execute(db);
  return Number(rows[0]!.n);
}

/** Each settled key: exactly one order, the one its answer named. */
export async function keysWithoutExactlyOneOrder(
  db: Kysely<DB>,
  settled: Map<string, Outcome>,
): Promise<string[]> {
  const bad: string[] = [];
  const { rows } = await sql<{ idempotency_key: string; n: string; token: string | null }>`
    select r.idempotency_key, count(o.id)::text as n, min(o.public_token::text) as token
    from idempotency_record r left join "order" o on o.id::text = r.resource_id
    where r.scope = 'checkout' and r.status = 'COMPLETED'
    group by r.idempotency_key
  `.execute(db);
  const byKey = new Map(rows.map((r) => [r.idempotency_key, r]));
  for (const [key, outcome] of settled) {
    if (outcome.kind !== 'order') continue;
    const row = byKey.get(key);
    if (!row || row.n !== '1' || row.token !== outcome.token) bad.push(key);
  }
  return bad;
}
