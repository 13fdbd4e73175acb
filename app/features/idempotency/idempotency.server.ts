import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '~db/database.server';

/**
 * Idempotency records (CK-5, Stripe semantics) for checkout, "pay again" and admin points
 * adjustments. The claim is one INSERT … ON CONFLICT statement, so concurrent requests with one
 * key cannot both become the owner: the database's unique index decides.
 */

/** How long an IN_PROGRESS claim blocks other requests with the key before one may take over. */
export const IDEMPOTENCY_LOCK_SECONDS = 60;
export const IDEMPOTENCY_TTL_HOURS = 24;

export type IdempotencyClaim =
  | { kind: 'owner'; recordId: number }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'reused' }
  | { kind: 'in_progress' };

/** JSON with object keys sorted, so one logical body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestHash(body: unknown): string {
  return crypto.createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export async function claimIdempotencyKey(
  db: Db,
  args: { scope: string; principal: string; key: string; requestHash: string },
): Promise<IdempotencyClaim> {
  const claimed = await db
    .insertInto('idempotency_record')
    .values({
      scope: args.scope,
      principal: args.principal,
      idempotency_key: args.key,
      request_hash: args.requestHash,
      status: 'IN_PROGRESS',
      locked_until: sql<Date>`now() + make_interval(secs => ${IDEMPOTENCY_LOCK_SECONDS})`,
      expires_at: sql<Date>`now() + make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`,
    })
    .onConflict((oc) =>
      oc
        .constraint('idempotency_record_key_unique')
        .doUpdateSet({
          request_hash: (eb) => eb.ref('excluded.request_hash'),
          status: 'IN_PROGRESS',
          locked_until: (eb) => eb.ref('excluded.locked_until'),
          expires_at: (eb) => eb.ref('excluded.expires_at'),
          response_status: null,
          response_body: null,
          resource_type: null,
          resource_id: null,
          created_at: sql<Date>`now()`,
          updated_at: sql<Date>`now()`,
        })
        // an expired record is a new request; an abandoned claim of the same body is taken over
        .where((eb) =>
          eb.or([
            eb('idempotency_record.expires_at', '<=', sql<Date>`now()`),
            eb.and([
              eb('idempotency_record.status', '=', 'IN_PROGRESS'),
              eb('idempotency_record.locked_until', '<=', sql<Date>`now()`),
              eb('idempotency_record.request_hash', '=', eb.ref('excluded.request_hash')),
            ]),
          ]),
        ),
    )
    .returning('id')
    .executeTakeFirst();
  if (claimed) return { kind: 'owner', recordId: claimed.id };

  const existing = await db
    .selectFrom('idempotency_record')
    .select(['request_hash', 'status', 'response_status', 'response_body'])
    .where('scope', '=', args.scope)
    .where('principal', '=', args.principal)
    .where('idempotency_key', '=', args.key)
    .executeTakeFirst();
  // deleted between the two statements (the owner rolled back): the caller may simply retry
  if (!existing) return { kind: 'in_progress' };
  if (existing.request_hash !== args.requestHash) return { kind: 'reused' };
  if (existing.status === 'COMPLETED' && existing.response_status !== null) {
    return { kind: 'replay', status: existing.response_status, body: existing.response_body };
  }
  return { kind: 'in_progress' };
}

/** After a rollback: only committed outcomes are replayed, so the claim is dropped. */
export async function releaseIdempotencyRecord(db: Db, recordId: number): Promise<void> {
  await db
    .deleteFrom('idempotency_record')
    .where('id', '=', recordId)
    .where('status', '=', 'IN_PROGRESS')
    .execute();
}

/** C-10 purge: records past their 24 h life. */
export async function purgeExpiredIdempotencyRecords(db: Db): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_record')
    .where('expires_at', '<', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
