import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/**
 * Runs one of the project's scripts (`scripts/server.ts`, `scripts/worker.ts`) as its own process
 * with only the given environment (plus PATH and HOME), collecting stdout and stderr together.
 */
export function startScript(
  script: string,
  env: { NODE_ENV: NodeJS.ProcessEnv['NODE_ENV'] } & Record<string, string | undefined>,
): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const childEnv: NodeJS.ProcessEnv = { NODE_ENV: env.NODE_ENV };
  for (const [k, v] of Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, ...env })) {
    if (v !== undefined) childEnv[k] = v;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}
