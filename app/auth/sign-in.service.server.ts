import type { Kysely } from 'kysely';
import type { DB } from '~db/types.generated';
import { writeAudit } from '~/features/audit/audit.server';
import {
  createUserSession,
  hashSessionToken,
  readSessionToken,
  revokeSession,
  type ClientInfo,
  type CreatedSession,
} from './session.server';

/**
 * Starts a staff session after a successful credential check, in one transaction with its audit
 * row. Any session the browser still carries is revoked: a sign-in never adopts or keeps an
 * incoming cookie's session.
 */
export async function signInStaff(
  db: Kysely<DB>,
  args: { userId: number; request: Request; client: ClientInfo; requestId?: string },
): Promise<CreatedSession> {
  const previous = readSessionToken(args.request);
  return db.transaction().execute(async (trx) => {
    if (previous) await revokeSession(trx, hashSessionToken(previous));
    const session = await createUserSession(trx, { userId: args.userId, ...args.client });
    await writeAudit(trx, {
      actorType: 'USER',
      actorUserId: args.userId,
      action: 'user.login',
      entityType: 'user',
      entityId: args.userId,
      after: { session_id: session.sessionId },
      requestId: args.requestId ?? null,
      ip: args.client.ip,
    });
    return session;
  });
}

/** Ends the staff session of `tokenHash` and records it. */
export async function signOutStaff(
  db: Kysely<DB>,
  args: {
    userId: number;
    tokenHash: string;
    sessionId: number;
    client: ClientInfo;
    requestId?: string;
  },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await revokeSession(trx, args.tokenHash))) return;
    await writeAudit(trx, {
      actorType: 'USER',
      actorUserId: args.userId,
      action: 'user.logout',
      entityType: 'user',
      entityId: args.userId,
      after: { session_id: args.sessionId },
      requestId: args.requestId ?? null,
      ip: args.client.ip,
    });
  });
}
