import type { WebSocket } from 'ws';

/**
 * Server-side liveness of WebSockets. A phone that loses its network sends no FIN: the socket
 * stays open and its listener would count forever. Every `intervalMs` each socket silent for that
 * long gets a ping; one silent for `deadlineMs` (no message, no pong) is terminated, and
 * `silentSince` tells the caller when its traffic stopped — the presence grace counts from
 * there, so a half-dead listener stops counting within the same grace as one that closed.
 */
export interface HeartbeatOptions {
  intervalMs: number;
  deadlineMs: number;
  /** a socket was terminated for silence (for the log and the metric) */
  onDead?: (silentForMs: number) => void;
}

export function heartbeatFor(presenceGraceMs: number): { intervalMs: number; deadlineMs: number } {
  // Detect well inside the grace; never ping more than 4×/s or less than every 5 s.
  const intervalMs = Math.min(5000, Math.max(250, Math.floor(presenceGraceMs / 4)));
  return { intervalMs, deadlineMs: intervalMs * 2 };
}

export function createHeartbeat(opts: HeartbeatOptions) {
  const lastSeen = new Map<WebSocket, number>();
  const dead = new WeakMap<WebSocket, number>();
  const timer = setInterval(() => {
    const now = Date.now();
    for (const [ws, seen] of lastSeen) {
      const silent = now - seen;
      if (silent >= opts.deadlineMs) {
        lastSeen.delete(ws);
        dead.set(ws, seen);
        opts.onDead?.(silent);
        ws.terminate();
      } else if (silent >= opts.intervalMs - 10) {
        try {
          ws.ping();
        } catch {
          // closing already: the close handler cleans up
        }
      }
    }
  }, opts.intervalMs);
  timer.unref();
  return {
    /** Starts watching a socket; any message or pong from it counts as alive. */
    track(ws: WebSocket): void {
      lastSeen.set(ws, Date.now());
      const alive = () => {
        if (lastSeen.has(ws)) lastSeen.set(ws, Date.now());
      };
      ws.on('pong', alive);
      ws.on('message', alive);
      ws.once('close', () => lastSeen.delete(ws));
    },
    /** When the socket's traffic stopped, if it was terminated for silence. */
    silentSince: (ws: WebSocket): number | undefined => dead.get(ws),
    tracked: () => lastSeen.size,
    stop: () => clearInterval(timer),
  };
}
export type Heartbeat = ReturnType<typeof createHeartbeat>;
