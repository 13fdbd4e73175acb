import net from 'node:net';
import { trustedProxies as cidrBlockList } from '~/utils/client-ip.server';

/**
 * PY-6 step 1: YooKassa notifications are accepted only from its published addresses. The list is
 * configuration (`YOOKASSA_NOTIFY_CIDRS`); empty means the published ranges below. Development
 * adds loopback for the local fake; production refuses loopback entries at start-up
 * (utils/env.server.ts).
 */
export const YOOKASSA_PUBLISHED_CIDRS = [
  '185.71.76.0/27',
  '185.71.77.0/27',
  '77.75.153.0/25',
  '77.75.154.128/25',
  '77.75.156.11',
  '77.75.156.35',
  '2a02:5180::/32',
] as const;

const lists = new WeakMap<readonly string[], net.BlockList>();

/** The allowlist for a configured CIDR list (an empty list means YooKassa's published ranges). */
export function notificationAllowlist(configured: readonly string[]): net.BlockList {
  let list = lists.get(configured);
  if (!list) {
    list = cidrBlockList(configured.length > 0 ? configured : YOOKASSA_PUBLISHED_CIDRS);
    lists.set(configured, list);
  }
  return list;
}

/** True when `ip` (already resolved through trusted proxies) may deliver notifications. */
export function isAllowedNotificationSource(
  ip: string | null | undefined,
  configured: readonly string[],
): boolean {
  if (!ip || !net.isIP(ip)) return false;
  return notificationAllowlist(configured).check(ip, net.isIPv6(ip) ? 'ipv6' : 'ipv4');
}
