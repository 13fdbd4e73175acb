import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { EnvError, parseEnv } from '../app/utils/env.server';
import { DEMO_USERS } from '../db/seed/demo-users';
import { resolveDatabaseUrl } from './lib/database-url';
import { run, start, tsxArgs, waitForHttp } from './lib/run';

/**
 * `npm start`: the one process manager a newcomer needs. It builds the app, provides PostgreSQL
 * (DATABASE_URL, or an embedded server under .data/), applies migrations and seeds demo data once
 * (outside production), starts the local fake integration services, then the HTTP server, and
 * stops everything cleanly on Ctrl-C.
 *
 * In production it only serves: migrations are a separate deployment step (`npm run db:migrate`)
 * and demo data is never seeded.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);

function say(line: string) {
  process.stdout.write(`[ctea] ${line}\n`);
}

function fail(line: string): never {
  process.stderr.write(`[ctea] ${line}\n`);
  process.exit(1);
}

if (fs.existsSync('.env')) process.loadEnvFile('.env');

let env;
try {
  env = parseEnv(process.env);
} catch (err) {
  if (err instanceof EnvError) fail(err.message);
  throw err;
}

const children: ChildProcess[] = [];
let release: () => Promise<void> = async () => {};
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))),
  );
  await release().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  if (process.env.CTEA_SKIP_BUILD !== '1') {
    say('building the app…');
    await run(
      process.execPath,
      [path.join('node_modules', '@remix-run', 'dev', 'dist', 'cli.js'), 'build'],
      {
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
  }

  const database = await resolveDatabaseUrl((line) => say(line), { ownSignals: true });
  release = database.release;
  say(
    database.embedded
      ? `PostgreSQL: embedded, port ${database.embedded.port} (.data/pg)`
      : 'PostgreSQL: DATABASE_URL',
  );

  if (!env.isProduction) {
    const { migrateToLatest } = await import('../db/migrate');
    const { sslSettings } = await import('../db/pool-config');
    const { error, results } = await migrateToLatest(database.connectionString, {
      ssl: sslSettings(process.env),
    });
    if (error)
      throw new Error(
        `migration failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    say(results?.length ? `applied ${results.length} migration(s)` : 'migrations: up to date');

    const { seedDatabase } = await import('./lib/seed-once');
    const seeded = await seedDatabase(database.connectionString, (line) => say(line));
    say(seeded ? 'demo data seeded' : 'demo data: already present');
  }

  const { startFakes } = await import('./lib/fakes');
  const fakeEnv =
    env.isProduction || env.DISABLE_FAKES
      ? {}
      : await startFakes(children, (line) => say(line), { appPort: env.PORT });

  const server = start(process.execPath, tsxArgs('scripts/server.ts'), {
    env: {
      ...process.env,
      ...fakeEnv,
      DATABASE_URL: database.connectionString,
      NODE_ENV: env.NODE_ENV,
    },
  });
  children.push(server);
  server.on('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`[ctea] server exited (${code ?? 'signal'})\n`);
      void shutdown(code ?? 1);
    }
  });
  const base = `http://localhost:${env.PORT}`;
  await waitForHttp(`${base}/healthz`, 60_000, () => server.exitCode === null);

  say('');
  say(`CTEA is running: ${base}`);
  if (!env.isProduction) {
    say('Demo sign-in (staff, at /login):');
    for (const u of DEMO_USERS) say(`  ${u.role.padEnd(13)} ${u.email}  /  ${u.password}`);
  }
  say('Press Ctrl-C to stop.');
} catch (err) {
  process.stderr.write(
    `[ctea] start-up failed: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  await shutdown(1);
}
