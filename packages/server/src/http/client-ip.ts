import type { IncomingMessage } from 'node:http';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { Config } from '../config.js';

/**
 * The client's address behind trusted proxies — the same rule as Fastify's `trustProxy` list:
 * walk X-Forwarded-For from the right (the hop nearest us) and take the first address that is
 * not a trusted proxy. A header a client made up sits on the left and is never reached, unlike
 * "leftmost wins" (which let anyone pick their own address and skip every per-IP limit).
 */
export function createClientIp(trusted: string[]): (req: IncomingMessage) => string {
  if (trusted.length === 0) return (req) => req.socket.remoteAddress ?? '';
  const list = new BlockList();
  for (const entry of trusted) {
    const [addr, bits] = entry.split('/') as [string, string | undefined];
    const type = isIPv6(addr) ? 'ipv6' : 'ipv4';
    if (bits !== undefined) list.addSubnet(addr, Number(bits), type);
    else list.addAddress(addr, type);
  }
  const isTrusted = (ip: string) => {
    const plain = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
    if (isIPv4(plain)) return list.check(plain, 'ipv4') || list.check(`::ffff:${plain}`, 'ipv6');
    return isIPv6(plain) && list.check(plain, 'ipv6');
  };
  return (req) => {
    const remote = req.socket.remoteAddress ?? '';
    if (!isTrusted(remote)) return remote;
    const hops = String(req.headers['x-forwarded-for'] ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) if (!isTrusted(hops[i]!)) return hops[i]!;
    return hops[0] ?? remote;
  };
}

/** The proxies to believe (Fastify's trustProxy): none without TRUST_PROXY, else TRUSTED_PROXIES only. */
export function trustedProxies(config: Pick<Config, 'TRUST_PROXY' | 'TRUSTED_PROXIES'>): string[] {
  if (!config.TRUST_PROXY) return [];
  return config.TRUSTED_PROXIES.split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

export function trustProxySetting(config: Pick<Config, 'TRUST_PROXY' | 'TRUSTED_PROXIES'>): string[] | false {
  const list = trustedProxies(config);
  return list.length > 0 ? list : false;
}
