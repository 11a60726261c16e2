import type { Logger } from 'pino';
import type { SessionsService } from '../features/sessions/sessions-service.js';
import { fromOtherInstances, type Bus } from '../platform/bus.js';
import type { Locks } from '../platform/locks.js';
import { buildTextFrame } from './frame.js';
import type { PartialTally } from './remote-tallies.js';
import type { Room } from './room.js';

/** Channels between instances. */
const CH_TALLY = 'rstream:tally';
const CH_EVENTS = 'rstream:events';
/** Each instance re-sends its partials this often even without changes… */
const HEARTBEAT_MS = 1000;
/** …and partials older than this are dropped (a dead instance's listeners stop counting). */
export const PARTIAL_TTL_MS = 3500;
const SECONDS_LEASE_MS = 5000;
/** After a failed publish or lease check, the cluster view counts as degraded this long
 *  (longer than two partial heartbeats, so the others' partials are back when it ends). */
const DEGRADED_HOLD_MS = 3000;

export type Audience = 'speakers' | 'listeners' | 'all';
type ClusterEventBody =
  | { k: 'session'; id: string }
  | { k: 'deleted'; id: string }
  | { k: 'participant'; id: string; p: string }
  | { k: 'erased'; id: string; p: string }
  | { k: 'broadcast'; id: string; a: Audience; m: string; p?: string };
type ClusterEvent = ClusterEventBody & { i: string };
/** One instance's per-second partial tallies. */
type TallyMessage = { i: string; r: PartialTally[] };

/** Who writes a room's per-second rows: the lease holder the merged row, everyone else a partial. */
export type SecondsRole = 'merged' | 'partial';

export interface ClusterHost {
  readonly rooms: Map<string, Room>;
  deliver(room: Room, frame: Buffer, audience: Audience, participantId?: string): void;
  dropRoom(sessionId: string): void;
  forgetParticipant(sessionId: string, participantId: string): void;
  broadcastStatus(room: Room): void;
}

export interface ClusterStats {
  busFailures: number;
  leaseFailures: number;
}

/**
 * This instance's link to the others over the bus: partial tallies, session events and
 * broadcasts, and the per-session lease that decides who writes the merged per-second row.
 * When Redis is unreachable nothing is decided, and every instance writes its own partial
 * (summed in the database): no second is lost, and the speaker's frames say `degraded`.
 */
export class ClusterSync {
  private unsubscribe: (() => Promise<void>)[] = [];
  private readonly owner = new Map<string, 'yes' | 'no' | 'unknown'>();
  private readonly leaseCheckedAt = new Map<string, number>();
  private failingSince: number | null = null;
  private lastFailureAt = 0;
  readonly stats: ClusterStats = { busFailures: 0, leaseFailures: 0 };

  constructor(
    private readonly c: { bus: Bus; locks: Locks; instanceId: string } | undefined,
    private readonly host: ClusterHost,
    private readonly sessions: SessionsService,
    private readonly log: Logger,
  ) {}

  get enabled(): boolean {
    return this.c !== undefined;
  }

  /** True while the other instances may be unreachable (the graph shows this instance only). */
  degraded(now = Date.now()): boolean {
    return this.c !== undefined && now - this.lastFailureAt < DEGRADED_HOLD_MS;
  }

  async start(): Promise<void> {
    if (!this.c) return;
    const { bus, instanceId } = this.c;
    const bad = (err: unknown) => this.log.warn({ err }, 'bad cluster message');
    this.unsubscribe.push(
      await bus.subscribe(
        CH_TALLY,
        fromOtherInstances<TallyMessage>(instanceId, bad, (m) => this.onRemoteTally(m)),
      ),
    );
    this.unsubscribe.push(
      await bus.subscribe(
        CH_EVENTS,
        fromOtherInstances<ClusterEvent>(instanceId, bad, (e) => void this.onEvent(e)),
      ),
    );
  }

