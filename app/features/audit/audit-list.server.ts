import { sql } from 'kysely';
import type { Db } from '~db/database.server';

/**
 * Reading audit_log for the back office (issue 3 item 8). Writing stays in audit.server.ts. Scope
 * is an argument: ADMIN reads every row; a STORE_MANAGER only rows whose store_id is one of theirs
 * (RB-1 "Audit log: own stores"); rows without a store are chain-level and admin-only.
 */

export type AuditScope = { kind: 'all' } | { kind: 'stores'; storeIds: readonly number[] };

export interface AuditFilters {
  entityType?: string;
  action?: string;
  actorUserId?: number;
  storeId?: number;
  /** Calendar dates 'YYYY-MM-DD', inclusive, in the chain's time zone (C-3). */
  from?: string;
  to?: string;
}

export interface AuditListRow {
  id: number;
  createdAt: Date;
  actorType: string;
  actorUserId: number | null;
  actorName: string | null;
  actorMemberId: number | null;
  storeId: number | null;
  storeCode: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
}

/** Chain-wide reports and lists use Moscow time (C-3). */
export const AUDIT_TIME_ZONE = 'Europe/Moscow';

function scoped(db: Db, scope: AuditScope, filters: AuditFilters) {
  let query = db.selectFrom('audit_log as a');
  if (scope.kind === 'stores') {
    // an empty list must match nothing, not everything
    query = query.where('a.store_id', 'in', scope.storeIds.length ? [...scope.storeIds] : [-1]);
  }
  if (filters.entityType) query = query.where('a.entity_type', '=', filters.entityType);
  if (filters.action) query = query.where('a.action', '=', filters.action);
  if (filters.actorUserId) query = query.where('a.actor_user_id', '=', filters.actorUserId);
  if (filters.storeId) query = query.where('a.store_id', '=', filters.storeId);
  if (filters.from) {
    query = query.where(
      'a.created_at',
      '>=',
      sql<Date>`(${filters.from}::date)::timestamp at time zone ${AUDIT_TIME_ZONE}`,
    );
  }
  if (filters.to) {
    query = query.where(
      'a.created_at',
      '<',
      sql<Date>`(${filters.to}::date + 1)::timestamp at time zone ${AUDIT_TIME_ZONE}`,
    );
  }
  return query;
}

/** One page of audit entries, newest first, and the total matching the filters. */
export async function listAuditLog(
  db: Db,
  {
    scope,
    filters = {},
    limit,
    offset,
  }: { scope: AuditScope; filters?: AuditFilters; limit: number; offset: number },
): Promise<{ rows: AuditListRow[]; total: number }> {
  const [{ total }, rows] = await Promise.all([
    scoped(db, scope, filters)
      .select((eb) => eb.fn.countAll<string>().as('total'))
      .executeTakeFirstOrThrow(),
    scoped(db, scope, filters)
      .leftJoin('users as u', 'u.id', 'a.actor_user_id')
      .leftJoin('store as s', 's.id', 'a.store_id')
      .select([
        'a.id',
        'a.created_at as createdAt',
        'a.actor_type as actorType',
        'a.actor_user_id as actorUserId',
        'u.display_name as actorName',
        'a.actor_member_id as actorMemberId',
        'a.store_id as storeId',
        's.code as storeCode',
        'a.action',
        'a.entity_type as entityType',
        'a.entity_id as entityId',
        'a.before',
        'a.after',
        'a.reason',
        'a.request_id as requestId',
      ])
      .orderBy('a.created_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  return { rows, total: Number(total) };
}

export interface AuditFacets {
  entityTypes: string[];
  actions: string[];
  actors: { id: number; name: string }[];
  stores: { id: number; code: string }[];
}

/**
 * The values the filter selects offer, taken from the rows in scope (so a manager never sees
 * another store's staff). Distinct scans of audit_log; fine at back-office volumes, and the first
 * thing to replace with a vocabulary list if the table grows into the millions.
 */
export async function listAuditFacets(db: Db, { scope }: { scope: AuditScope }) {
  let storeQuery = db.selectFrom('store').select(['id', 'code']).orderBy('code');
  if (scope.kind === 'stores') {
    storeQuery = storeQuery.where('id', 'in', scope.storeIds.length ? [...scope.storeIds] : [-1]);
  }
  const [entityTypes, actions, actors, stores] = await Promise.all([
    scoped(db, scope, {})
      .select('a.entity_type')
      .distinct()
      .orderBy('a.entity_type')
      .limit(200)
      .execute(),
    scoped(db, scope, {}).select('a.action').distinct().orderBy('a.action').limit(500).execute(),
    db
      .selectFrom('users as u')
      .select(['u.id', 'u.display_name'])
      .where('u.id', 'in', scoped(db, scope, {}).select('a.actor_user_id').distinct())
      .orderBy('u.display_name')
      .limit(500)
      .execute(),
    storeQuery.execute(),
  ]);
  return {
    entityTypes: entityTypes.map((r) => r.entity_type),
    actions: actions.map((r) => r.action),
    actors: actors.map((r) => ({ id: r.id, name: r.display_name })),
    stores,
  } satisfies AuditFacets;
}
