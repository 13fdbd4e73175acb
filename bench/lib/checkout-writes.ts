import { fileURLToPath } from 'node:url';
import { localDate } from '../../app/features/stores/opening-hours';
import type { Shop } from '../../tests/support/checkout';
import { runScript, type ScriptRun } from './pgbench';

const SCRIPT = fileURLToPath(new URL('../sql/checkout-writes.sql', import.meta.url));

/**
 * bench:checkout's ceiling (ADR 0027): pgbench writes the rows and locks of checkouts of `shop`'s
 * commonest cart (bench/sql/checkout-writes.sql) for members among `memberIds`, on the database at
 * `url`, numbered by the shared ON-3 counter row (`counter` 1) or from the order id (0), on the
 * store's local date of today; returns its tps.
 */
export function runCheckoutWrites(
  url: string,
  fixture: { shop: Shop; memberIds: readonly number[]; counter: 0 | 1 },
  run: ScriptRun,
): Promise<number> {
  const { shop, memberIds, counter } = fixture;
  return runScript(url, {
    file: SCRIPT,
    defines: {
      store: shop.store.id,
      cheap: shop.cheap.id,
      dear: shop.dear.id,
      sugar: shop.sugarHalf.id,
      member_lo: Math.min(...memberIds),
      member_hi: Math.max(...memberIds),
      day: localDate(new Date(), shop.store.timezone),
      counter,
    },
    ...run,
  });
}
