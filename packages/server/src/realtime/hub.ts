import type { ServerMessage } from '@rstream/protocol';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import { AppError, sessionNotFound } from '../errors.js';
import type { ParticipantRow, SessionRow } from '../features/sessions/sessions-repo.js';
import type { LiveSessionsPort, SessionsService } from '../features/sessions/sessions-service.js';
import type { UnderstandingService } from '../features/understanding/understanding-service.js';
import type { Bus } from '../platform/bus.js';
import type { Locks } from '../platform/locks.js';
import { buildTextFrame, writeFrame } from './frame.js';
import {
  frameOf,
  listenersSeeRoster,
  participantsMessage,
  serialize,
  statusMessage,
  updateMessage,
  warningMessage,
  welcomeMessage,
} from './messages.js';
import { Room, type PartialTally, type RoomClient } from './room.js';

export interface HubStats {
  ticks: number;
  lastTickMs: number;
  tickOverruns: number;
  framesSent: number;
  framesSkipped: number;
  messagesIn: number;
  signals: number;
  persistFailures: number;
  lastPersistMs: number;
}

export interface HubOptions {
  tickMs: number;
  presenceGraceMs: number;
  /** unload rooms with nobody connected for this long */
  idleUnloadMs?: number;
  log: Logger;
  sessions: SessionsService;
  understanding: UnderstandingService;
  onTick?: (durationMs: number, lagMs: number) => void;
  /**
   * Several instances (Redis, or worker processes of one machine): partial tallies, session
   * events and broadcasts go through the bus; per-second aggregates are written by the holder
   * of a per-session lease. Absent: this process is the only one.
   */
  cluster?: { bus: Bus; locks: Locks; instanceId: string };
}

/** Channels between instances. */
const CH_TALLY = 'rstream:tally';
const CH_EVENTS = 'rstream:events';
/** Each instance re-sends its partials this often even without changes… */
const HEARTBEAT_MS = 1000;
/** …and partials older than this are dropped (a dead instance's listeners stop counting). */
export const PARTIAL_TTL_MS = 3500;
const SECONDS_LEASE_MS = 5000;

type ClusterEvent =
  | { i: string; k: 'session'; id: string }
  | { i: string; k: 'deleted'; id: string }
  | { i: string; k: 'participant'; id: string; p: string }
  | { i: string; k: 'broadcast'; id: string; a: 'speakers' | 'listeners' | 'all'; m: string; p?: string };

const ROSTER_INTERVAL_MS = 1000;

/** All live rooms of this instance, the tick that fans their state out, and their persistence. */
export class Hub implements LiveSessionsPort {
  readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room | null>>();
  private timer: NodeJS.Timeout | null = null;
  private persisting: Promise<void> | null = null;
  private nextTickAt = 0;
  readonly stats: HubStats = {
    ticks: 0,
    lastTickMs: 0,
    tickOverruns: 0,
    framesSent: 0,
    framesSkipped: 0,
    messagesIn: 0,
    signals: 0,
    persistFailures: 0,
    lastPersistMs: 0,
  };

  private unsubscribe: (() => Promise<void>)[] = [];
  private readonly secondsOwner = new Map<string, boolean>();

  constructor(private readonly opts: HubOptions) {}

  get instanceId(): string {
    return this.opts.cluster?.instanceId ?? 'local';
  }
  /** True when other instances may serve the same sessions. */
  get distributed(): boolean {
    return this.opts.cluster !== undefined;
  }

  async start(): Promise<void> {
    if (this.timer) return;
    const cluster = this.opts.cluster;
    if (cluster) {
      this.unsubscribe.push(await cluster.bus.subscribe(CH_TALLY, (m) => this.onRemoteTally(m)));
      this.unsubscribe.push(await cluster.bus.subscribe(CH_EVENTS, (m) => void this.onClusterEvent(m)));
    }
    this.nextTickAt = Date.now() + this.opts.tickMs;
    this.timer = setInterval(() => this.tick(), this.opts.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const u of this.unsubscribe.splice(0)) await u().catch(() => {});
    const now = Date.now();
    for (const room of this.rooms.values()) if (room.isLive) room.recordSeconds(now);
    await this.flush();
    for (const room of this.rooms.values()) {
      for (const c of [...room.speakers, ...room.listeners]) c.ws.close(1001, 'server shutting down');
    }
  }

