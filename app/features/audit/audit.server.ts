import type { Db } from '~db/database.server';

export type AuditActorType = 'USER' | 'MEMBER' | 'SYSTEM' | 'STORE_DEVICE';

export interface AuditEntry {
  actorType: AuditActorType;
  actorUserId?: number | null;
  actorMemberId?: number | null;
  /** Set when the entity belongs to a store (manager-visible audit, RB-1). */
  storeId?: number | null;
  /** `<entity>.<verb>`, e.g. `product.price_change`, `user.login`. */
  action: string;
  entityType: string;
  entityId: string | number;
  /** Changed fields only; never secrets (password hashes, tokens, codes). */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
  requestId?: string | null;
  ip?: string | null;
}

/**
 * Appends one audit_log row (RB-4). Pass the transaction of the change so the row commits or rolls
 * back with it. audit_log is append-only: there is deliberately no update or delete here (C-2).
 */
export async function writeAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_type: entry.actorType,
      actor_user_id: entry.actorUserId ?? null,
      actor_member_id: entry.actorMemberId ?? null,
      store_id: entry.storeId ?? null,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: String(entry.entityId),
      // jsonb: serialised here so arrays and nested objects are never mistaken for PG arrays
      before: entry.before == null ? null : JSON.stringify(entry.before),
      after: entry.after == null ? null : JSON.stringify(entry.after),
      reason: entry.reason ?? null,
      request_id: entry.requestId?.slice(0, 64) ?? null,
      ip: entry.ip ?? null,
    })
    .execute();
}

/** The signed-in staff member behind a back-office change (from the guard and the load context). */
export interface StaffActor {
  userId: number;
  requestId?: string | null;
  ip?: string | null;
}

/** writeAudit for a change made by a staff member: actor, request id and address filled in. */
export function writeStaffAudit(
  db: Db,
  actor: StaffActor,
  entry: Omit<AuditEntry, 'actorType' | 'actorUserId' | 'actorMemberId' | 'requestId' | 'ip'>,
): Promise<void> {
  return writeAudit(db, {
    ...entry,
    actorType: 'USER',
    actorUserId: actor.userId,
    requestId: actor.requestId ?? null,
    ip: actor.ip ?? null,
  });
}
