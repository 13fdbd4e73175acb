import type { AddressInfo } from 'node:net';
import { fakeArgs } from '../spawn';
import { createFakeSmsServer, DEFAULT_API_KEY } from './server';

/**
 * The fake SMS gateway as a process (contract in scripts/fakes/spawn.ts):
 * `tsx scripts/fakes/sms/main.ts --port 0 [--api-key <key>]` listens on 127.0.0.1 and prints
 * `FAKE_LISTENING <base url>`.
 */
const args = fakeArgs();
const port = Number(args.port ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`fake sms: invalid --port ${JSON.stringify(args.port)}`);
  process.exit(2);
}

const { server } = createFakeSmsServer({ apiKey: args['api-key'] ?? DEFAULT_API_KEY });

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
