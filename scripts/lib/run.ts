import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** Runs a command to completion, inheriting stdio; rejects with its exit code. */
export function run(command: string, args: string[], opts: SpawnOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...opts });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          Object.assign(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`), {
            exitCode: code ?? 1,
          }),
        );
    });
  });
}

/** Starts a long-running child; the caller owns its lifetime. */
export function start(command: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  return spawn(command, args, { stdio: 'inherit', ...opts });
}

/** Polls a URL until it answers 2xx or the deadline passes. */
export async function waitForHttp(
  url: string,
  timeoutMs = 60_000,
  isAlive: () => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`process serving ${url} exited`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** `node --import tsx <script>`: TypeScript scripts in a child process with the same Node. */
export function tsxArgs(script: string): string[] {
  return ['--import', 'tsx', script];
}
