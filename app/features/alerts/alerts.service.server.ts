import type { Db } from '~db/database.server';
import { paymentFailureCounts } from '~/features/dashboards/payment-outcome.server';
import { escapeTelegramHtml } from '~/features/notifications/order-notifications.server';
import { translate } from '~/i18n/translate';
import { logger } from '~/utils/logger.server';
import {
  countIikoFailures,
  getAlertChatId,
  insertAlertNotification,
  isAlertFiring,
  lockAlertRule,
  writeAlertTransition,
} from './alerts.server';
import { alertDedupeKey, ALERT_RULE_DEFINITIONS, type AlertRule } from './rules';

/**
 * The alert evaluator (DA-3). Rule values come from the database (DB rules, one process under the
 * periodic task's advisory lock) or from a process's own windows (in-process rules); either way a
 * state change is recorded by `recordAlertState`, which is safe to call from any number of
 * processes at once.
 */

export interface RuleObservation {
  rule: AlertRule;
  firing: boolean;
  /** The value the decision was made on; null when the window had too few observations. */
  value: number | null;
}

export type AlertTransition = 'fired' | 'cleared' | 'unchanged';

function formatValue(rule: AlertRule, value: number | null): string {
  if (value === null) return '—';
  const unit = ALERT_RULE_DEFINITIONS[rule].unit;
  if (unit === 'ratio') return `${(value * 100).toFixed(1)} %`;
  if (unit === 'seconds') return `${value.toFixed(2)} s`;
  return String(value);
}

/** The ALERT Telegram text (NT-3, NT-4), in Russian like the other staff chat messages. */
export function alertMessageText(rule: AlertRule, value: number | null): string {
  const def = ALERT_RULE_DEFINITIONS[rule];
  return translate('ru', 'alerts.notify.fire', {
    severity: def.severity,
    rule: escapeTelegramHtml(`${translate('ru', `alerts.rule.${rule}`)} (${rule})`),
    value: formatValue(rule, value),
    threshold: formatValue(rule, def.threshold),
  });
}

/**
 * Records a rule's state when it differs from its latest transition: one audit_log row, and on a
 * transition to firing one ALERT notification for the 30-min window (skipped when
 * `alerts.telegram_chat_id` is null). Under a per-rule transaction-level advisory lock, so
 * concurrent evaluators (two processes firing the same in-process rule, or a DB rule evaluated
 * outside the periodic task) record each change once; staying firing and clearing queue nothing.
 */
export async function recordAlertState(
  db: Db,
  obs: RuleObservation,
  { now = new Date() }: { now?: Date } = {},
): Promise<AlertTransition> {
  const def = ALERT_RULE_DEFINITIONS[obs.rule];
  // the common case (no change) without a lock or a transaction; decided again under the lock
  if ((await isAlertFiring(db, obs.rule)) === obs.firing) return 'unchanged';
  const transition = await db.transaction().execute(async (trx) => {
    await lockAlertRule(trx, obs.rule);
    if ((await isAlertFiring(trx, obs.rule)) === obs.firing) return 'unchanged' as const;
    await writeAlertTransition(trx, {
      rule: obs.rule,
      severity: def.severity,
      firing: obs.firing,
      value: obs.value,
      threshold: def.threshold,
      windowMs: def.windowMs,
    });
    if (obs.firing) {
      const chatId = await getAlertChatId(trx);
      // the key, not the state, bounds messages: a rule that clears and fires again inside the
      // same 30 minutes sends nothing new (NT-2)
      if (chatId)
        await insertAlertNotification(trx, {
          chatId,
          dedupeKey: alertDedupeKey(obs.rule, now),
          text: alertMessageText(obs.rule, obs.value),
        });
    }
    return obs.firing ? ('fired' as const) : ('cleared' as const);
  });
  if (transition !== 'unchanged')
    logger[transition === 'fired' ? 'warn' : 'info'](
      {
        event: `alert.${transition === 'fired' ? 'fire' : 'clear'}`,
        rule: obs.rule,
        value: obs.value,
      },
      transition === 'fired' ? 'alert firing' : 'alert cleared',
    );
  return transition;
}

/** DA-1 rate over the last 15 min; no value below 20 classified attempts. */
export async function observePaymentFailureRate(db: Db, now: Date): Promise<RuleObservation> {
  const def = ALERT_RULE_DEFINITIONS.payment_failure_rate;
  const counts = await paymentFailureCounts(db, {
    from: new Date(now.getTime() - def.windowMs),
    to: now,
  });
  const enough = counts.failed + counts.succeeded >= def.minSamples;
  const value = enough ? counts.rate : null;
  return { rule: def.rule, value, firing: value !== null && value > def.threshold };
}

/** Failed iiko attempts in the last 60 min. */
export async function observeIikoSyncFailures(db: Db, now: Date): Promise<RuleObservation> {
  const def = ALERT_RULE_DEFINITIONS.iiko_sync_failures;
  const value = await countIikoFailures(db, {
    from: new Date(now.getTime() - def.windowMs),
    to: now,
  });
  return { rule: def.rule, value, firing: value > def.threshold };
}

/** The DB rules, evaluated and recorded; the periodic task `alerts.evaluate` runs this. */
export async function evaluateDbAlerts(
  db: Db,
  { now = new Date() }: { now?: Date } = {},
): Promise<Partial<Record<AlertRule, AlertTransition>>> {
  const observations = [
    await observePaymentFailureRate(db, now),
    await observeIikoSyncFailures(db, now),
  ];
  const result: Partial<Record<AlertRule, AlertTransition>> = {};
  for (const obs of observations) result[obs.rule] = await recordAlertState(db, obs, { now });
  return result;
}
