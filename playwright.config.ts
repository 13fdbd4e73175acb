import { defineConfig, devices, type PlaywrightTestConfig } from '@playwright/test';

/**
 * End-to-end tests drive Debian's Chromium (/usr/bin/chromium; Playwright's own browser download
 * is not used). `scripts/e2e-server.ts` serves the built app on a freshly migrated and seeded
 * database on port E2E_PORT (3100), so a running `npm start` on :3000 is never touched.
 * `playwright.scaleout.config.ts` runs the same specs against two instances behind a proxy.
 */
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function e2eConfig({
  port,
  instances = 1,
  name = 'e2e',
  testMatch,
  grepInvert,
}: {
  port: number;
  /** App (and worker) processes behind the e2e server's port (scripts/e2e-server.ts). */
  instances?: number;
  /** Names the JSON report (.data/test-results/<name>.json) and the artifacts directory. */
  name?: string;
  testMatch?: PlaywrightTestConfig['testMatch'];
  grepInvert?: PlaywrightTestConfig['grepInvert'];
}): PlaywrightTestConfig {
  // the specs find the running server's runtime file by this port (e2e/support/runtime.ts)
  process.env.E2E_PORT = String(port);
  return defineConfig({
    testDir: 'e2e',
    ...(testMatch ? { testMatch } : {}),
    ...(grepInvert ? { grepInvert } : {}),
    fullyParallel: false,
    workers: 1,
    retries: process.env.CI ? 1 : 0,
    timeout: 60_000,
    expect: { timeout: 10_000 },
    reporter: [['list'], ['json', { outputFile: `.data/test-results/${name}.json` }]],
    outputDir: `.data/test-results/${name}-artifacts`,
    use: {
      baseURL: `http://localhost:${port}`,
      trace: 'retain-on-failure',
      screenshot: 'only-on-failure',
      locale: 'ru-RU',
      timezoneId: 'Europe/Moscow',
    },
    projects: [
      {
        name: 'chromium',
        use: {
          ...devices['Desktop Chrome'],
          launchOptions: {
            executablePath: chromium,
            args: [
              '--no-sandbox',
              '--disable-gpu',
              '--disable-quic',
              '--no-first-run',
              '--disable-background-networking',
              '--disable-component-update',
              '--disable-sync',
              '--disable-dev-shm-usage',
            ],
          },
        },
      },
    ],
    webServer: {
      command: `node --import tsx scripts/e2e-server.ts`,
      url: `http://localhost:${port}/readyz`,
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { E2E_PORT: String(port), E2E_INSTANCES: String(instances) },
      // the scale-out run stops its app and worker processes one after another
      gracefulShutdown: { signal: 'SIGTERM', timeout: instances > 1 ? 30_000 : 10_000 },
    },
  });
}

export default e2eConfig({ port: Number(process.env.E2E_PORT ?? 3100) });
