import path from 'node:path';
import { defineConfig, type TestProjectConfiguration } from 'vitest/config';

const alias = {
  '~db': path.resolve(__dirname, 'db'),
  '~': path.resolve(__dirname, 'app'),
};

/**
 * The slow fault tests (tests/faults, docs/ops/faults.md) are a project only when asked for by
 * name (`npm run test:faults` = `vitest run --project faults`), so a plain `vitest run` (npm test)
 * never starts them.
 */
const faultsRequested = process.argv.some(
  (arg, i) =>
    arg === '--project=faults' || (arg === '--project' && process.argv[i + 1] === 'faults'),
);

const faultsProject: TestProjectConfiguration = {
  resolve: { alias },
  test: {
    // slow fault tests (killed backends under load, SIGKILL of the app, a PostgreSQL restart)
    // against the real server process; docs/ops/faults.md
    name: 'faults',
    environment: 'node',
    include: ['tests/faults/**/*.test.ts'],
    globalSetup: ['tests/setup/global-setup.ts'],
    setupFiles: ['tests/setup/per-file.ts'],
    // one at a time: each drives a server process and measures its recovery
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 300_000,
    env: { NODE_ENV: 'test' },
  },
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          environment: 'node',
          include: ['app/**/*.test.{ts,tsx}', 'db/**/*.test.ts', 'scripts/**/*.test.ts'],
          env: { NODE_ENV: 'test' },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          environment: 'node',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/setup/global-setup.ts'],
          setupFiles: ['tests/setup/per-file.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          env: { NODE_ENV: 'test' },
        },
      },
      ...(faultsRequested ? [faultsProject] : []),
    ],
  },
});