  /** The session's room, loaded from the database on first use; null when there is no such session. */
  async getRoom(sessionId: string): Promise<Room | null> {
    const existing = this.rooms.get(sessionId);
    if (existing) return existing;
    let pending = this.loading.get(sessionId);
    if (!pending) {
      pending = (async () => {
        const row = await this.opts.sessions.findSession(sessionId);
        if (!row) return null;
        const participants = await this.opts.sessions.listParticipantRows(sessionId);
        const room = this.rooms.get(sessionId) ?? new Room(row, participants);
        this.rooms.set(sessionId, room);
        return room;
      })().finally(() => this.loading.delete(sessionId));
      this.loading.set(sessionId, pending);
    }
    return pending;
  }

  // ---- LiveSessionsPort -------------------------------------------------------

  sessionChanged(row: SessionRow): void {
    this.publishEvent({ i: this.instanceId, k: 'session', id: row.id });
    const room = this.rooms.get(row.id);
    if (!room) return;
    if (room.applySession(row)) this.broadcastStatus(room);
  }

  sessionDeleted(sessionId: string): void {
    this.publishEvent({ i: this.instanceId, k: 'deleted', id: sessionId });
    this.dropRoom(sessionId);
  }

  private dropRoom(sessionId: string): void {
    const room = this.rooms.get(sessionId);
    if (!room) return;
    this.rooms.delete(sessionId);
    room.takePending();
    for (const c of [...room.speakers, ...room.listeners]) c.ws.close(4404, 'session deleted');
  }

  participantChanged(row: ParticipantRow): void {
    this.publishEvent({ i: this.instanceId, k: 'participant', id: row.session_id, p: row.id });
    this.rooms.get(row.session_id)?.addParticipant(row);
  }

  // ---- other instances -------------------------------------------------------------

  private publishEvent(e: ClusterEvent): void {
    const c = this.opts.cluster;
    if (!c) return;
    c.bus
      .publish(CH_EVENTS, JSON.stringify(e))
      .catch((err) => this.opts.log.warn({ err }, 'bus publish failed'));
  }

  private onRemoteTally(raw: string): void {
    let msg: { i: string; r: PartialTally[] };
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    if (msg.i === this.instanceId || !Array.isArray(msg.r)) return;
    const now = Date.now();
    for (const p of msg.r) this.rooms.get(p.s)?.applyRemote(msg.i, p, now, PARTIAL_TTL_MS);
  }

  private async onClusterEvent(raw: string): Promise<void> {
    let e: ClusterEvent;
    try {
      e = JSON.parse(raw);
    } catch {
      return;
    }
    if (e.i === this.instanceId) return;
    const room = this.rooms.get(e.id);
    if (!room) return;
    try {
      switch (e.k) {
        case 'session': {
          const row = await this.opts.sessions.findSession(e.id);
          if (row && room.applySession(row)) this.broadcastStatus(room);
          return;
        }
        case 'deleted':
          return this.dropRoom(e.id);
        case 'participant': {
          const rows = await this.opts.sessions.listParticipantRows(e.id);
          const row = rows.find((r) => r.id === e.p);
          if (row) room.addParticipant(row);
          return;
        }
        case 'broadcast':
          return this.deliver(room, buildTextFrame(e.m), e.a, e.p);
      }
    } catch (err) {
      this.opts.log.warn({ err, event: e.k }, 'cluster event failed');
    }
  }

  /** Publishes this instance's changed partial tallies, one bus message per tick. */
  private publishPartials(now: number): void {
    const c = this.opts.cluster;
    if (!c) return;
    const partials: PartialTally[] = [];
    for (const room of this.rooms.values()) {
      const p = room.partialForPublish(now, HEARTBEAT_MS);
      if (p) partials.push(p);
    }
    if (partials.length === 0) return;
    c.bus
      .publish(CH_TALLY, JSON.stringify({ i: c.instanceId, r: partials }))
      .catch((err) => this.opts.log.warn({ err }, 'tally publish failed'));
  }

