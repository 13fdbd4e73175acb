/**
 * The alert rule catalogue (DA-3). Isomorphic: the evaluator, the admin header indicator and the
 * dashboards read names, severities and thresholds from here, and docs/ops/prometheus-alerts.yml
 * mirrors them for a Prometheus set-up.
 */

export const ALERT_RULES = [
  'payment_failure_rate',
  'iiko_sync_failures',
  'api_latency',
  'api_error_rate',
  'db_pool_saturation',
] as const;

export type AlertRule = (typeof ALERT_RULES)[number];
export type AlertSeverity = 'P0' | 'P1' | 'P2';

/** Where a rule is evaluated: by one process from the database, or by each app process in memory. */
export type AlertSource = 'db' | 'process';

export interface AlertRuleDefinition {
  rule: AlertRule;
  severity: AlertSeverity;
  source: AlertSource;
  /** Fires when the value is strictly greater than this. */
  threshold: number;
  /** Unit of value and threshold. */
  unit: 'ratio' | 'count' | 'seconds';
  /** The sliding window the value is computed over. */
  windowMs: number;
  /** Fewer observations than this in the window: the rule has no value and does not fire. */
  minSamples: number;
  /** The admin page that explains the alert. */
  href: string;
}

const MINUTE = 60_000;

export const ALERT_RULE_DEFINITIONS: Record<AlertRule, AlertRuleDefinition> = {
  // DA-1 rate over the last 15 min > 5 % with failed + succeeded >= 20
  payment_failure_rate: {
    rule: 'payment_failure_rate',
    severity: 'P0',
    source: 'db',
    threshold: 0.05,
    unit: 'ratio',
    windowMs: 15 * MINUTE,
    minSamples: 20,
    href: '/admin/dashboards/payments',
  },
  // failed iiko_sync_log attempts in the last 60 min > 3
  iiko_sync_failures: {
    rule: 'iiko_sync_failures',
    severity: 'P1',
    source: 'db',
    threshold: 3,
    unit: 'count',
    windowMs: 60 * MINUTE,
    minSamples: 0,
    href: '/admin/dashboards/iiko',
  },
  // p95 HTTP request duration over 5 min > 2 s
  api_latency: {
    rule: 'api_latency',
    severity: 'P2',
    source: 'process',
    threshold: 2,
    unit: 'seconds',
    windowMs: 5 * MINUTE,
    minSamples: 1,
    href: '/admin/dashboards/payments',
  },
  // 5xx / all requests over 5 min > 1 % with >= 100 requests
  api_error_rate: {
    rule: 'api_error_rate',
    severity: 'P1',
    source: 'process',
    threshold: 0.01,
    unit: 'ratio',
    windowMs: 5 * MINUTE,
    minSamples: 100,
    href: '/admin/dashboards/payments',
  },
  // totalCount - idleCount > 80 % of the pool max (16 of 20), continuously for 5 min
  db_pool_saturation: {
    rule: 'db_pool_saturation',
    severity: 'P2',
    source: 'process',
    threshold: 0.8,
    unit: 'ratio',
    windowMs: 5 * MINUTE,
    minSamples: 1,
    href: '/admin/dashboards/iiko',
  },
};

export function isAlertRule(value: string): value is AlertRule {
  return (ALERT_RULES as readonly string[]).includes(value);
}

/** NT-2: at most one ALERT per rule and 30-minute window. */
export const ALERT_NOTIFY_WINDOW_MS = 30 * MINUTE;

/** Start of the 30-minute window `at` falls in (aligned to the epoch, so to :00 and :30 UTC). */
export function alertWindowStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / ALERT_NOTIFY_WINDOW_MS) * ALERT_NOTIFY_WINDOW_MS);
}

/** NT-2 dedupe key of the ALERT message for a rule firing at `at`. */
export function alertDedupeKey(rule: AlertRule, at: Date): string {
  return `alert:${rule}:${alertWindowStart(at).toISOString()}`;
}
