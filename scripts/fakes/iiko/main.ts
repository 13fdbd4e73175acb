import { fakeProcess } from '../process';
import { createFakeIiko, DEFAULT_API_LOGIN } from './server';

/**
 * The fake iikoCloud as a process (contract in scripts/fakes/spawn.ts):
 * `tsx scripts/fakes/iiko/main.ts --port 0 [--api-login <login>]` listens on 127.0.0.1 and prints
 * `FAKE_LISTENING <base url>`. Its organisation, terminal groups and nomenclature are the demo
 * seed's (scripts/fakes/iiko/catalog.ts).
 */
const { args, serve } = fakeProcess('iiko');
serve(createFakeIiko({ apiLogin: args['api-login'] ?? DEFAULT_API_LOGIN }).server);
