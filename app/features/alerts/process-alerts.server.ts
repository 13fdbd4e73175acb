import type { Db } from '~db/database.server';
import { logger } from '~/utils/logger.server';
import { recordAlertState, type RuleObservation } from './alerts.service.server';
import { ProcessWindows, type PoolSample, type ProcessRuleValues } from './process-windows';

/**
 * The in-process rules (api_latency, api_error_rate, db_pool_saturation): each app process keeps
 * its own windows and records transitions through `recordAlertState` (per-rule advisory lock, so
 * two processes record one change once). A process asserts "firing" on every evaluation while its
 * own window fires, and records a clear only when its own window stops firing — so a process that
 * never saw the problem does not clear what another one fired (ADR 0017).
 */

const GLOBAL_KEY = Symbol.for('ctea.alerts.windows');
type GlobalWithWindows = typeof globalThis & { [GLOBAL_KEY]?: ProcessWindows };

/** This process's windows (on globalThis: the server script and the Remix build share them). */
export function processWindows(): ProcessWindows {
  const g = globalThis as GlobalWithWindows;
  g[GLOBAL_KEY] ??= new ProcessWindows();
  return g[GLOBAL_KEY];
}

const RULES = ['api_latency', 'api_error_rate', 'db_pool_saturation'] as const;
type ProcessRule = (typeof RULES)[number];
export type LocalFiring = Record<ProcessRule, boolean>;

/** What to record after one evaluation, given what this process saw firing last time. */
export function processObservations(
  previous: LocalFiring,
  values: ProcessRuleValues,
): RuleObservation[] {
  const out: RuleObservation[] = [];
  for (const rule of RULES) {
    const { firing, value } = values[rule];
    if (firing || previous[rule]) out.push({ rule, firing, value });
  }
  return out;
}

export interface ProcessAlertsOptions {
  db: Db;
  everyMs: number;
  /** How often the pool is sampled for db_pool_saturation. */
  poolSampleMs?: number;
  readPool: () => PoolSample;
}

export function startProcessAlerts({
  db,
  everyMs,
  poolSampleMs = 5_000,
  readPool,
}: ProcessAlertsOptions): { stop: () => Promise<void> } {
  const windows = processWindows();
  let previous: LocalFiring = {
    api_latency: false,
    api_error_rate: false,
    db_pool_saturation: false,
  };
  let running: Promise<void> | null = null;

  const sample = () => {
    try {
      windows.samplePool(readPool(), Date.now());
    } catch (err) {
      logger.warn({ err, event: 'alerts.pool_sample_failed' }, 'pool sample failed');
    }
  };
  const evaluate = async () => {
    const values = windows.evaluate(Date.now());
    const next = {
      api_latency: values.api_latency.firing,
      api_error_rate: values.api_error_rate.firing,
      db_pool_saturation: values.db_pool_saturation.firing,
    };
    for (const obs of processObservations(previous, values)) {
      try {
        await recordAlertState(db, obs);
      } catch (err) {
        // keep the local state as it was, so the change is recorded on the next evaluation
        next[obs.rule as ProcessRule] = previous[obs.rule as ProcessRule];
        logger.error({ err, event: 'alerts.record_failed', rule: obs.rule }, 'alert not recorded');
      }
    }
    previous = next;
  };

  const sampler = setInterval(sample, poolSampleMs);
  const evaluator = setInterval(() => {
    if (running) return;
    running = evaluate().finally(() => {
      running = null;
    });
  }, everyMs);
  sampler.unref();
  evaluator.unref();
  sample();

  return {
    stop: async () => {
      clearInterval(sampler);
      clearInterval(evaluator);
      await running;
    },
  };
}