  /** Only the holder of the session's lease writes its per-second aggregates. */
  private ownsSeconds(room: Room, now: number): boolean {
    const c = this.opts.cluster;
    if (!c) return true;
    const key = `seconds:${room.id}`;
    if (now - room.secondsLeaseCheckedAt >= 1000) {
      room.secondsLeaseCheckedAt = now;
      c.locks
        .acquire(key, c.instanceId, SECONDS_LEASE_MS)
        .then((ok) => this.secondsOwner.set(room.id, ok))
        .catch(() => this.secondsOwner.set(room.id, false));
    }
    return this.secondsOwner.get(room.id) ?? false;
  }

  liveParticipants(sessionId: string) {
    return this.rooms.get(sessionId)?.liveState();
  }

  // ---- signals ------------------------------------------------------------------

  /** A listener's level (from WebSocket or the HTTP fallback). */
  setLevel(room: Room, participantId: string, level: number): void {
    if (!room.isLive) {
      throw new AppError(
        409,
        'SESSION_NOT_LIVE',
        room.status === 'ended' ? 'The session has ended.' : 'The session has not started yet.',
      );
    }
    this.stats.signals++;
    room.setLevel(participantId, level);
  }

  async setLevelById(sessionId: string, participantId: string, level: number): Promise<void> {
    const room = await this.getRoom(sessionId);
    if (!room) throw sessionNotFound();
    this.setLevel(room, participantId, level);
  }

  // ---- connections --------------------------------------------------------------

  join(room: Room, client: RoomClient): void {
    room.connect(client);
    const send = (m: ServerMessage) => client.ws.send(serialize(m));
    const now = Date.now();
    send(welcomeMessage(room, client, now, this.opts.tickMs));
    send(statusMessage(room));
    const speaker = client.role !== 'listener';
    if (speaker || listenersSeeRoster(room)) send(participantsMessage(room, !speaker));
    if (speaker || room.settings.graphVisibility === 'all') send(updateMessage(room, now, speaker, false));
    if (speaker && room.warningActive) send(warningMessage(room, true, now));
  }

  leave(room: Room, client: RoomClient): void {
    room.disconnect(client);
  }

  /**
   * Sends one message to a room right away (not on the tick): serialised once, written to every
   * socket of the audience. For events such as new questions.
   */
  broadcast(
    sessionId: string,
    message: ServerMessage,
    audience: 'speakers' | 'listeners' | 'all' = 'all',
  ): void {
    const json = serialize(message);
    this.publishEvent({ i: this.instanceId, k: 'broadcast', id: sessionId, a: audience, m: json });
    const room = this.rooms.get(sessionId);
    if (room) this.deliver(room, buildTextFrame(json), audience);
  }

  private deliver(
    room: Room,
    frame: Buffer,
    audience: 'speakers' | 'listeners' | 'all',
    participantId?: string,
  ): void {
    if (participantId) {
      for (const c of room.clientsOf(participantId)) writeFrame(c.ws, frame);
      return;
    }
    if (audience !== 'listeners') this.fanOut(room.speakers, frame);
    if (audience !== 'speakers') this.fanOut(room.listeners, frame);
  }

  /** Sends to the sockets of one participant only. */
  sendToParticipant(sessionId: string, participantId: string, message: ServerMessage): void {
    const json = serialize(message);
    this.publishEvent({
      i: this.instanceId,
      k: 'broadcast',
      id: sessionId,
      a: 'all',
      m: json,
      p: participantId,
    });
    const room = this.rooms.get(sessionId);
    if (room) this.deliver(room, buildTextFrame(json), 'all', participantId);
  }

  private broadcastStatus(room: Room): void {
    const frame = frameOf(statusMessage(room));
    for (const c of room.speakers) writeFrame(c.ws, frame);
    for (const c of room.listeners) writeFrame(c.ws, frame);
  }

