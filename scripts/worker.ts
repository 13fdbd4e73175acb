import os from 'node:os';
import { EnvError, parseEnv, type Env } from '../app/utils/env.server';
import { logger } from '../app/utils/logger.server';

/**
 * `npm run worker`: the job workers and periodic tasks as their own process (CF-6), for
 * deployments that run the web process with DISABLE_IN_PROCESS_WORKERS=true. Any number of these
 * may run against one database. SIGTERM / SIGINT stop claiming, wait for running jobs and exit 0.
 */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let env: Env;
try {
  env = parseEnv(process.env);
} catch (err) {
  if (err instanceof EnvError) fail(err.message);
  throw err;
}
if (!env.DATABASE_URL) fail('Invalid environment: DATABASE_URL is required');

// Listening from the start: a stop asked for while the process is still starting (a deploy
// rolled back at once) ends it as cleanly as one afterwards, instead of killing it mid-start.
let stopping = false;
let shutdown: (() => void) | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker shutting down');
    shutdown?.();
  });
}

// imported after the environment is known to be valid: these modules read it
const { checkDatabase } = await import('./server');
try {
  await checkDatabase(env);
} catch (err) {
  fail(`Database unreachable: ${err instanceof Error ? err.message : String(err)} (DATABASE_URL)`);
}
const { getDb, closeDb } = await import('../db/database.server');
const { startWorkers } = await import('../app/features/jobs/worker.server');

const workers = startWorkers({
  db: getDb(),
  concurrency: env.WORKER_CONCURRENCY,
  workerId: `${os.hostname()}:${process.pid}`,
});

shutdown = () => {
  workers
    .stop()
    .then(() => closeDb())
    .then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'worker shutdown failed');
        process.exit(1);
      },
    );
};
// asked to stop while starting: stop now that there is something to stop
if (stopping) shutdown();
