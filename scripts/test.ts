import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './lib/run';

/**
 * `npm test`: every check CI relies on, in order — types, lint, formatting, the production build,
 * unit + integration tests (Vitest, real PostgreSQL), the end-to-end suite (Playwright in
 * Chromium) and the same suite against two app instances and two workers behind a round-robin
 * proxy (`e2e-scaleout`, playwright.scaleout.config.ts). It ends with one summary line
 * `N passed, N failed`.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);
const RESULTS = path.join('.data', 'test-results');
fs.mkdirSync(RESULTS, { recursive: true });
const E2E_REPORTS = { e2e: 'e2e.json', 'e2e-scaleout': 'e2e-scaleout.json' } as const;
for (const f of ['vitest.json', ...Object.values(E2E_REPORTS)])
  fs.rmSync(path.join(RESULTS, f), { force: true });
const bin = (name: string) => path.join('node_modules', '.bin', name);

const steps: { name: string; cmd: string; args: string[] }[] = [
  { name: 'typecheck', cmd: bin('tsc'), args: ['--noEmit'] },
  { name: 'lint', cmd: bin('eslint'), args: ['.', '--max-warnings=0'] },
  { name: 'format', cmd: bin('prettier'), args: ['--check', '.', '--log-level=warn'] },
  { name: 'build', cmd: bin('remix'), args: ['build'] },
  {
    name: 'vitest',
    cmd: bin('vitest'),
    args: [
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${RESULTS}/vitest.json`,
    ],
  },
  { name: 'e2e', cmd: bin('playwright'), args: ['test'] },
  {
    name: 'e2e-scaleout',
    cmd: bin('playwright'),
    args: ['test', '--config', 'playwright.scaleout.config.ts'],
  },
];

const only = process.argv.slice(2);
const failed: string[] = [];
for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  process.stdout.write(`\n=== ${step.name} ===\n`);
  try {
    await run(step.cmd, step.args, {
      env: { ...process.env, ...(step.name === 'build' ? { NODE_ENV: 'production' } : {}) },
    });
  } catch {
    failed.push(step.name);
  }
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

let passed = 0;
let failedTests = 0;
let skipped = 0;
const vitest = readJson(path.join(RESULTS, 'vitest.json'));
if (vitest) {
  passed += Number(vitest.numPassedTests ?? 0);
  failedTests += Number(vitest.numFailedTests ?? 0);
  skipped += Number(vitest.numPendingTests ?? 0) + Number(vitest.numTodoTests ?? 0);
}
// a suite step that failed without a failed test (crashed, server never started) counts as one
const crashed: string[] = [];
for (const [step, file] of Object.entries(E2E_REPORTS)) {
  const stats = readJson(path.join(RESULTS, file))?.stats as
    { expected?: number; unexpected?: number; flaky?: number; skipped?: number } | undefined;
  if (stats) {
    passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
    failedTests += stats.unexpected ?? 0;
    skipped += stats.skipped ?? 0;
  }
  if (failed.includes(step) && !(stats && (stats.unexpected ?? 0) > 0)) crashed.push(step);
}
const suites = ['vitest', ...Object.keys(E2E_REPORTS)];
// A failing non-test step (types, lint, build) counts as one failure so the total never reads green.
const stepFailures = failed.filter((s) => !suites.includes(s)).length;
const vitestCrashed =
  failed.includes('vitest') && !(vitest && Number(vitest.numFailedTests ?? 0) > 0);
failedTests += stepFailures + (vitestCrashed ? 1 : 0) + crashed.length;

process.stdout.write(`\n${failed.length ? `failed steps: ${failed.join(', ')}\n` : ''}`);
process.stdout.write(
  `${passed} passed, ${failedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
);
process.exit(failed.length ? 1 : 0);