  // ---- the tick -------------------------------------------------------------------

  tick(now = Date.now()): void {
    const started = performance.now();
    const lag = Math.max(0, now - this.nextTickAt);
    this.nextTickAt = now + this.opts.tickMs;
    for (const room of this.rooms.values()) this.tickRoom(room, now);
    this.publishPartials(now);
    this.stats.ticks++;
    const duration = performance.now() - started;
    this.stats.lastTickMs = duration;
    if (duration > this.opts.tickMs) this.stats.tickOverruns++;
    this.opts.onTick?.(duration, lag);
    if (!this.persisting) this.persisting = this.flush().finally(() => (this.persisting = null));
  }

  private tickRoom(room: Room, now: number): void {
    room.sweepPresence(now, this.opts.presenceGraceMs);
    if (room.remote.size > 0) room.expireRemotes(now);
    if (room.isLive) {
      if (this.ownsSeconds(room, now)) room.recordSeconds(now);
      else room.skipSeconds(now);
      const flipped = room.evaluateWarning(now);
      if (flipped !== null) {
        const frame = frameOf(warningMessage(room, flipped, now));
        for (const c of room.speakers) writeFrame(c.ws, frame);
      }
    }
    if (room.dirty) {
      room.seq++;
      this.fanOut(room.speakers, frameOf(updateMessage(room, now, true, true)));
      if (room.settings.graphVisibility === 'all' && room.listeners.size > 0) {
        this.fanOut(room.listeners, frameOf(updateMessage(room, now, false, false)));
      }
      room.dirty = false;
      room.changed.clear();
    }
    if (room.rosterDirty && now - room.lastRosterAt >= ROSTER_INTERVAL_MS) {
      room.rosterDirty = false;
      room.lastRosterAt = now;
      if (room.speakers.size > 0) {
        this.fanOut(room.speakers, frameOf(participantsMessage(room, false)));
      }
      if (room.listeners.size > 0 && listenersSeeRoster(room)) {
        this.fanOut(room.listeners, frameOf(participantsMessage(room, true)));
      }
    }
    const idle = this.opts.idleUnloadMs ?? 10 * 60_000;
    if (
      room.emptySince !== null &&
      now - room.emptySince > idle &&
      !room.dirty &&
      room.pendingSignals.length === 0
    ) {
      this.rooms.delete(room.id);
    }
  }

  private fanOut(clients: Set<RoomClient>, frame: Buffer): void {
    for (const c of clients) {
      if (writeFrame(c.ws, frame)) this.stats.framesSent++;
      else if (c.ws.readyState === WebSocket.OPEN) this.stats.framesSkipped++;
    }
  }

  /** Writes what every room has pending, in one transaction. Never overlaps itself. */
  async flush(): Promise<void> {
    if (this.persisting) await this.persisting.catch(() => {});
    const signals = [];
    const seconds = [];
    const levels: [string, number][] = [];
    const taken: { room: Room; batch: NonNullable<ReturnType<Room['takePending']>> }[] = [];
    for (const room of this.rooms.values()) {
      const batch = room.takePending();
      if (!batch) continue;
      taken.push({ room, batch });
      signals.push(...batch.signals);
      seconds.push(...batch.seconds);
      levels.push(...batch.levels);
    }
    if (taken.length === 0) return;
    const started = performance.now();
    try {
      await this.opts.understanding.persist(signals, seconds, levels);
      this.stats.lastPersistMs = performance.now() - started;
    } catch (err) {
      this.stats.persistFailures++;
      this.opts.log.error({ err, signals: signals.length }, 'persisting understanding failed; will retry');
      // Put the batch back in front so nothing is lost.
      for (const { room, batch } of taken) {
        if (!this.rooms.has(room.id)) continue;
        room.pendingSignals = batch.signals.concat(room.pendingSignals);
        room.pendingSeconds = batch.seconds.concat(room.pendingSeconds);
        for (const [id, l] of batch.levels) if (!room.pendingLevels.has(id)) room.pendingLevels.set(id, l);
      }
    }
  }
}
