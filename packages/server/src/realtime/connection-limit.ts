/**
 * WebSocket connections per client IP (the gateway's admit/release hooks). Addresses in the
 * exempt list (default: loopback, so benchmarks and a local reverse proxy without TRUST_PROXY
 * are not capped) are never limited. Per instance: behind a load balancer each instance counts
 * its own connections.
 */
export function createConnectionLimit(maxPerIp: number, exempt: string[]) {
  const exemptSet = new Set(exempt.map((a) => a.trim()).filter(Boolean));
  const open = new Map<string, number>();
  return {
    admit(ip: string): boolean {
      if (exemptSet.has(ip)) return true;
      const n = open.get(ip) ?? 0;
      if (n >= maxPerIp) return false;
      open.set(ip, n + 1);
      return true;
    },
    release(ip: string): void {
      if (exemptSet.has(ip)) return;
      const n = (open.get(ip) ?? 0) - 1;
      if (n <= 0) open.delete(ip);
      else open.set(ip, n);
    },
    openFrom: (ip: string) => open.get(ip) ?? 0,
  };
}
export type ConnectionLimit = ReturnType<typeof createConnectionLimit>;
