import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/**
 * What scripts/e2e-server.ts wrote about itself: the database the app under test uses and the env
 * that points it at the local fakes. Specs use it for preconditions (a coupon, a points balance),
 * database checks and the fake SMS outbox — never to bypass the UI under test.
 */
interface Runtime {
  databaseUrl: string;
  baseUrl: string;
  fakes: Record<string, string>;
}

export function runtime(): Runtime {
  const port = Number(process.env.E2E_PORT ?? 3100);
  const file = path.resolve(`.data/e2e/runtime-${port}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Runtime;
}

export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: runtime().databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** The newest SMS the fake gateway received for a phone, polled until it arrives. */
export async function latestSmsCode(phone: string, after = 0, timeoutMs = 10_000): Promise<string> {
  const base = runtime().fakes.SMS_API_BASE_URL;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${base}/outbox?phone=${encodeURIComponent(phone)}`);
    const body = (await res.json()) as { messages: { text: string; created_at: string }[] };
    const fresh = body.messages.find((m) => Date.parse(m.created_at) >= after);
    const code = fresh && /\b(\d{6})\b/.exec(fresh.text)?.[1];
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no SMS code for ${phone}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
