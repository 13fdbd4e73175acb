import crypto from 'node:crypto';
import net from 'node:net';

/**
 * Who may read /metrics (ADR 0017): with METRICS_TOKEN set, a request carrying
 * `Authorization: Bearer <token>`; without it, only a direct loopback client (no proxy headers),
 * so an unconfigured deployment never exposes its metrics through a reverse proxy.
 */

function digest(value: string): Buffer {
  return crypto.createHash('sha256').update(value).digest();
}

export function isLoopback(ip: string | null): boolean {
  if (!ip) return false;
  if (net.isIPv4(ip)) return ip.startsWith('127.');
  return ip === '::1';
}

export type MetricsAccess = 'ok' | 'unauthorized' | 'forbidden';

export function metricsAccess(
  request: Request,
  { token, clientIp }: { token: string | undefined; clientIp: string | null },
): MetricsAccess {
  if (token) {
    const header = request.headers.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!m) return 'unauthorized';
    // constant time over equal-length digests
    return crypto.timingSafeEqual(digest(m[1]!), digest(token)) ? 'ok' : 'unauthorized';
  }
  const proxied = request.headers.has('x-forwarded-for') || request.headers.has('forwarded');
  return !proxied && isLoopback(clientIp) ? 'ok' : 'forbidden';
}