  async stop(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) await u().catch(() => {});
  }

  forget(sessionId: string): void {
    this.owner.delete(sessionId);
    this.leaseCheckedAt.delete(sessionId);
  }

  /** A bus or lease failure: counted every time, logged once per incident. */
  private failed(kind: 'bus' | 'lease', err: unknown): void {
    if (kind === 'bus') this.stats.busFailures++;
    else this.stats.leaseFailures++;
    this.lastFailureAt = Date.now();
    if (this.failingSince !== null) return;
    this.failingSince = Date.now();
    this.log.error(
      { err, kind, event: 'cluster_degraded' },
      'other instances unreachable (Redis): counting this instance only and writing partial seconds (logged once until it recovers)',
    );
  }

  private ok(): void {
    if (this.failingSince === null || this.degraded()) return;
    this.log.warn(
      { failedForMs: Date.now() - this.failingSince, event: 'cluster_recovered' },
      'other instances reachable again',
    );
    this.failingSince = null;
  }

  publishEvent(e: ClusterEventBody): void {
    const c = this.c;
    if (!c) return;
    c.bus
      .publish(CH_EVENTS, JSON.stringify({ ...e, i: c.instanceId }))
      .catch((err) => this.failed('bus', err));
  }

  /** Publishes this instance's changed partial tallies, one bus message per tick. */
  publishPartials(now: number): void {
    const c = this.c;
    if (!c) return;
    const partials: PartialTally[] = [];
    for (const room of this.host.rooms.values()) {
      const p = room.partialForPublish(now, HEARTBEAT_MS);
      if (p) partials.push(p);
    }
    if (partials.length === 0) return;
    c.bus
      .publish(CH_TALLY, JSON.stringify({ i: c.instanceId, r: partials }))
      .then(() => this.ok())
      .catch((err) => this.failed('bus', err));
  }

  /** The lease holder writes merged rows; anybody else (or nobody knows) writes its partial. */
  secondsRole(room: Room, now: number): SecondsRole {
    const c = this.c;
    if (!c) return 'merged';
    if (now - (this.leaseCheckedAt.get(room.id) ?? 0) >= 1000) {
      this.leaseCheckedAt.set(room.id, now);
      c.locks
        .acquire(`seconds:${room.id}`, c.instanceId, SECONDS_LEASE_MS)
        .then((ok) => this.owner.set(room.id, ok ? 'yes' : 'no'))
        .catch((err) => {
          this.owner.set(room.id, 'unknown');
          this.failed('lease', err);
        });
    }
    // Right after an outage the others' partials may not have arrived yet: a merged row written
    // then would under-count, so partials go on until the view has been complete for a while.
    return this.owner.get(room.id) === 'yes' && !this.degraded(now) ? 'merged' : 'partial';
  }

  private onRemoteTally(msg: TallyMessage): void {
    if (!Array.isArray(msg.r)) return;
    const now = Date.now();
    for (const p of msg.r) this.host.rooms.get(p.s)?.applyRemote(msg.i, p, now, PARTIAL_TTL_MS);
  }

  private async onEvent(e: ClusterEvent): Promise<void> {
    const room = this.host.rooms.get(e.id);
    if (!room) return;
    try {
      switch (e.k) {
        case 'session': {
          const row = await this.sessions.findSession(e.id);
          if (row && room.applySession(row)) this.host.broadcastStatus(room);
          return;
        }
        case 'deleted':
          return this.host.dropRoom(e.id);
        case 'participant': {
          const rows = await this.sessions.listParticipantRows(e.id);
          const row = rows.find((r) => r.id === e.p);
          if (row) room.addParticipant(row);
          return;
        }
        case 'erased':
          return this.host.forgetParticipant(e.id, e.p);
        case 'broadcast':
          return this.host.deliver(room, buildTextFrame(e.m), e.a, e.p);
      }
    } catch (err) {
      this.log.warn({ err, event: e.k }, 'cluster event failed');
    }
  }
}
