import { spawn, spawnSync } from 'node:child_process';
import { cpuPer, cpuSnapshot } from './cpu';
import fs from 'node:fs';
import { sslSettings } from '../../db/pool-config';
import { onCleanup } from './cleanup';

/**
 * pgbench, the baseline every database benchmark here is compared with: its default TPC-B-like
 * script on the same server in the same run, so the ratio does not depend on the machine.
 */
export const PGBENCH = '/usr/bin/pgbench';

/** The pgbench version line, or null when it is not installed. */
export function pgbenchVersion(): string | null {
  try {
    fs.accessSync(PGBENCH, fs.constants.X_OK);
  } catch {
    return null;
  }
  const r = spawnSync(PGBENCH, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * libpq settings for a connection string, passed through the environment so a password never
 * appears on a command line. SSL follows the app's DATABASE_SSL settings.
 */
function libpqEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGDATABASE: decodeURIComponent(u.pathname.slice(1)),
    PGAPPNAME: 'ctea-bench',
  };
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const ssl = sslSettings(process.env);
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  else if (typeof ssl === 'object')
    env.PGSSLMODE = ssl.rejectUnauthorized === false ? 'require' : 'verify-full';
  return env;
}

function run(args: string[], url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PGBENCH, args, {
      env: libpqEnv(url),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const forget = onCleanup('stop pgbench', async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (err) => {
      forget();
      reject(err);
    });
    child.once('close', (code, signal) => {
      forget();
      if (code === 0) resolve(output);
      else
        reject(
          new Error(`pgbench ${args.join(' ')} failed (${code ?? signal}):\n${output.trim()}`),
        );
    });
  });
}

/** `tps = 1234.567890 (without initial connection time)` → 1234.56789. */
export function parseTps(output: string): number {
  const m = /^tps = (\d+(?:\.\d+)?)/m.exec(output);
  if (!m) throw new Error(`no "tps = …" line in the pgbench output:\n${output.trim()}`);
  return Number(m[1]);
}

/** pgbench's worker threads (`-j`) for a number of clients: two, the machine's CPUs here. */
const threadsFor = (clients: number) => Math.min(2, clients);

/** `pgbench -i -s <scale>` then the default script for `seconds`; returns its tps and `-j`. */
export async function runTpcB(
  url: string,
  opts: { scale: number; clients: number; seconds: number },
): Promise<{ tps: number; output: string; machineCpuMsPerTx: number; threads: number }> {
  await run(['-i', '-q', '-s', String(opts.scale)], url);
  const threads = threadsFor(opts.clients);
  const before = cpuSnapshot();
  const output = await run(
    ['-c', String(opts.clients), '-j', String(threads), '-T', String(opts.seconds), '-n'],
    url,
  );
  const after = cpuSnapshot();
  const tx = parseTransactions(output);
  // pgbench and the server both run outside this process: the machine's busy time is theirs
  const { restMs, processMs } = cpuPer(before, after, tx);
  return { tps: parseTps(output), output, machineCpuMsPerTx: restMs + processMs, threads };
}

/** How hard and how long a script runs: clients, and a duration or transactions per client. */
export type ScriptRun = { clients: number } & ({ seconds: number } | { transactions: number });

/**
 * A custom pgbench script (`-f`, prepared statements as the app uses them) with `-D` variables,
 * on the database at `url`, which must already hold what the script needs, for a duration or a
 * number of transactions per client; returns its tps.
 */
export async function runScript(
  url: string,
  opts: { file: string; defines: Record<string, string | number> } & ScriptRun,
): Promise<number> {
  const defines = Object.entries(opts.defines).flatMap(([k, v]) => ['-D', `${k}=${v}`]);
  const output = await run(
    [
      '-n',
      '-M',
      'prepared',
      '-f',
      opts.file,
      ...defines,
      '-c',
      String(opts.clients),
      '-j',
      String(threadsFor(opts.clients)),
      ...('seconds' in opts ? ['-T', String(opts.seconds)] : ['-t', String(opts.transactions)]),
    ],
    url,
  );
  return parseTps(output);
}

/** `number of transactions actually processed: 12345` → 12345. */
export function parseTransactions(output: string): number {
  const m = /^number of transactions actually processed: (\d+)/m.exec(output);
  return m ? Number(m[1]) : Number.NaN;
}
