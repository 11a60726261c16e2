import type { SessionSettings } from '@rstream/protocol';
import type { ParticipantRow, SessionRow } from '../features/sessions/sessions-repo.js';
import { readSettings } from '../features/sessions/sessions-view.js';
import { RemoteTallies, type MergedState, type PartialTally } from './remote-tallies.js';
import { PendingWrites } from './room-pending.js';
import { PartialPublisher } from './room-publish.js';
import type { LiveParticipant, MediaPosition, RoomClient } from './room-types.js';
import type { SecondsRecorder } from './seconds-recorder.js';
import { Tally } from './tally.js';
import { WarningState } from './warning.js';

const NO_CLIENTS: ReadonlySet<RoomClient> = new Set();

/**
 * One session's live state on this instance: the tally, who is connected, and what is waiting
 * to be persisted. Everything here is synchronous and in memory: the real-time path stays tiny.
 */
export class Room {
  readonly id: string;
  row: SessionRow;
  settings: SessionSettings;
  readonly tally = new Tally();
  readonly participants = new Map<string, LiveParticipant>();
  readonly tokenIndex = new Map<string, string>();
  readonly speakers = new Set<RoomClient>();
  readonly listeners = new Set<RoomClient>();
  /** each participant's open sockets (a listener may have several tabs) */
  private readonly byParticipant = new Map<string, Set<RoomClient>>();

  seq = 0;
  /** the aggregate changed since the last tick */
  dirty = false;
  /** participants whose counted level changed since the last tick (null = no longer counted) */
  readonly changed = new Map<string, number | null>();
  rosterDirty = false;
  lastRosterAt = 0;
  /** partial tallies of other instances, merged with ours by participant identity */
  readonly remote: RemoteTallies;
  private readonly publisher: PartialPublisher;
  /** what waits for the persistence queue: signals, per-second rows, last levels */
  private readonly pending: PendingWrites;
  readonly seconds: SecondsRecorder;
  /** set by the hub each tick: whether this instance writes the merged rows or its partial */
  secondsRole: 'merged' | 'partial' = 'merged';
  /** whether the speakers were last told the other instances are unreachable */
  degradedShown = false;
  private readonly warning = new WarningState();
  emptySince: number | null = Date.now();
  /**
   * Where a media timeline of the session stands (video mode: set by features/videos through
   * `hub.onRoom`); stamps each signal and the understanding updates. null: no such timeline.
   */
  mediaClock: ((now: number) => MediaPosition | null) | null = null;
  /** the media second the speakers were last sent an update at (video mode, see room-tick.ts) */
  lastMediaSecond: number | null = null;

  constructor(
    row: SessionRow,
    participants: ParticipantRow[],
    now = Date.now(),
    instanceId: () => string = () => 'local',
  ) {
    this.id = row.id;
    this.row = row;
    this.settings = readSettings(row.settings);
    this.pending = new PendingWrites(row.id, instanceId);
    this.seconds = this.pending.seconds;
    this.publisher = new PartialPublisher(row.id, this.tally);
    this.remote = new RemoteTallies(
      this.tally,
      (id) => (this.participants.get(id)?.sockets ?? 0) > 0,
      (id, level) => this.changed.set(id, level),
    );
    for (const p of participants) this.addParticipant(p);
    // After a restart, do not invent data for the seconds the server was away.
    if (this.startedAtMs !== null) this.seconds.lastSecond = Math.floor((now - this.startedAtMs) / 1000) - 1;
  }

  get status(): SessionRow['status'] {
    return this.row.status;
  }
  get startedAtMs(): number | null {
    return this.row.started_at ? new Date(this.row.started_at).getTime() : null;
  }
  get isLive(): boolean {
    return this.row.status === 'live';
  }
  elapsedMs(now: number): number {
    const start = this.startedAtMs;
    return start === null ? 0 : Math.max(0, now - start);
  }

  /** Applies a changed session row; returns true when the status changed. */
  applySession(row: SessionRow, now = Date.now()): boolean {
    const statusChanged = row.status !== this.row.status;
    const wasLive = this.isLive;
    if (wasLive && row.status === 'ended') this.recordSeconds(now, true);
    const anonymousBefore = this.settings.anonymous;
    this.row = row;
    this.settings = readSettings(row.settings);
    if (this.settings.anonymous !== anonymousBefore) this.rosterDirty = true;
    if (statusChanged && row.status === 'live') {
      this.seconds.reset();
      // Everyone connected with a level counts from the start.
      for (const [id, p] of this.participants) if (p.level !== null && p.sockets > 0) this.count(id, p.level);
    }
    return statusChanged;
  }

  addParticipant(row: ParticipantRow): void {
    const existing = this.participants.get(row.id);
    if (existing) {
      existing.row = row;
      // Another instance served them meanwhile: the database has their newer level.
      if (existing.sockets === 0 && row.level !== null && this.remoteLevel(row.id) === undefined)
        existing.level = row.level;
    } else {
      this.participants.set(row.id, { row, level: row.level, sockets: 0, disconnectedAt: null });
      this.tokenIndex.set(row.token_hash, row.id);
    }
    this.rosterDirty = true;
  }

  /**
   * A participant erased themselves: forgotten here (roster, token, live count, queued signals
   * and level); returns their open sockets for the caller to close.
   */
  removeParticipant(participantId: string): RoomClient[] {
    const p = this.participants.get(participantId);
    const clients = [...this.clientsOf(participantId)];
    for (const c of clients) this.disconnect(c);
    if (p) {
      this.participants.delete(participantId);
      this.tokenIndex.delete(p.row.token_hash);
      this.rosterDirty = true;
    }
    if (this.tally.remove(participantId)) {
      this.remote.localChanged();
      this.dirty = true;
      this.changed.set(participantId, null);
      this.publisher.changed(participantId, null);
    }
    this.pending.forget(participantId);
    return clients;
  }

