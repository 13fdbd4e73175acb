import type { Db } from '~db/database.server';
import { hashPassword } from '~/auth/password.server';
import { revokeAllUserSessions } from '~/auth/session.server';
import type { CreateStaffValues } from './staff.schema';
import {
  deleteStoreLink,
  getStaffDetail,
  insertStoreLink,
  insertUser,
  setPasswordHash,
  setUserActive,
} from './staff.server';
import { writeStaffAudit, type StaffActor } from '~/features/audit/audit.server';

/**
 * Staff account changes, each in one transaction with its audit_log rows (RB-4). Passwords are
 * hashed before the transaction opens (argon2 takes ~50 ms; no locks are held meanwhile) and never
 * reach the audit log.
 *
 * Errors the route maps to field errors: users_email_lower_unique (duplicate e-mail),
 * store_staff_store_id_fkey (unknown store), store_staff_user_is_manager (link for a non-manager).
 */

export async function createStaffUser(
  db: Db,
  actor: StaffActor,
  values: CreateStaffValues,
): Promise<number> {
  const passwordHash = await hashPassword(values.password);
  return db.transaction().execute(async (trx) => {
    const id = await insertUser(trx, {
      email: values.email,
      display_name: values.display_name,
      role: values.role,
      password_hash: passwordHash,
    });
    await writeStaffAudit(trx, actor, {
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      after: { email: values.email, display_name: values.display_name, role: values.role },
    });
    for (const storeId of [...new Set(values.storeIds)]) {
      await insertStoreLink(trx, id, storeId);
      await writeStaffAudit(trx, actor, {
        action: 'store_staff.assign',
        entityType: 'user',
        entityId: id,
        storeId,
        after: { store_id: storeId },
      });
    }
    return id;
  });
}

export type StaffChangeResult = 'OK' | 'NOT_FOUND' | 'UNCHANGED' | 'SELF';

/** Sets a new password and ends the user's sessions (whoever held the old one is signed out). */
export async function resetStaffPassword(
  db: Db,
  actor: StaffActor,
  userId: number,
  password: string,
): Promise<StaffChangeResult> {
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const user = await getStaffDetail(trx, userId, { lock: true });
    if (!user) return 'NOT_FOUND';
    await setPasswordHash(trx, userId, passwordHash);
    const revoked = await revokeAllUserSessions(trx, userId);
    await writeStaffAudit(trx, actor, {
      action: 'user.password_reset',
      entityType: 'user',
      entityId: userId,
      after: { sessions_revoked: revoked },
    });
    return 'OK';
  });
}

/**
 * Deactivates an account; its sessions are revoked in the same transaction, so the next request of
 * that user is anonymous. An admin cannot deactivate themselves (no accidental lock-out).
 */
export async function deactivateStaffUser(
  db: Db,
  actor: StaffActor,
  userId: number,
): Promise<StaffChangeResult> {
  if (userId === actor.userId) return 'SELF';
  return db.transaction().execute(async (trx) => {
    const user = await getStaffDetail(trx, userId, { lock: true });
    if (!user) return 'NOT_FOUND';
    const changed = await setUserActive(trx, userId, false);
    const revoked = await revokeAllUserSessions(trx, userId);
    if (!changed && revoked === 0) return 'UNCHANGED';
    await writeStaffAudit(trx, actor, {
      action: 'user.deactivate',
      entityType: 'user',
      entityId: userId,
      before: { is_active: user.is_active },
      after: { is_active: false, sessions_revoked: revoked },
    });
    return 'OK';
  });
}

export async function activateStaffUser(
  db: Db,
  actor: StaffActor,
  userId: number,
): Promise<StaffChangeResult> {
  return db.transaction().execute(async (trx) => {
    const user = await getStaffDetail(trx, userId, { lock: true });
    if (!user) return 'NOT_FOUND';
    if (!(await setUserActive(trx, userId, true))) return 'UNCHANGED';
    await writeStaffAudit(trx, actor, {
      action: 'user.activate',
      entityType: 'user',
      entityId: userId,
      before: { is_active: false },
      after: { is_active: true },
    });
    return 'OK';
  });
}

export async function assignStaffStore(
  db: Db,
  actor: StaffActor,
  userId: number,
  storeId: number,
): Promise<StaffChangeResult> {
  return db.transaction().execute(async (trx) => {
    const user = await getStaffDetail(trx, userId, { lock: true });
    if (!user) return 'NOT_FOUND';
    // the trigger store_staff_user_is_manager refuses links for admins (check violation)
    if (!(await insertStoreLink(trx, userId, storeId))) return 'UNCHANGED';
    await writeStaffAudit(trx, actor, {
      action: 'store_staff.assign',
      entityType: 'user',
      entityId: userId,
      storeId,
      after: { store_id: storeId },
    });
    return 'OK';
  });
}

export async function unassignStaffStore(
  db: Db,
  actor: StaffActor,
  userId: number,
  storeId: number,
): Promise<StaffChangeResult> {
  return db.transaction().execute(async (trx) => {
    const user = await getStaffDetail(trx, userId, { lock: true });
    if (!user) return 'NOT_FOUND';
    if (!(await deleteStoreLink(trx, userId, storeId))) return 'UNCHANGED';
    await writeStaffAudit(trx, actor, {
      action: 'store_staff.unassign',
      entityType: 'user',
      entityId: userId,
      storeId,
      before: { store_id: storeId },
    });
    return 'OK';
  });
}
