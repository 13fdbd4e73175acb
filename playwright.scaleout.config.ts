import { e2eConfig } from './playwright.config';

/**
 * The scale-out run (issue 8): the same specs against two app processes and two worker processes
 * on one database, behind a round-robin proxy on port 3121 (scripts/e2e-server.ts with
 * E2E_INSTANCES=2), so consecutive requests of one session land on different instances.
 * `npm test` runs it as the step `e2e-scaleout`; its report is .data/test-results/e2e-scaleout.json.
 *
 * Every spec runs except the loopback /metrics scrape: behind a proxy that sets X-Forwarded-For,
 * /metrics without METRICS_TOKEN refuses by design (ADR 0017), and each instance's metrics are its
 * own, so Prometheus scrapes the instances directly (docs/ops/scale-out.md).
 */
export default e2eConfig({
  port: Number(process.env.E2E_SCALEOUT_PORT ?? 3121),
  instances: 2,
  name: 'e2e-scaleout',
  grepInvert: /\/metrics answers the loopback scraper/,
});
