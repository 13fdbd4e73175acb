import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Starts one local fake integration server (scripts/fakes/<name>/main.ts) as its own process and
 * resolves with its base URL. Used by `npm start`, the e2e server and integration tests, so the
 * app always talks to the fakes over real HTTP.
 *
 * Contract of every `main.ts`: reads `--port <n>` (0 = any free port) and optional
 * `--<option> <value>` pairs, listens on 127.0.0.1, then prints exactly one line
 * `FAKE_LISTENING <base url>` on stdout; exits on SIGTERM/SIGINT.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type FakeName = 'sms' | 'yookassa' | 'iiko' | 'telegram';

export interface RunningFake {
  name: FakeName;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function spawnFake(
  name: FakeName,
  options: Record<string, string | number> = {},
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<RunningFake> {
  const args = [
    '--import',
    'tsx',
    path.join(root, 'scripts/fakes', name, 'main.ts'),
    '--port',
    String(options.port ?? 0),
  ];
  for (const [key, value] of Object.entries(options)) {
    if (key !== 'port') args.push(`--${key}`, String(value));
  }
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fake ${name} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const match = /FAKE_LISTENING (\S+)/.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fake ${name} exited (${code ?? 'signal'}) before listening`));
    });
  });
  // keep draining stdout so the child never blocks on a full pipe
  child.stdout!.resume();
  return {
    name,
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
      }),
  };
}

/** Parses `--key value` pairs of a fake's command line. */
export function fakeArgs(argv = process.argv.slice(2)): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    if (key?.startsWith('--') && argv[i + 1] !== undefined) out[key.slice(2)] = argv[i + 1]!;
  }
  return out;
}
