import { CLOSE_CODES, listenersSeeWholeGraph, type ServerMessage } from '@rstream/protocol';
import { WebSocket } from 'ws';
import { AppError, sessionNotFound } from '../errors.js';
import type { ParticipantRow, SessionRow } from '../features/sessions/sessions-repo.js';
import type { LiveSessionsPort } from '../features/sessions/sessions-service.js';
import { ClusterSync, type Audience } from './cluster-sync.js';
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
import { PersistQueue, type DrainResult } from './persist-queue.js';
import type { HubOptions, HubStats } from './hub-types.js';
import { Room } from './room.js';
import { type RoomClient } from './room-types.js';
import { tickRoom } from './room-tick.js';

/** Rooms nobody is connected to are unloaded after this long (their rows are queued first). */
const ROOM_IDLE_UNLOAD_MS = 10 * 60_000;

/** All live rooms of this instance, the tick that fans their state out, and their persistence. */
export class Hub implements LiveSessionsPort {
  readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room | null>>();
  private timer: NodeJS.Timeout | null = null;
  private nextTickAt = 0;
  private closing = false;
  readonly stats: HubStats = {
    ticks: 0,
    lastTickMs: 0,
    tickOverruns: 0,
    framesSent: 0,
    framesSkipped: 0,
    messagesIn: 0,
    signals: 0,
    deadSockets: 0,
    refusedSignals: 0,
    roomsUnloaded: 0,
  };
  readonly queue: PersistQueue;
  readonly cluster: ClusterSync;
  /** Features extend rooms (a room is loaded) and joins (after the welcome frames). */
  readonly onRoom: ((room: Room) => void)[] = [];
  readonly onJoin: ((room: Room, client: RoomClient, send: (m: ServerMessage) => void) => void)[] = [];

  constructor(private readonly opts: HubOptions) {
    this.queue = new PersistQueue({
      write: (batch) => opts.understanding.persist(batch),
      log: opts.log,
      ...opts.persistence,
    });
    this.cluster = new ClusterSync(opts.cluster, this, opts.sessions, opts.log);
  }

  get presenceGraceMs(): number {
    return this.opts.presenceGraceMs;
  }
  get instanceId(): string {
    return this.opts.cluster?.instanceId ?? 'local';
  }
  /** True when other instances may serve the same sessions. */
  get distributed(): boolean {
    return this.opts.cluster !== undefined;
  }

  async start(): Promise<void> {
    if (this.timer) return;
    await this.cluster.start();
    // What a previous run could not write (spill files) is stored before anything new.
    await this.queue.replaySpills().catch((err) => this.opts.log.warn({ err }, 'spill replay failed'));
    this.nextTickAt = Date.now() + this.opts.tickMs;
    this.timer = setInterval(() => this.tick(), this.opts.tickMs);
    this.timer.unref();
  }

  /**
   * Shutdown: refuses new signals, closes every socket (clients reconnect to another instance),
   * queues the last seconds, then retries the writes for `drainMs` and spills what is left.
   */
  /** What the last stop() could not write (spilled), for the process's exit status. */
  lastDrain: DrainResult = { written: 0, spilled: 0, file: null };