  participantByTokenHash(hash: string): ParticipantRow | undefined {
    const id = this.tokenIndex.get(hash);
    return id ? this.participants.get(id)?.row : undefined;
  }

  clientsOf(participantId: string): ReadonlySet<RoomClient> {
    return this.byParticipant.get(participantId) ?? NO_CLIENTS;
  }

  levelOf(participantId: string): number | null {
    return this.participants.get(participantId)?.level ?? null;
  }

  connect(client: RoomClient): void {
    (client.role === 'listener' ? this.listeners : this.speakers).add(client);
    this.emptySince = null;
    if (client.participantId) {
      let set = this.byParticipant.get(client.participantId);
      if (!set) this.byParticipant.set(client.participantId, (set = new Set()));
      set.add(client);
    }
    if (client.participantId) {
      const p = this.participants.get(client.participantId);
      if (p) {
        // Moved here from an instance that still counts them: carry their level over.
        if (p.sockets === 0) p.level = this.remoteLevel(client.participantId) ?? p.level;
        p.sockets++;
        this.remote.localChanged();
        p.disconnectedAt = null;
        if (p.level !== null && this.isLive && client.role === 'listener')
          this.count(client.participantId, p.level);
        this.rosterDirty = true;
      }
    }
  }

  disconnect(client: RoomClient, now = Date.now()): void {
    const set = client.role === 'listener' ? this.listeners : this.speakers;
    if (!set.delete(client)) return;
    if (client.participantId) {
      const own = this.byParticipant.get(client.participantId);
      own?.delete(client);
      if (own?.size === 0) this.byParticipant.delete(client.participantId);
    }
    if (client.participantId) {
      const p = this.participants.get(client.participantId);
      if (p && --p.sockets === 0) {
        p.disconnectedAt = now;
        this.rosterDirty = true;
        this.remote.localChanged();
      }
    }
    if (this.listeners.size === 0 && this.speakers.size === 0) this.emptySince = now;
  }

  /** A listener's signal. The caller checked that the session is live. */
  setLevel(participantId: string, level: number, now = Date.now()): boolean {
    const p = this.participants.get(participantId);
    if (!p) return false;
    p.level = level;
    this.pending.levels.set(participantId, level);
    if (this.count(participantId, level)) {
      const media = this.mediaClock?.(now) ?? null;
      this.pending.signals.push({
        session_id: this.id,
        participant_id: participantId,
        t_ms: this.elapsedMs(now),
        level,
        ...(media ? { video_ms: Math.round(media.positionMs), video_playing: media.playing } : {}),
      });
    }
    return true;
  }

  private count(participantId: string, level: number): boolean {
    if (!this.tally.set(participantId, level)) return false;
    this.remote.localChanged();
    this.dirty = true;
    this.changed.set(participantId, level);
    this.publisher.changed(participantId, level);
    return true;
  }

  // ---- several instances ------------------------------------------------------------

  /** This instance's partial for the others; null when there is nothing new to say. */
  partialForPublish(now: number, heartbeatMs: number): PartialTally | null {
    return this.publisher.take(now, heartbeatMs);
  }

  /** Merges another instance's partial. */
  applyRemote(instanceId: string, p: PartialTally, now: number, ttlMs: number): void {
    if (this.remote.apply(instanceId, p, now, ttlMs)) this.dirty = true;
  }

  /** Drops partials of instances that stopped talking (no ghost listeners). */
  expireRemotes(now: number): void {
    if (this.remote.expire(now)) this.dirty = true;
  }

  /** The session's aggregate: this instance's tally plus every live partial, each listener once. */
  merged(): MergedState {
    return this.remote.merged();
  }

  /** Every counted listener's level, wherever they are connected. */
  allLevels(): [string, number][] {
    return this.remote.allLevels();
  }

  remoteLevel(participantId: string): number | undefined {
    return this.remote.level(participantId);
  }

  /** Listeners away for longer than the grace period stop counting (their level is kept). */
  sweepPresence(now: number, graceMs: number): void {
    for (const [id, p] of this.participants) {
      if (
        p.sockets === 0 &&
        p.disconnectedAt !== null &&
        now - p.disconnectedAt >= graceMs &&
        this.tally.remove(id)
      ) {
        this.remote.localChanged();
        this.dirty = true;
        this.changed.set(id, null);
      }
    }
  }

  /**
   * Queues the per-second rows up to now (see SecondsRecorder); `role` says whether this instance
   * writes the merged row (lease holder, or alone) or its own partial. Called on every tick.
   */
  recordSeconds(now: number, final = false, role = this.secondsRole): void {
    if (this.startedAtMs === null) return;
    const sec = Math.floor(this.elapsedMs(now) / 1000);
    this.seconds.record(sec, { merged: this.merged(), local: this.tally.counts() }, role, final);
  }

  /** Evaluates the warning rule; returns the new state when it flipped. */
  evaluateWarning(now: number): boolean | null {
    return this.warning.evaluate(this.settings.warning, this.isLive ? this.merged().avg : null, now);
  }
  get warningActive(): boolean {
    return this.warning.active;
  }

  /** True while anything of this room waits to be handed to the persistence queue. */
  get hasPending(): boolean {
    return this.pending.any;
  }

  takePending(): ReturnType<PendingWrites['take']> {
    return this.pending.take();
  }
}
