import type { AddressInfo } from 'node:net';
import { fakeArgs } from '../spawn';
import { createFakeTelegramServer, DEFAULT_BOT_TOKEN } from './server';

/**
 * The fake Telegram Bot API as a process (contract in scripts/fakes/spawn.ts):
 * `tsx scripts/fakes/telegram/main.ts --port 0 [--token <bot token>]` listens on 127.0.0.1 and
 * prints `FAKE_LISTENING <base url>`; the app's TELEGRAM_API_BASE_URL is that URL.
 */
const args = fakeArgs();
const port = Number(args.port ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`fake telegram: invalid --port ${JSON.stringify(args.port)}`);
  process.exit(2);
}

const { server } = createFakeTelegramServer({ token: args.token ?? DEFAULT_BOT_TOKEN });

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
