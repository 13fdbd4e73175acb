import { fakeProcess } from '../process';
import { createFakeTelegramServer, DEFAULT_BOT_TOKEN } from './server';

/**
 * The fake Telegram Bot API as a process (contract in scripts/fakes/spawn.ts):
 * `tsx scripts/fakes/telegram/main.ts --port 0 [--token <bot token>]` listens on 127.0.0.1 and
 * prints `FAKE_LISTENING <base url>`; the app's TELEGRAM_API_BASE_URL is that URL.
 */
const { args, serve } = fakeProcess('telegram');
serve(createFakeTelegramServer({ token: args.token ?? DEFAULT_BOT_TOKEN }).server);
