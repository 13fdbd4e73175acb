import crypto from 'node:crypto';
import net from 'node:net';

/**
 * The pure parts of the shared rate limits (ADR 0020): which limits exist and how long their
 * windows are, how a client key becomes the stored hash, and what a counted hit means. The
 * counting itself is one upsert in rate-limit.server.ts.
 */

/** Window lengths; the limits per window are settings (RATE_LIMIT_* in env.server.ts). */
export const RATE_LIMIT_WINDOWS = {
  /** Staff sign-in POSTs per client IP (RATE_LIMIT_STAFF_LOGIN_PER_IP). */
  staff_login_ip: 15 * 60,
  /** Sign-in code checks per client IP (RATE_LIMIT_CODE_VERIFY_PER_IP). */
  code_verify_ip: 60 * 60,
  /** Checkout submissions per member (RATE_LIMIT_CHECKOUT_PER_MEMBER). */
  checkout_member: 60,
  /** Checkout submissions per client IP (RATE_LIMIT_CHECKOUT_PER_IP). */
  checkout_ip: 60,
} as const satisfies Record<string, number>;

export type RateLimitScope = keyof typeof RATE_LIMIT_WINDOWS;

export type RateLimitResult = { ok: true; remaining: number } | { ok: false; retryAfterS: number };

/** The key of requests whose client address is unknown: they share one counter. */
export const UNKNOWN_CLIENT_KEY = 'ip:unknown';

/**
 * The counter key of a client address. IPv6 clients are counted per /64, the smallest block a
 * subscriber usually gets: otherwise one host could rotate through 2^64 addresses and never be
 * limited. IPv4-mapped IPv6 addresses count as their IPv4 address.
 */
export function clientAddressKey(ip: string | null | undefined): string {
  if (!ip) return UNKNOWN_CLIENT_KEY;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped ? mapped[1]! : ip;
  const family = net.isIP(address);
  if (family === 4) return `ip:${address}`;
  if (family !== 6) return UNKNOWN_CLIENT_KEY;
  return `ip6:${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, lower-case hex without leading zeros. */
function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.toLowerCase().split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  let left = parse(head);
  let right = tail === undefined ? [] : parse(tail);
  // an embedded IPv4 tail (::ffff:1.2.3.4 is handled above; 64:ff9b::1.2.3.4 here) is two groups
  const toGroups = (groups: string[]) =>
    groups.flatMap((g) => {
      if (!g.includes('.')) return [g];
      const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  left = toGroups(left);
  right = toGroups(right);
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => parseInt(g, 16).toString(16));
}

/**
 * What is stored instead of the key: HMAC-SHA-256 under a server secret, hex. A bare SHA-256 of
 * an IPv4 address would be reversed by hashing all 2^32 of them; with the secret the stored
 * value says nothing about the client.
 */
export function rateLimitKeyHash(scope: RateLimitScope, key: string, secret: string): string {
  return crypto.createHmac('sha256', secret).update(`ratelimit\0${scope}\0${key}`).digest('hex');
}

/** The answer to the `hits`-th request of a window that ends in `secondsLeft` seconds. */
export function rateLimitDecision(
  hits: number,
  limit: number,
  secondsLeft: number,
): RateLimitResult {
  if (hits <= limit) return { ok: true, remaining: limit - hits };
  return { ok: false, retryAfterS: Math.max(1, Math.ceil(secondsLeft)) };
}

/** Whole minutes to wait, for messages that speak in minutes (never 0). */
export function retryAfterMinutes(retryAfterS: number): number {
  return Math.max(1, Math.ceil(retryAfterS / 60));
}
