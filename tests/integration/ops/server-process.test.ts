import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScript } from '../../support/script-process';
import { createTestDatabase, type TestDatabase } from '../../setup/test-database';

/**
 * The real server process (scripts/server.ts): fail-fast start-up (CF-3, V4), request ids, health
 * endpoints, and surviving a killed database backend.
 */
const ROOT = path.resolve(__dirname, '../../..');
const SECRET = 's'.repeat(40);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function startServer(env: Record<string, string | undefined>) {
  return startScript('scripts/server.ts', { NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env });
}

describe('start-up fails fast with one line', () => {
  it('names a malformed DATABASE_URL', async () => {
    const { exit, output } = startServer({ DATABASE_URL: 'not a url' });
    expect(await exit).toBe(1);
    const lines = output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/DATABASE_URL/);
    expect(output()).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
  });

  it('requires DATABASE_URL in production', async () => {
    const { exit, output } = startServer({
      NODE_ENV: 'production',
      SESSION_SECRET: SECRET,
      CODE_PEPPER: SECRET,
      PUBLIC_BASE_URL: 'https://ctea.example',
    });
    expect(await exit).toBe(1);
    expect(output().trim()).toMatch(/^Invalid environment: DATABASE_URL/);
  });

  it('exits 1 before listening when SELECT 1 fails', async () => {
    const port = await freePort();
    const appPort = await freePort();
    const { exit, output } = startServer({
      DATABASE_URL: `postgres://u:p@127.0.0.1:${port}/none`,
      PORT: String(appPort),
    });
    expect(await exit).toBe(1);
    expect(output().trim().split('\n')).toHaveLength(1);
    expect(output()).toMatch(/Database unreachable/);
  });
});

describe('running server', () => {
  let testDb: TestDatabase;
  let server: ReturnType<typeof startServer>;
  let base: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'build/index.js'))) {
      throw new Error(
        'No server build: run `npm run build` (npm test builds before running Vitest)',
      );
    }
    testDb = await createTestDatabase();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = startServer({
      DATABASE_URL: testDb.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (server.child.exitCode !== null) throw new Error(`server exited: ${server.output()}`);
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        // not yet listening
      }
      if (Date.now() > deadline) throw new Error(`server did not start: ${server.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exit;
    await testDb?.destroy();
  });

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('gives every response a request id and keeps a valid incoming one', async () => {
    const fresh = await fetch(`${base}/healthz`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await fetch(`${base}/healthz`, { headers: { 'X-Request-Id': 'abc12345-lb' } });
    expect(kept.headers.get('x-request-id')).toBe('abc12345-lb');
    const replaced = await fetch(`${base}/healthz`, {
      headers: { 'X-Request-Id': 'bad id <script>' },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a declared body over 8 MiB with 413 before any route reads it', async () => {
    const big = await fetch(`${base}/api/auth/code/send`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: 'x'.repeat(8 * 1_048_576 + 1),
    }).catch((err: unknown) => err);
    // the server may close the connection while the body is still being sent
    if (big instanceof Response) {
      expect(big.status).toBe(413);
      expect(await big.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    } else {
      expect(String(big)).toMatch(/fetch failed|socket|EPIPE|ECONNRESET/i);
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('serves public files, and page paths never reach the disk', async () => {
    const icon = await fetch(`${base}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toMatch(/svg/);
    expect((await fetch(`${base}/no-such-file.txt`)).status).toBe(404);
  });

  it('sends security headers, and a nonce CSP whose nonce every inline script of a page carries', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('x-frame-options')).toBe('DENY');
    expect(health.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(health.headers.get('strict-transport-security')).toBeNull(); // production only

    const pages = await Promise.all([fetch(`${base}/login`), fetch(`${base}/login`)]);
    const nonces = await Promise.all(
      pages.map(async (page) => {
        expect(page.status).toBe(200);
        const csp = page.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("object-src 'none'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
        const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
        expect(nonce).toBeTruthy();
        const html = await page.text();
        const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
        expect(scripts.length).toBeGreaterThan(0);
        for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
        return nonce;
      }),
    );
    // a fresh nonce per response
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('keeps serving after its database backends are killed', async () => {
    await fetch(`${base}/readyz`);
    const { rowCount } = await testDb.pool.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and application_name = 'ctea' and pid <> pg_backend_pid()`,
    );
    expect(rowCount).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(server.child.exitCode).toBeNull();
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
  });
});
