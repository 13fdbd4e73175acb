import net from 'node:net';

/**
 * The client's address: the socket peer, or — only when that peer is a trusted proxy
 * (TRUST_PROXY_CIDRS) — the right-most untrusted address of X-Forwarded-For. A header a client can
 * set is never believed on its own.
 */
export function trustedProxies(cidrs: readonly string[]): net.BlockList {
  const list = new net.BlockList();
  for (const entry of cidrs) {
    const [address, bits] = entry.split('/');
    const type = net.isIPv6(address ?? '') ? 'ipv6' : 'ipv4';
    if (!address || !net.isIP(address)) continue;
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

function normalise(address: string | undefined): string | null {
  if (!address) return null;
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = v4mapped ? v4mapped[1]! : address;
  return net.isIP(ip) ? ip : null;
}

function isTrusted(list: net.BlockList, ip: string): boolean {
  return list.check(ip, net.isIPv6(ip) ? 'ipv6' : 'ipv4');
}

export function clientIp(
  peer: string | undefined,
  forwardedFor: string | undefined,
  proxies: net.BlockList,
): string | null {
  let ip = normalise(peer);
  if (!ip || !forwardedFor || !isTrusted(proxies, ip)) return ip;
  const hops = forwardedFor.split(',').map((h) => normalise(h.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (!hop) return ip; // a malformed hop: stop at the last address we can vouch for
    ip = hop;
    if (!isTrusted(proxies, hop)) return hop;
  }
  return ip;
}
