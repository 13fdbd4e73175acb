/**
 * Demo data for a fresh database (Foundation, item 5): three Moscow stores, the menu, ~300
 * members with consistent points ledgers, coupons, an influencer campaign with scans, and two
 * months of orders with their payments, iiko jobs and notifications. Runs once: it does nothing
 * when any staff user exists, and a transaction-scoped advisory lock keeps two concurrent starts
 * from both seeding.
 */
import { sql, type Kysely } from 'kysely';
import { hashPassword } from '~/auth/password.server';
import type { Db } from '../database.server';
import type { DB } from '../types.generated';
import { SCAN_KEY_STORE } from './catalog-data';
import { Pricing, buildCatalog } from './plan-catalog';
import { buildTemplates } from './plan-coupons';
import { buildNotifications, buildScheduledJobs } from './plan-ops';
import { buildHistory, type MemberGroupRow } from './plan-orders';
import { buildMembers, buildStaff } from './plan-people';
import { buildScans } from './plan-scans';
import { Rng } from './random';
import { sha256Hex, writePlan, type SeedCounts } from './write';

/** Arbitrary constant shared by every seeding process. */
const SEED_LOCK_ID = 727_274_005;

export interface SeedResult {
  seeded: boolean;
  counts?: SeedCounts;
  /** The MSK-01 scan device key (OS-2), shown once like a rotation would. */
  scanDeviceKey?: string;
  durationMs?: number;
}

export async function isSeeded(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

function refuseInProduction() {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('Refusing to seed demo data: NODE_ENV is production');
  }
}

export async function seedDemoData(
  db: Kysely<DB>,
  opts: { log?: (line: string) => void; now?: Date } = {},
): Promise<SeedResult> {
  refuseInProduction();
  const log = opts.log ?? (() => {});
  if (await isSeeded(db)) {
    log('seed: database already has staff users; nothing to do');
    return { seeded: false };
  }
  const started = Date.now();
  const now = (opts.now ?? new Date()).getTime();

  const staff = buildStaff(now);
  // argon2 is slow on purpose; hash before the transaction so the lock is held briefly.
  const hashes = await Promise.all(
    staff.map(async (s) => [s.key, await hashPassword(s.password)] as const),
  );

  const result = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${SEED_LOCK_ID})`.execute(trx);
    // Another process may have seeded while we waited for the lock.
    if (await isSeeded(trx)) return null;

    const groupRows = await trx
      .selectFrom('member_group')
      .select(['id', 'code', 'min_points_required', 'points_multiplier'])
      .orderBy('min_points_required')
      .execute();
    if (groupRows.length === 0 || groupRows[0]?.min_points_required !== 0) {
      throw new Error(
        'seed: member_group must hold a group with min_points_required 0 (run the migrations)',
      );
    }
    const groups: MemberGroupRow[] = groupRows.map((g) => ({
      id: g.id,
      code: g.code,
      minPoints: g.min_points_required,
      multiplier: Math.round(Number(g.points_multiplier) * 100),
    }));

    const planStarted = Date.now();
    const catalog = buildCatalog();
    const pricing = new Pricing(catalog);
    const { members } = buildMembers(now, catalog);
    const templates = buildTemplates(now, catalog);
    const history = buildHistory({ now, catalog, pricing, members, groups, templates });
    const scans = buildScans(now, catalog, history.orders);
    const { jobs: scheduledJobs } = buildScheduledJobs(now, catalog, history);
    const orderPushJobs = history.orders.flatMap((o) =>
      o.tl.job ? [{ orderIdx: o.idx, job: o.tl.job }] : [],
    );
    const notifications = buildNotifications(now, catalog, history, members, [
      ...scheduledJobs,
      ...orderPushJobs.map((j) => j.job),
    ]);
    const scanDeviceKey = new Rng('scan-device-key').bytes(32).toString('base64url');
    log(
      `seed: planned ${history.orders.length} orders in ${((Date.now() - planStarted) / 1000).toFixed(1)} s`,
    );
    const writeStarted = Date.now();

    const counts = await writePlan(trx, {
      now,
      staff,
      passwordHashes: new Map(hashes),
      catalog,
      members,
      groups,
      templates,
      history,
      scans,
      scheduledJobs,
      notifications,
      scanKeyHash: { storeCode: SCAN_KEY_STORE, hash: sha256Hex(scanDeviceKey) },
      orderPushJobs,
    });
    log(`seed: wrote the rows in ${((Date.now() - writeStarted) / 1000).toFixed(1)} s`);
    return { counts, scanDeviceKey };
  });

  if (!result) {
    log('seed: another process seeded the database first; nothing to do');
    return { seeded: false };
  }
  const durationMs = Date.now() - started;
  log(`seed: done in ${(durationMs / 1000).toFixed(1)} s`);
  return { seeded: true, counts: result.counts, scanDeviceKey: result.scanDeviceKey, durationMs };
}
