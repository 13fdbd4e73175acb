import { sql, type RawBuilder } from 'kysely';
import type { Db } from '~db/database.server';

/**
 * DA-1 classification of one `payment_transaction` row of kind PAYMENT. Shared by the payments
 * dashboard and the payment_failure_rate alert so both count the same rows the same way.
 *
 * - succeeded attempt: `authorized_at IS NOT NULL` (a later capture refusal or void is not a
 *   failure of the payment attempt);
 * - failed attempt: `status = 'FAILED'`, or CANCELED without authorisation for any reason other
 *   than `expired_on_confirmation`;
 * - abandoned: CANCELED, never authorised, `failure_code = 'expired_on_confirmation'` (the member
 *   left the confirmation page) — shown apart, outside the rate.
 *
 * Every fragment takes an optional table alias so it can be used in joins (`pt.status`).
 */

function col(alias: string | undefined, name: string): RawBuilder<unknown> {
  return alias ? sql.ref(`${alias}.${name}`) : sql.ref(name);
}

/** `authorized_at IS NOT NULL` */
export function succeededAttemptSql(alias?: string): RawBuilder<boolean> {
  return sql<boolean>`(${col(alias, 'authorized_at')} is not null)`;
}

/** `status = 'FAILED' OR (status = 'CANCELED' AND authorized_at IS NULL AND failure_code IS DISTINCT FROM 'expired_on_confirmation')` */
export function failedAttemptSql(alias?: string): RawBuilder<boolean> {
  const status = col(alias, 'status');
  const authorizedAt = col(alias, 'authorized_at');
  const failureCode = col(alias, 'failure_code');
  return sql<boolean>`(${status} = 'FAILED' or (${status} = 'CANCELED' and ${authorizedAt} is null and ${failureCode} is distinct from 'expired_on_confirmation'))`;
}

/** `status = 'CANCELED' AND authorized_at IS NULL AND failure_code = 'expired_on_confirmation'` */
export function abandonedAttemptSql(alias?: string): RawBuilder<boolean> {
  return sql<boolean>`(${col(alias, 'status')} = 'CANCELED' and ${col(alias, 'authorized_at')} is null and ${col(alias, 'failure_code')} = 'expired_on_confirmation')`;
}

/** `count(*) filter (where <failed>)::int` etc., ready for a select list. */
export function outcomeCountsSql(alias?: string): {
  failed: RawBuilder<number>;
  succeeded: RawBuilder<number>;
  abandoned: RawBuilder<number>;
} {
  return {
    failed: sql<number>`(count(*) filter (where ${failedAttemptSql(alias)}))::int`,
    succeeded: sql<number>`(count(*) filter (where ${succeededAttemptSql(alias)}))::int`,
    abandoned: sql<number>`(count(*) filter (where ${abandonedAttemptSql(alias)}))::int`,
  };
}

/** rate = failed ÷ (failed + succeeded); null when the denominator is 0 (DA-1). */
export function failureRate(failed: number, succeeded: number): number | null {
  const denominator = failed + succeeded;
  return denominator === 0 ? null : failed / denominator;
}

export interface PaymentOutcomeFilter {
  /** Inclusive lower bound on created_at. */
  from: Date;
  /** Exclusive upper bound on created_at. */
  to: Date;
  storeId?: number;
  provider?: string;
}

export interface PaymentOutcomeCounts {
  failed: number;
  succeeded: number;
  abandoned: number;
  rate: number | null;
}

/** `kind = 'PAYMENT' AND created_at >= from AND created_at < to [AND store_id = …] [AND provider = …]` */
export function paymentAttemptWhereSql(
  filter: PaymentOutcomeFilter,
  alias?: string,
): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [
    sql`${col(alias, 'kind')} = 'PAYMENT'`,
    sql`${col(alias, 'created_at')} >= ${filter.from}`,
    sql`${col(alias, 'created_at')} < ${filter.to}`,
  ];
  if (filter.storeId !== undefined) parts.push(sql`${col(alias, 'store_id')} = ${filter.storeId}`);
  if (filter.provider !== undefined)
    parts.push(sql`${col(alias, 'provider')} = ${filter.provider}`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/** DA-1 counts and rate over PAYMENT attempts created in [from, to). */
export async function paymentFailureCounts(
  db: Db,
  filter: PaymentOutcomeFilter,
): Promise<PaymentOutcomeCounts> {
  const c = outcomeCountsSql();
  const { rows } = await sql<{ failed: number; succeeded: number; abandoned: number }>`
    select ${c.failed} as failed, ${c.succeeded} as succeeded, ${c.abandoned} as abandoned
    from payment_transaction
    where ${paymentAttemptWhereSql(filter)}
  `.execute(db);
  const row = rows[0] ?? { failed: 0, succeeded: 0, abandoned: 0 };
  return {
    failed: row.failed,
    succeeded: row.succeeded,
    abandoned: row.abandoned,
    rate: failureRate(row.failed, row.succeeded),
  };
}
