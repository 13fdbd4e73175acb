import { sql } from 'kysely';
import type { Db } from '~db/database.server';

/**
 * CP-13, the daily half: at 03:00 Europe/Moscow every UNUSED instance past its effective validity
 * (`adjusted_valid_until`, else the template's `valid_until`) becomes EXPIRED with a
 * coupon_audit_log row EXPIRED (actor SYSTEM). The on-read half is account.server.ts
 * `expireOverdueCoupons`; both use the same conditional UPDATE on `status = 'UNUSED'`, so a
 * redemption, a reader or a second job run in between never expires or audits a row twice.
 * FROZEN instances stay FROZEN.
 */

export const COUPON_EXPIRY_TIMEZONE = 'Europe/Moscow';
/** The job acts from 03:00 to 03:14 local time; runs inside the window after the first find nothing. */
const WINDOW = { hour: 3, minutes: 15 };
const BATCH = 1000;

const moscowClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: COUPON_EXPIRY_TIMEZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Whether `now` falls in the nightly expiry window (03:00–03:14 Europe/Moscow). */
export function inCouponExpiryWindow(now: Date): boolean {
  const parts = moscowClock.formatToParts(now);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value);
  return hour === WINDOW.hour && minute < WINDOW.minutes;
}

/**
 * Expires every overdue UNUSED instance, 1000 per transaction so a large backlog never holds
 * many row locks at once. Rows another transaction holds (a checkout redeeming one) are skipped
 * and looked at again by the next batch or the next night; returns how many expired.
 */
export async function expireOverdueCouponsEverywhere(
  db: Db,
  opts: { signal?: AbortSignal } = {},
): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await sql<{ n: number }>`
      with due as (
        select ci.id
        from coupon_instance ci
        join coupon_template t on t.id = ci.template_id
        where ci.status = 'UNUSED'
          and coalesce(ci.adjusted_valid_until, t.valid_until) <= now()
        order by ci.id
        limit ${BATCH}
        for update of ci skip locked
      ), upd as (
        update coupon_instance ci set status = 'EXPIRED', updated_at = now()
        from due
        where ci.id = due.id and ci.status = 'UNUSED'
        returning ci.id
      ), audit as (
        insert into coupon_audit_log (coupon_instance_id, action, from_status, to_status, actor_type)
        select id, 'EXPIRED', 'UNUSED', 'EXPIRED', 'SYSTEM' from upd
        returning 1
      )
      select count(*)::int as n from audit
    `.execute(db);
    const expired = rows[0]?.n ?? 0;
    total += expired;
    if (expired < BATCH || opts.signal?.aborted) return total;
  }
}
