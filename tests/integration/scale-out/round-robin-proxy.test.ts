import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../../scripts/lib/round-robin-proxy';

/**
 * The load balancer of the scale-out e2e run (scripts/lib/round-robin-proxy.ts): each request goes
 * to the next instance (so one browser session hits both), Host and Origin reach the instance
 * unchanged (the CSRF same-origin check compares them), X-Forwarded-For is added only when the
 * instances trust the proxy, bodies and statuses pass through, and a dead instance is a 502.
 */

interface Seen {
  instance: string;
  method: string;
  url: string;
  host: string | undefined;
  origin: string | undefined;
  forwardedFor: string | undefined;
  body: string;
}

const upstreams: { server: http.Server; url: string }[] = [];
let proxy: RoundRobinProxy | null = null;

async function instance(name: string): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const seen: Seen = {
        instance: name,
        method: req.method ?? '',
        url: req.url ?? '',
        host: req.headers.host,
        origin: req.headers.origin,
        forwardedFor: req.headers['x-forwarded-for'] as string | undefined,
        body,
      };
      res.writeHead(req.url === '/missing' ? 404 : 200, {
        'content-type': 'application/json',
        'set-cookie': `seen=${name}; Path=/`,
      });
      res.end(JSON.stringify(seen));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  upstreams.push(await instance('a'), await instance('b'));
});

afterEach(async () => {
  await proxy?.close();
  proxy = null;
});

afterAll(async () => {
  await Promise.all(
    upstreams.map((u) => new Promise<void>((resolve) => u.server.close(() => resolve()))),
  );
});

async function send(
  path: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
): Promise<{ status: number; seen: Seen | null; cookie: string | null; text: string }> {
  const res = await fetch(`${proxy!.url}${path}`, init);
  const text = await res.text();
  let seen: Seen | null = null;
  try {
    seen = JSON.parse(text) as Seen;
  } catch {
    // a 502 from the proxy itself
  }
  return { status: res.status, seen, cookie: res.headers.get('set-cookie'), text };
}

describe('the round-robin proxy', () => {
  it('sends each request to the next instance, keeping Host and Origin', async () => {
    proxy = await startRoundRobinProxy({ port: 0, upstreams: upstreams.map((u) => u.url) });
    const host = new URL(proxy.url).host;
    const answers = [];
    for (let i = 0; i < 6; i++) {
      answers.push(await send(`/page?i=${i}`, { headers: { Origin: proxy.url } }));
    }
    expect(answers.map((a) => a.seen!.instance)).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    for (const [i, a] of answers.entries()) {
      expect(a.seen).toMatchObject({ url: `/page?i=${i}`, host, origin: proxy.url });
      expect(a.seen!.forwardedFor).toBeUndefined();
      expect(a.cookie).toBe(`seen=${a.seen!.instance}; Path=/`);
    }
    expect(proxy.counts()).toEqual([3, 3]);
  });

  it('passes bodies and statuses through', async () => {
    proxy = await startRoundRobinProxy({ port: 0, upstreams: upstreams.map((u) => u.url) });
    const post = await send('/form', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'intent=save&name=%D1%87%D0%B0%D0%B9',
    });
    expect(post.seen).toMatchObject({
      method: 'POST',
      body: 'intent=save&name=%D1%87%D0%B0%D0%B9',
    });
    expect((await send('/missing')).status).toBe(404);
  });

  it('drops a client X-Forwarded-For unless told to forward, then appends the peer', async () => {
    proxy = await startRoundRobinProxy({ port: 0, upstreams: upstreams.map((u) => u.url) });
    const spoofed = await send('/', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    expect(spoofed.seen!.forwardedFor).toBeUndefined();
    await proxy.close();

    proxy = await startRoundRobinProxy({
      port: 0,
      upstreams: upstreams.map((u) => u.url),
      forwardedFor: true,
    });
    const direct = await send('/');
    expect(direct.seen!.forwardedFor).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    const chained = await send('/', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    expect(chained.seen!.forwardedFor).toMatch(/^203\.0\.113\.9, (::ffff:)?127\.0\.0\.1$/);
  });

  it('answers 502 for an instance that is down and keeps serving from the others', async () => {
    const dead = await instance('dead');
    await new Promise<void>((resolve) => dead.server.close(() => resolve()));
    proxy = await startRoundRobinProxy({ port: 0, upstreams: [upstreams[0]!.url, dead.url] });
    const first = await send('/');
    const second = await send('/');
    expect(first.seen!.instance).toBe('a');
    expect(second.status).toBe(502);
    expect(second.text).toContain('Bad gateway');
    expect((await send('/')).seen!.instance).toBe('a');
  });
});
