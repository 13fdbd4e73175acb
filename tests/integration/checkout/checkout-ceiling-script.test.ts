import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '~/features/stores/opening-hours';
import { runCheckoutWrites } from '../../../bench/lib/checkout-writes';
import { pgbenchVersion } from '../../../bench/lib/pgbench';
import { createMember } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';
import { createShop, type Shop } from '../../support/checkout';

/**
 * bench:checkout's ceiling script (bench/sql/checkout-writes.sql, ADR 0027) must keep writing
 * what a checkout writes as the schema changes: run by pgbench against the migrated schema, it
 * leaves whole orders, numbered by the ON-3 counter when asked to.
 */

const PER_RUN = 3;

let testDb: TestDatabase;
let shop: Shop;
let members: number[];

beforeAll(async () => {
  testDb = await createTestDatabase();
  shop = await createShop(testDb.db);
  members = [(await createMember(testDb.db)).id, (await createMember(testDb.db)).id];
});
afterAll(async () => {
  await testDb?.destroy();
});

describe.skipIf(pgbenchVersion() === null)('bench/sql/checkout-writes.sql', () => {
  it('writes whole orders, numbered 1..n by the shared counter or from the order id', async () => {
    const day = localDate(new Date(), shop.store.timezone);
    const run = (counter: 0 | 1) =>
      runCheckoutWrites(
        testDb.url,
        { shop, memberIds: members, counter },
        { clients: 1, transactions: PER_RUN },
      );
    await run(1);
    await run(0);

    const ymd = day.replaceAll('-', '');
    const { rows } = await sql<{
      order_number: string;
      items: number;
      options: number;
      payments: number;
      audits: number;
      completed: number;
    }>`
      SELECT o.order_number,
             (SELECT count(*)::int FROM order_item i WHERE i.order_id = o.id) AS items,
             (SELECT count(*)::int FROM order_item_option x JOIN order_item i
                ON i.id = x.order_item_id WHERE i.order_id = o.id) AS options,
             (SELECT count(*)::int FROM payment_transaction p WHERE p.order_id = o.id) AS payments,
             (SELECT count(*)::int FROM audit_log a
                WHERE a.entity_type = 'order' AND a.entity_id = o.id::text) AS audits,
             (SELECT count(*)::int FROM idempotency_record r
                WHERE r.resource_id = o.id::text AND r.status = 'COMPLETED') AS completed
      FROM "order" o ORDER BY o.id
    `.execute(testDb.db);

    expect(rows).toHaveLength(2 * PER_RUN);
    for (const row of rows) {
      expect(row).toMatchObject({ items: 2, options: 1, payments: 1, audits: 1, completed: 1 });
    }
    expect(rows.slice(0, PER_RUN).map((r) => r.order_number)).toEqual(
      Array.from({ length: PER_RUN }, (_, i) => `P${ymd}${String(i + 1).padStart(4, '0')}`),
    );
    for (const row of rows.slice(PER_RUN)) {
      expect(row.order_number).toMatch(new RegExp(`^P${ymd}1\\d{9}$`));
    }
    const counter = await testDb.db
      .selectFrom('order_number_counter')
      .select('last_value')
      .where('local_date', '=', day)
      .executeTakeFirstOrThrow();
    expect(Number(counter.last_value)).toBe(PER_RUN);
  });
});
