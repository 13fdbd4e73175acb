import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeArgs } from './spawn';

/**
 * The process side of the fakes' contract (scripts/fakes/spawn.ts): read `--name value` arguments,
 * listen on 127.0.0.1, print `FAKE_LISTENING <base url>`, stop on SIGTERM / SIGINT.
 */

export interface FakeProcess {
  args: Record<string, string>;
  /** Prints `fake <name>: <message>` and exits 2 (a bad argument). */
  fail: (message: string) => never;
  /** Listens on --port (0: any free port) and announces the base URL. */
  serve: (server: http.Server) => void;
}

export function fakeProcess(name: string): FakeProcess {
  const args = fakeArgs();
  const fail = (message: string): never => {
    console.error(`fake ${name}: ${message}`);
    process.exit(2);
  };
  const port = Number(args.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`invalid --port ${JSON.stringify(args.port)}`);

  const serve = (server: http.Server) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address() as AddressInfo;
      process.stdout.write(`FAKE_LISTENING http://127.0.0.1:${actual}\n`);
    });
    const shutdown = () => {
      server.close(() => process.exit(0));
      server.closeAllConnections();
      setTimeout(() => process.exit(0), 2_000).unref();
    };
    process.on('SIGTERM', shutdown);
    process.on('SIGINT', shutdown);
  };
  return { args, fail, serve };
}
