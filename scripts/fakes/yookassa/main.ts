import { fakeProcess } from '../process';
import { createFakeYooKassa, DEFAULT_SECRET_KEY, DEFAULT_SHOP_ID } from './server';

/**
 * The fake YooKassa as a process (contract in scripts/fakes/spawn.ts):
 * `tsx scripts/fakes/yookassa/main.ts --port 0 [--notify-url <url>] [--shop-id <id>]
 * [--secret-key <key>] [--pending-ttl-seconds <n>]` listens on 127.0.0.1 and prints
 * `FAKE_LISTENING <base url>`. Notifications go to --notify-url (none without it).
 */
const { args, fail, serve } = fakeProcess('yookassa');

const notifyUrl = args['notify-url'] ?? null;
if (notifyUrl !== null && !/^https?:\/\/\S+$/.test(notifyUrl))
  fail(`invalid --notify-url ${JSON.stringify(notifyUrl)}`);

const ttlSeconds = Number(args['pending-ttl-seconds'] ?? 3600);
if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
  fail(`invalid --pending-ttl-seconds ${JSON.stringify(args['pending-ttl-seconds'])}`);

serve(
  createFakeYooKassa({
    shopId: args['shop-id'] ?? DEFAULT_SHOP_ID,
    secretKey: args['secret-key'] ?? DEFAULT_SECRET_KEY,
    notifyUrl,
    pendingTtlMs: ttlSeconds * 1000,
  }).server,
);
