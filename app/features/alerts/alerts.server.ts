import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '~db/database.server';
import { writeAudit } from '~/features/audit/audit.server';
import { getSettingValues } from '~/features/settings/app-settings.server';
import { ALERT_CLEAR, ALERT_ENTITY_TYPE, ALERT_FIRE } from './alert-state.server';
import type { AlertRule, AlertSeverity } from './rules';

/** Queries of the alert evaluator (DA-3). Transactions are opened by alerts.service.server.ts. */

/** Second key of the per-rule transition lock; the first is the app-wide "ctea" space. */
const LOCK_SPACE = 0x63746561;

/**
 * Serializes transitions of one rule for the rest of the transaction, across processes: the
 * read-compare-insert of the state runs one evaluator at a time, so a change is recorded once.
 */
export async function lockAlertRule(trx: Db, rule: AlertRule): Promise<void> {
  if (!trx.isTransaction) throw new Error('lockAlertRule must run inside a transaction');
  await sql`select pg_advisory_xact_lock(${LOCK_SPACE}::integer, hashtext(${`alerts.rule:${rule}`}))`.execute(
    trx,
  );
}

/** Whether the latest transition row of a rule is a fire (false when it has none). */
export async function isAlertFiring(db: Db, rule: AlertRule): Promise<boolean> {
  const row = await db
    .selectFrom('audit_log')
    .select('action')
    .where('entity_type', '=', ALERT_ENTITY_TYPE)
    .where('entity_id', '=', rule)
    .where('action', 'in', [ALERT_FIRE, ALERT_CLEAR])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.action === ALERT_FIRE;
}

export interface AlertTransitionRow {
  rule: AlertRule;
  severity: AlertSeverity;
  firing: boolean;
  value: number | null;
  threshold: number;
  windowMs: number;
}

/** One audit_log row per transition: actor SYSTEM, entity 'alert' / the rule (ADR 0017). */
export function writeAlertTransition(db: Db, t: AlertTransitionRow): Promise<void> {
  return writeAudit(db, {
    actorType: 'SYSTEM',
    action: t.firing ? ALERT_FIRE : ALERT_CLEAR,
    entityType: ALERT_ENTITY_TYPE,
    entityId: t.rule,
    after: {
      severity: t.severity,
      value: t.value,
      threshold: t.threshold,
      window: `${Math.round(t.windowMs / 60_000)}m`,
    },
  });
}

/** A Telegram chat id: an integer, negative for groups; a string in jsonb is accepted too. */
const chatIdSchema = z.union([
  z.number().int().transform(String),
  z
    .string()
    .trim()
    .regex(/^-?\d{1,20}$/),
]);

/** CF-8 `alerts.telegram_chat_id`: null (the default) when unset, null or malformed. */
export async function getAlertChatId(db: Db): Promise<string | null> {
  const values = await getSettingValues(db, ['alerts.telegram_chat_id']);
  const parsed = chatIdSchema.safeParse(values.get('alerts.telegram_chat_id'));
  return parsed.success ? parsed.data : null;
}

/** NT-2: one ALERT per dedupe key; a second insert with the same key writes nothing. */
export async function insertAlertNotification(
  db: Db,
  row: { chatId: string; dedupeKey: string; text: string },
): Promise<boolean> {
  const result = await db
    .insertInto('notification')
    .values({
      recipient_type: 'ADMIN_CHAT',
      chat_id: row.chatId,
      type: 'ALERT',
      dedupe_key: row.dedupeKey,
      text: row.text.slice(0, 4096),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Failed iiko attempts (`iiko_sync_log.success = false`) finished in (from, to]. */
export async function countIikoFailures(db: Db, { from, to }: { from: Date; to: Date }) {
  const row = await db
    .selectFrom('iiko_sync_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('success', '=', false)
    .where('finished_at', '>', from)
    .where('finished_at', '<=', to)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
