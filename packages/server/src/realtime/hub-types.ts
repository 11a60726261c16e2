import type { Logger } from 'pino';
import type { SessionsService } from '../features/sessions/sessions-service.js';
import type { UnderstandingService } from '../features/understanding/understanding-service.js';
import type { Bus } from '../platform/bus.js';
import type { Locks } from '../platform/locks.js';

export interface HubStats {
  ticks: number;
  lastTickMs: number;
  tickOverruns: number;
  framesSent: number;
  framesSkipped: number;
  messagesIn: number;
  signals: number;
  /** sockets terminated because they stopped answering pings */
  deadSockets: number;
  /** signals refused because the server was shutting down */
  refusedSignals: number;
  /** rooms unloaded after being idle */
  roomsUnloaded: number;
}

export interface HubOptions {
  tickMs: number;
  presenceGraceMs: number;
  log: Logger;
  sessions: SessionsService;
  understanding: UnderstandingService;
  onTick?: (durationMs: number, lagMs: number) => void;
  /** The in-memory backlog's bound (rows) and where what cannot be written is spilled. */
  persistence: { maxBacklogRows: number; spillDir: string };
  /**
   * Several instances (Redis, or worker processes of one machine): partial tallies, session
   * events and broadcasts go through the bus; per-second aggregates are written by the holder
   * of a per-session lease. Absent: this process is the only one.
   */
  cluster?: { bus: Bus; locks: Locks; instanceId: string };
}
