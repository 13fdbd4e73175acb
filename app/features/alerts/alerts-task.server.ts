import type { PeriodicTask } from '~/features/jobs/periodic.server';
import { getEnv } from '~/utils/env.server';
import { evaluateDbAlerts } from './alerts.service.server';

/**
 * DA-3: the DB rules, every ALERTS_EVALUATE_EVERY_MS (default one minute), by one process at a time
 * (the periodic runner's advisory lock named after the task).
 */
export const alertsEvaluateTask: PeriodicTask = {
  name: 'alerts.evaluate',
  get everyMs() {
    return getEnv().ALERTS_EVALUATE_EVERY_MS;
  },
  run: (db) => evaluateDbAlerts(db),
};