  async stop(drainMs = 5000): Promise<DrainResult> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.closing = true;
    await this.cluster.stop();
    const now = Date.now();
    for (const room of this.rooms.values()) {
      // The current second too: the instance that takes over rewrites it if it sees more.
      if (room.isLive) room.recordSeconds(now, true);
      for (const c of [...room.speakers, ...room.listeners]) c.ws.close(1001, 'server shutting down');
      this.queueRoom(room);
    }
    this.lastDrain = await this.queue.drain(drainMs);
    return this.lastDrain;
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
        let room = this.rooms.get(sessionId);
        if (!room) {
          room = new Room(row, participants, Date.now(), () => this.instanceId);
          for (const hook of this.onRoom) hook(room);
        }
        this.rooms.set(sessionId, room);
        return room;
      })().finally(() => this.loading.delete(sessionId));
      this.loading.set(sessionId, pending);
    }
    return pending;
  }

  // ---- LiveSessionsPort -------------------------------------------------------

  sessionChanged(row: SessionRow): void {
    this.cluster.publishEvent({ k: 'session', id: row.id });
    const room = this.rooms.get(row.id);
    if (!room) return;
    if (room.applySession(row)) this.broadcastStatus(room);
  }

  sessionDeleted(sessionId: string): void {
    this.cluster.publishEvent({ k: 'deleted', id: sessionId });
    this.dropRoom(sessionId);
  }

  /** The session is gone from the database: its rows cannot be stored any more. */
  dropRoom(sessionId: string): void {
    const room = this.rooms.get(sessionId);
    if (!room) return;
    this.rooms.delete(sessionId);
    this.cluster.forget(sessionId);
    room.takePending();
    for (const c of [...room.speakers, ...room.listeners]) c.ws.close(4404, 'session deleted');
  }

  participantChanged(row: ParticipantRow): void {
    this.cluster.publishEvent({ k: 'participant', id: row.session_id, p: row.id });
    this.rooms.get(row.session_id)?.addParticipant(row);
  }

  /** A participant erased themselves: every instance forgets them and closes their sockets. */
  participantErased(sessionId: string, participantId: string): void {
    this.cluster.publishEvent({ k: 'erased', id: sessionId, p: participantId });
    this.forgetParticipant(sessionId, participantId);
  }

  forgetParticipant(sessionId: string, participantId: string): void {
    const room = this.rooms.get(sessionId);
    if (!room) return;
    for (const c of room.removeParticipant(participantId))
      c.ws.close(CLOSE_CODES.ERASED, 'participant erased');
  }

  liveParticipants(sessionId: string) {
    const room = this.rooms.get(sessionId);
    if (!room) return undefined;
    const m = new Map<string, { connected: boolean; level: number | null }>();
    for (const [id, p] of room.participants) m.set(id, { connected: p.sockets > 0, level: p.level });
    return m;
  }

  // ---- signals ------------------------------------------------------------------

  /** A listener's level (from WebSocket or the HTTP fallback). */
  setLevel(room: Room, participantId: string, level: number): void {
    if (this.closing) {
      // Never dropped silently: the client is told and resends to the instance it reconnects to.
      this.stats.refusedSignals++;
      throw new AppError(503, 'SHUTTING_DOWN', 'The server is restarting; reconnect and send again.');
    }
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
    if (speaker || listenersSeeWholeGraph(room.settings))
      send(updateMessage(room, now, speaker, false, this.cluster.degraded(now)));
    if (speaker && room.warningActive) send(warningMessage(room, true, now));
    for (const hook of this.onJoin) hook(room, client, send);
  }

  /** `at`: when the client was last heard of (a socket found dead), default now. */
  leave(room: Room, client: RoomClient, at = Date.now()): void {
    room.disconnect(client, at);
  }

  /**
   * Sends one message to a room right away (not on the tick): serialised once, written to every
   * socket of the audience. For events such as new questions.
   */
  broadcast(sessionId: string, message: ServerMessage, audience: Audience = 'all'): void {
    const json = serialize(message);
    this.cluster.publishEvent({ k: 'broadcast', id: sessionId, a: audience, m: json });
    const room = this.rooms.get(sessionId);
    if (room) this.deliver(room, buildTextFrame(json), audience);
  }

  /** Sends to the sockets of one participant only. */
  sendToParticipant(sessionId: string, participantId: string, message: ServerMessage): void {
    const json = serialize(message);
    this.cluster.publishEvent({ k: 'broadcast', id: sessionId, a: 'all', m: json, p: participantId });
    const room = this.rooms.get(sessionId);
    if (room) this.deliver(room, buildTextFrame(json), 'all', participantId);
  }

  deliver(room: Room, frame: Buffer, audience: Audience, participantId?: string): void {
    if (participantId) {
      for (const c of room.clientsOf(participantId)) writeFrame(c.ws, frame);
      return;
    }
    if (audience !== 'listeners') this.fanOut(room.speakers, frame);
    if (audience !== 'speakers') this.fanOut(room.listeners, frame);
  }

  broadcastStatus(room: Room): void {
    const frame = frameOf(statusMessage(room));
    for (const c of room.speakers) writeFrame(c.ws, frame);
    for (const c of room.listeners) writeFrame(c.ws, frame);
  }

  // ---- the tick -------------------------------------------------------------------

  tick(now = Date.now()): void {
    const started = performance.now();
    const lag = Math.max(0, now - this.nextTickAt);
    this.nextTickAt = now + this.opts.tickMs;
    const degraded = this.cluster.degraded(now);
    for (const room of this.rooms.values()) this.tickRoom(room, now, degraded);
    this.cluster.publishPartials(now);
    this.stats.ticks++;
    const duration = performance.now() - started;
    this.stats.lastTickMs = duration;
    if (duration > this.opts.tickMs) this.stats.tickOverruns++;
    this.opts.onTick?.(duration, lag);
    if (!this.queue.busy) void this.flush();
  }

  private tickRoom(room: Room, now: number, degraded: boolean): void {
    tickRoom(room, now, {
      degraded,
      presenceGraceMs: this.opts.presenceGraceMs,
      secondsRole: (r, at) => this.cluster.secondsRole(r, at),
      fanOut: (clients, frame) => this.fanOut(clients, frame),
    });
    if (room.emptySince !== null && now - room.emptySince > ROOM_IDLE_UNLOAD_MS && !room.dirty) {
      // Everything it still holds goes to the queue first: an unload never drops a row.
      this.queueRoom(room);
      this.rooms.delete(room.id);
      this.cluster.forget(room.id);
      this.stats.roomsUnloaded++;
    }
  }

  private fanOut(clients: Set<RoomClient>, frame: Buffer): void {
    for (const c of clients) {
      if (writeFrame(c.ws, frame)) this.stats.framesSent++;
      else if (c.ws.readyState === WebSocket.OPEN) this.stats.framesSkipped++;
    }
  }

  private queueRoom(room: Room): void {
    const batch = room.takePending();
    if (batch) this.queue.add(batch);
  }

  /** Hands every room's pending rows to the queue and writes them (never overlapping itself). */
  async flush(): Promise<void> {
    for (const room of this.rooms.values()) this.queueRoom(room);
    await this.queue.flush();
  }
}
