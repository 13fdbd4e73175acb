import { sql } from 'kysely';
import type { Db } from '~db/database.server';
import {
  ALERT_RULE_DEFINITIONS,
  ALERT_RULES,
  isAlertRule,
  type AlertRule,
  type AlertSeverity,
} from './rules';

/**
 * Alert state lives in audit_log (ADR 0017): every transition of a rule is one row with
 * entity_type 'alert', entity_id = the rule and action 'alert.fire' or 'alert.clear'. The current
 * state of a rule is its latest such row; a rule with no row has never fired.
 */

export const ALERT_ENTITY_TYPE = 'alert';
export const ALERT_FIRE = 'alert.fire';
export const ALERT_CLEAR = 'alert.clear';

export interface AlertState {
  rule: AlertRule;
  severity: AlertSeverity;
  firing: boolean;
  /** When the current firing began; null when not firing. */
  since: Date | null;
  /** The value recorded with the latest transition (fire or clear); null when none. */
  value: number | null;
  threshold: number;
}

interface LatestTransition {
  rule: AlertRule;
  firing: boolean;
  at: Date;
  value: number | null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The latest transition row of each rule that has one (index (entity_type, entity_id, created_at DESC)). */
export async function latestAlertTransitions(db: Db): Promise<Map<AlertRule, LatestTransition>> {
  const { rows } = await sql<{
    entity_id: string;
    action: string;
    created_at: Date;
    after: unknown;
  }>`
    select distinct on (entity_id) entity_id, action, created_at, after
    from audit_log
    where entity_type = ${ALERT_ENTITY_TYPE}
      and entity_id in (${sql.join([...ALERT_RULES])})
      and action in (${ALERT_FIRE}, ${ALERT_CLEAR})
    order by entity_id, created_at desc, id desc
  `.execute(db);
  const result = new Map<AlertRule, LatestTransition>();
  for (const row of rows) {
    if (!isAlertRule(row.entity_id)) continue;
    const after = (row.after ?? {}) as Record<string, unknown>;
    result.set(row.entity_id, {
      rule: row.entity_id,
      firing: row.action === ALERT_FIRE,
      at: row.created_at,
      value: numberOrNull(after.value),
    });
  }
  return result;
}

/** One entry per DA-3 rule, in catalogue order. */
export async function currentAlertStates(db: Db): Promise<AlertState[]> {
  const latest = await latestAlertTransitions(db);
  return ALERT_RULES.map((rule) => {
    const def = ALERT_RULE_DEFINITIONS[rule];
    const t = latest.get(rule);
    return {
      rule,
      severity: def.severity,
      firing: t?.firing ?? false,
      since: t?.firing ? t.at : null,
      value: t?.value ?? null,
      threshold: def.threshold,
    };
  });
}
