import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal HTTP load balancer for the scale-out e2e run (docs/ops/scale-out.md): every request —
 * not every connection — goes to the next upstream in turn, so a session created through one app
 * instance is used on the next request through another. Host and Origin pass unchanged (the CSRF
 * same-origin check compares them); X-Forwarded-For is appended only when `forwardedFor` is set,
 * which must match the instances' TRUST_PROXY_CIDRS (they ignore the header from an untrusted
 * peer, and a client could forge it). No sticky sessions, no health checks: an upstream that
 * refuses the connection answers 502.
 */

export interface RoundRobinProxy {
  url: string;
  /** How many requests each upstream received, in the order of `upstreams`. */
  counts: () => number[];
  close: () => Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 7.6.1) are the proxy's own; the rest pass through. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function forwardHeaders(
  req: http.IncomingMessage,
  forwardedFor: boolean,
): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    if (name === 'x-forwarded-for') continue;
    headers[name] = value;
  }
  if (forwardedFor && req.socket.remoteAddress) {
    const prior = req.headers['x-forwarded-for'];
    const chain = Array.isArray(prior) ? prior.join(', ') : prior;
    headers['x-forwarded-for'] = chain
      ? `${chain}, ${req.socket.remoteAddress}`
      : req.socket.remoteAddress;
  }
  return headers;
}

export async function startRoundRobinProxy({
  port,
  host = '0.0.0.0',
  upstreams,
  forwardedFor = false,
}: {
  port: number;
  host?: string;
  /** Base URLs of the instances, e.g. http://127.0.0.1:3122. */
  upstreams: readonly string[];
  forwardedFor?: boolean;
}): Promise<RoundRobinProxy> {
  if (upstreams.length === 0) throw new Error('round-robin proxy: no upstreams');
  const targets = upstreams.map((u) => new URL(u));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const counts = targets.map(() => 0);
  let next = 0;

  const server = http.createServer((req, res) => {
    const index = next;
    next = (next + 1) % targets.length;
    counts[index]! += 1;
    const target = targets[index]!;
    const upstream = http.request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: forwardHeaders(req, forwardedFor),
        agent,
      },
      (answer) => {
        const headers: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
        }
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    upstream.on('error', (err) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Bad gateway: ${target.host} (${err.message})\n`);
    });
    // a client that goes away mid-request takes its upstream request with it
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${actual}`,
    counts: () => [...counts],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
