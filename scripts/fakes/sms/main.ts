import { fakeProcess } from '../process';
import { createFakeSmsServer, DEFAULT_API_KEY } from './server';

/**
 * The fake SMS gateway as a process (contract in scripts/fakes/spawn.ts):
 * `tsx scripts/fakes/sms/main.ts --port 0 [--api-key <key>]` listens on 127.0.0.1 and prints
 * `FAKE_LISTENING <base url>`.
 */
const { args, serve } = fakeProcess('sms');
serve(createFakeSmsServer({ apiKey: args['api-key'] ?? DEFAULT_API_KEY }).server);
