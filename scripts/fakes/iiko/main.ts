import type { AddressInfo } from 'node:net';
import { fakeArgs } from '../spawn';
import { createFakeIiko, DEFAULT_API_LOGIN } from './server';

/**
 * The fake iikoCloud as a process (contract in scripts/fakes/spawn.ts):
 * `tsx scripts/fakes/iiko/main.ts --port 0 [--api-login <login>]` listens on 127.0.0.1 and prints
 * `FAKE_LISTENING <base url>`. Its organisation, terminal groups and nomenclature are the demo
 * seed's (scripts/fakes/iiko/catalog.ts).
 */
const args = fakeArgs();

function fail(message: string): never {
  console.error(`fake iiko: ${message}`);
  process.exit(2);
}

const port = Number(args.port ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`invalid --port ${JSON.stringify(args.port)}`);

const { server } = createFakeIiko({ apiLogin: args['api-login'] ?? DEFAULT_API_LOGIN });

server.listen(port, '127.0.0.1', () => {
  const { port: actual } = server.address() as AddressInfo;
  process.stdout.write(`FAKE_LISTENING http://127.0.0.1:${actual}\n`);
});

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
