import crypto from 'node:crypto';
import type { FactoryDb, Overrides, Row } from './support';
import { seq } from './support';

/** A PENDING MENU_IMPORT job for a fresh organisation, due now, 4 attempts (IK-5). */
export async function createIikoSyncJob(
  db: FactoryDb,
  overrides: Overrides<'iiko_sync_job'> = {},
): Promise<Row<'iiko_sync_job'>> {
  return db
    .insertInto('iiko_sync_job')
    .values({
      job_type: 'MENU_IMPORT',
      resource_id: `org:${crypto.randomUUID()}`,
      max_attempts: 4,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A PENDING Telegram ALERT to an admin chat with a unique dedupe key. */
export async function createNotification(
  db: FactoryDb,
  overrides: Overrides<'notification'> = {},
): Promise<Row<'notification'>> {
  const n = seq();
  return db
    .insertInto('notification')
    .values({
      recipient_type: 'ADMIN_CHAT',
      chat_id: '-1001234567890',
      type: 'ALERT',
      dedupe_key: `alert:test:${n}`,
      text: `Test alert ${n}`,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
