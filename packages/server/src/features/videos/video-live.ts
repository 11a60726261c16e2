import {
  type ServerMessage,
  type VideoControlMessage,
  type VideoStateMessage,
  type VideoViewerEntry,
  type VideoViewerMessage,
  type VideoViewersMessage,
  type ViewerState,
} from '@rstream/protocol';
import type { Logger } from 'pino';
import { AppError, forbidden } from '../../errors.js';
import type { Bus } from '../../platform/bus.js';
import type { Hub } from '../../realtime/hub.js';
import { writeFrame } from '../../realtime/frame.js';
import { frameOf } from '../../realtime/messages.js';
import type { Room, RoomClient } from '../../realtime/room.js';
import {
  applyControl,
  endsAt,
  initialState,
  pausedAtEnd,
  positionAt,
  reachedEnd,
  type VideoState,
} from './video-timeline.js';
import type { VideosRepo } from './videos-repo.js';

const CH_STATE = 'rstream:video:state';
const CH_VIEWERS = 'rstream:video:viewers';
/** A cached state older than this is read again from the database when someone joins. */
const STATE_FRESH_MS = 2000;
/** The database is polled this often per loaded video session (catches changes a lost bus message missed). */
const POLL_MS = 2000;
const VIEWERS_EVERY_MS = 1000;
/** A viewer report (or another instance's list) older than this is dropped. */
const VIEWER_STALE_MS = 6000;
const READY_STATES: ReadonlySet<ViewerState> = new Set(['ready', 'playing', 'paused']);

export const notVideo = () => new AppError(409, 'NOT_VIDEO', 'This is not a video session.');

interface Cached {
  state: VideoState;
  durationMs: number | null;
  checkedAt: number;
}
interface ViewerReport {
  state: ViewerState;
  positionMs: number;
  at: number;
}

export interface VideoLiveDeps {
  repo: VideosRepo;
  hub: Hub;
  bus: Bus;
  instanceId: string;
  log: Logger;
  /** the video's duration (ms), or null while unknown */
  durationOf(videoId: string): Promise<number | null>;
}

/**
 * The playback state of every video session, owned by the DATABASE: each change is a
 * compare-and-set on `video_states.seq` (whichever instance gets it, seq only grows), logged in
 * `video_events`, then sent to this instance's sockets and, through the bus, to the others'
 * (which keep the newest seq they have seen). A late joiner or a restarted instance reads the row.
 * The viewers' own player states are merged across instances and sent to the speakers.
 */
export function createVideoLive(deps: VideoLiveDeps) {
  const { repo, hub, bus, log } = deps;
  const cache = new Map<string, Cached>();
  const loading = new Map<string, Promise<Cached>>();
  const endTimers = new Map<string, NodeJS.Timeout>();
  /** session → participant → this instance's listeners' reports */
  const localViewers = new Map<string, Map<string, ViewerReport & { name: string | null }>>();
  /** session → instance → its viewers */
  const remoteViewers = new Map<string, Map<string, { viewers: VideoViewerEntry[]; at: number }>>();
  const viewersChanged = new Set<string>();
  const lastViewersSent = new Map<string, string>();
  const unsubscribe: (() => Promise<void>)[] = [];
  let timer: NodeJS.Timeout | null = null;
  let lastPoll = 0;

  const videoIdOf = (room: Room) => room.settings.video?.videoId ?? null;
  const isVideo = (room: Room) => room.row.mode === 'video';

  /** A state naming another video than the session's (the host changed it) starts over. */
  const forVideo = (s: VideoState, videoId: string | null, now: number): VideoState =>
    s.videoId === videoId ? s : { ...initialState(videoId, now), seq: s.seq };

  async function read(room: Room, now = Date.now()): Promise<Cached> {
    const videoId = videoIdOf(room);
    const stored = await repo.getState(room.id);
    const durationMs = videoId ? await deps.durationOf(videoId) : null;
    const state = forVideo(stored ?? initialState(videoId, now), videoId, now);
    const prev = cache.get(room.id);
    // never go back: a bus message may have brought a newer seq while we read
    const best = prev && prev.state.seq > state.seq ? prev : { state, durationMs, checkedAt: now };
    best.checkedAt = now;
    best.durationMs = durationMs;
    cache.set(room.id, best);
    return best;
  }

  async function current(room: Room, maxAgeMs = STATE_FRESH_MS): Promise<Cached> {
    const c = cache.get(room.id);
    if (c && Date.now() - c.checkedAt <= maxAgeMs && c.state.videoId === videoIdOf(room)) return c;
    let p = loading.get(room.id);
    if (!p) {
      p = read(room).finally(() => loading.delete(room.id));
      loading.set(room.id, p);
    }
    return p;
  }

  function stateMessage(c: Cached, now = Date.now()): VideoStateMessage {
    const s = c.state;
    const ended = c.durationMs !== null && c.durationMs > 0 && !s.playing && s.positionMs >= c.durationMs;
    return {
      type: 'video:state',
      playing: s.playing && !reachedEnd(s, now, c.durationMs),
      positionMs: s.playing ? s.positionMs : positionAt(s, now, c.durationMs),
      rate: s.rate,
      serverTime: s.serverTime,
      seq: s.seq,
      videoId: s.videoId,
      durationMs: c.durationMs,
      ...(ended ? { ended: true } : {}),
    };
  }

  function deliver(sessionId: string, message: ServerMessage) {
    const room = hub.rooms.get(sessionId);
    if (room) hub.deliver(room, frameOf(message), 'all');
  }

  /** This instance learnt a state (its own change, the bus, a poll): keep it if newer, tell sockets. */
  function adopt(sessionId: string, state: VideoState, durationMs: number | null, now = Date.now()) {
    const prev = cache.get(sessionId);
    if (prev && prev.state.seq >= state.seq) return false;
    const c = { state, durationMs, checkedAt: now };
    cache.set(sessionId, c);
    scheduleEnd(sessionId, c);
    deliver(sessionId, stateMessage(c, now));
    return true;
  }

  /** Pausing at the end is automatic: whichever instance's timer fires first wins the CAS. */
  function scheduleEnd(sessionId: string, c: Cached) {
    const old = endTimers.get(sessionId);
    if (old) clearTimeout(old);
    endTimers.delete(sessionId);
    const at = endsAt(c.state, c.durationMs);
    if (at === null) return;
    const seq = c.state.seq;
    const t = setTimeout(
      () => {
        endTimers.delete(sessionId);
        void autoPause(sessionId, seq).catch((err) => log.warn({ err, sessionId }, 'video end pause failed'));
      },
      Math.max(0, at - Date.now()) + 20,
    );
    t.unref();
    endTimers.set(sessionId, t);
  }

  async function autoPause(sessionId: string, seq: number) {
    const c = cache.get(sessionId);
    if (!c || c.state.seq !== seq || c.durationMs === null) return;
    const now = Date.now();
    if (!reachedEnd(c.state, now, c.durationMs)) return scheduleEnd(sessionId, c);
    const next = pausedAtEnd(c.state, now, c.durationMs);
    if (await repo.casState(sessionId, next, seq)) {
      adopt(sessionId, next, c.durationMs, now);
      publish(sessionId, next, c.durationMs);
    } else {
      const room = hub.rooms.get(sessionId);
      if (room) await poll(room);
    }
  }

  function publish(sessionId: string, state: VideoState, durationMs: number | null) {
    bus
      .publish(CH_STATE, JSON.stringify({ id: sessionId, s: state, d: durationMs, i: deps.instanceId }))
      .catch((err) => log.warn({ err }, 'video state not published (the others poll the database)'));
  }

  /** Reads the stored seq (cheap) and adopts the stored state when it is newer than ours. */
  async function poll(room: Room) {
    const seq = await repo.stateSeq(room.id);
    const c = cache.get(room.id);
    if (c && seq <= c.state.seq) {
      c.checkedAt = Date.now();
      return;
    }
    const stored = await repo.getState(room.id);
    if (!stored) return;
    const videoId = videoIdOf(room);
    const durationMs = videoId ? await deps.durationOf(videoId) : null;
    adopt(room.id, stored, durationMs);
  }

  /** May this client drive the playback? The host always; a presenter when facilitator is someone_else. */
  function mayControl(room: Room, client: RoomClient): boolean {
    if (client.role === 'host') return true;
    return client.role === 'presenter' && room.settings.video?.facilitator === 'someone_else';
  }

  /** One control at a time per session on this instance, in the order they arrived. */
  const queues = new Map<string, Promise<void>>();
  function control(room: Room, client: RoomClient, msg: VideoControlMessage): Promise<void> {
    const prev = queues.get(room.id) ?? Promise.resolve();
    const run = prev.catch(() => {}).then(() => applyOne(room, client, msg));
    const tail = run.catch(() => {});
    queues.set(room.id, tail);
    void tail.then(() => {
      if (queues.get(room.id) === tail) queues.delete(room.id);
    });
    return run;
  }

  async function applyOne(room: Room, client: RoomClient, msg: VideoControlMessage): Promise<void> {
    if (!isVideo(room)) throw notVideo();
    if (!mayControl(room, client)) throw forbidden('Only the facilitator (or the host) controls the video.');
    if (room.status === 'ended') throw new AppError(409, 'SESSION_ENDED', 'The session has ended.');
    const videoId = videoIdOf(room);
    if (!videoId) throw new AppError(409, 'NO_VIDEO', 'No video has been chosen for this session yet.');
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = Date.now();
      const stored = await repo.getState(room.id);
      const durationMs = await deps.durationOf(videoId);
      const base = forVideo(stored ?? initialState(videoId, now), videoId, now);
      const next = applyControl(base, msg, now, durationMs);
      if (await repo.casState(room.id, next, stored?.seq ?? 0)) {
        adopt(room.id, next, durationMs, now);
        publish(room.id, next, durationMs);
        return;
      }
    }
    throw new AppError(409, 'VIDEO_BUSY', 'The video changed meanwhile; try again.');
  }

  function viewer(room: Room, client: RoomClient, msg: VideoViewerMessage) {
    if (!isVideo(room)) throw notVideo();
    const id = client.participantId!;
    const p = room.participants.get(id);
    const anonymous = room.settings.anonymous || p?.row.anonymous;
    let m = localViewers.get(room.id);
    if (!m) localViewers.set(room.id, (m = new Map()));
    const prev = m.get(id);
    m.set(id, {
      state: msg.state,
      positionMs: msg.positionMs,
      at: Date.now(),
      name: anonymous ? null : (p?.row.display_name ?? null),
    });
    if (!prev || prev.state !== msg.state || Math.abs(prev.positionMs - msg.positionMs) > 250)
      viewersChanged.add(room.id);
  }

  function entriesOf(room: Room, now: number): VideoViewerEntry[] {
    const c = cache.get(room.id);
    const out = new Map<string, VideoViewerEntry>();
    for (const [inst, r] of remoteViewers.get(room.id) ?? []) {
      if (now - r.at > VIEWER_STALE_MS) {
        remoteViewers.get(room.id)!.delete(inst);
        continue;
      }
      for (const v of r.viewers) out.set(v.participantId, v);
    }
    for (const [id, v] of localViewers.get(room.id) ?? []) {
      if (room.clientsOf(id).size === 0 || now - v.at > VIEWER_STALE_MS) {
        localViewers.get(room.id)!.delete(id);
        viewersChanged.add(room.id);
        continue;
      }
      const group = c ? positionAt(c.state, v.at, c.durationMs) : 0;
      out.set(id, {
        participantId: id,
        name: v.name,
        state: v.state,
        positionMs: Math.round(v.positionMs),
        driftMs: Math.round(v.positionMs - group),
        at: v.at,
      });
    }
    return [...out.values()].sort((a, b) => a.participantId.localeCompare(b.participantId));
  }

  /** Every second: publish this instance's viewers, send the merged list to local speakers on change. */
  function everySecond() {
    const now = Date.now();
    for (const room of hub.rooms.values()) {
      if (!isVideo(room)) continue;
      const local = localViewers.get(room.id);
      if (local && (viewersChanged.has(room.id) || local.size > 0)) {
        const mine = entriesOf(room, now).filter((v) => local.has(v.participantId));
        bus.publish(CH_VIEWERS, JSON.stringify({ id: room.id, i: deps.instanceId, v: mine })).catch(() => {});
      }
      viewersChanged.delete(room.id);
      if (room.speakers.size === 0) continue;
      const viewers = entriesOf(room, now);
      const total = new Set([
        ...viewers.map((v) => v.participantId),
        ...[...room.listeners].map((l) => l.participantId!),
      ]).size;
      const message: VideoViewersMessage = {
        type: 'video:viewers',
        viewers,
        ready: viewers.filter((v) => READY_STATES.has(v.state)).length,
        total,
      };
      const key = JSON.stringify([
        message.viewers.map((v) => [v.participantId, v.state, Math.round(v.driftMs / 250)]),
        total,
      ]);
      if (lastViewersSent.get(room.id) === key) continue;
      lastViewersSent.set(room.id, key);
      const frame = frameOf(message);
      for (const s of room.speakers) writeFrame(s.ws, frame);
    }
    if (now - lastPoll >= POLL_MS) {
      lastPoll = now;
      for (const room of hub.rooms.values()) {
        if (!isVideo(room) || (room.speakers.size === 0 && room.listeners.size === 0)) continue;
        void poll(room).catch(() => {});
      }
    }
  }

  return {
    isVideo,
    control,
    viewer,
    /** The room's media clock: where the video stands now (stamps signals and updates). */
    clockOf(room: Room) {
      return (now: number) => {
        if (!isVideo(room)) return null;
        const c = cache.get(room.id);
        if (!c) return null;
        const positionMs = positionAt(c.state, now, c.durationMs);
        return { positionMs, playing: c.state.playing && !reachedEnd(c.state, now, c.durationMs) };
      };
    },
    /** Right after `welcome`: the state, read again when the cached one is not fresh. */
    async sendState(room: Room, send: (m: ServerMessage) => void) {
      if (!isVideo(room)) return;
      const c = await current(room);
      scheduleEnd(room.id, c);
      send(stateMessage(c));
    },
    /** Loads the state of a room so that signals are stamped from the start. */
    warm(room: Room) {
      if (isVideo(room)) void current(room).catch((err) => log.warn({ err }, 'video state not loaded'));
    },
    /** The session's video changed (settings): everyone gets the state of the new one. */
    async sessionChanged(sessionId: string) {
      const room = hub.rooms.get(sessionId);
      if (!room || !isVideo(room)) return;
      const c = cache.get(sessionId);
      if (c && c.state.videoId === videoIdOf(room)) return;
      cache.delete(sessionId);
      const fresh = await current(room, 0);
      deliver(sessionId, stateMessage(fresh));
    },
    async start() {
      unsubscribe.push(
        await bus.subscribe(CH_STATE, (raw) => {
          try {
            const m = JSON.parse(raw) as { id: string; s: VideoState; d: number | null; i: string };
            if (m.i === deps.instanceId) return;
            adopt(m.id, m.s, m.d);
          } catch (err) {
            log.warn({ err }, 'bad video state message');
          }
        }),
      );
      unsubscribe.push(
        await bus.subscribe(CH_VIEWERS, (raw) => {
          try {
            const m = JSON.parse(raw) as { id: string; i: string; v: VideoViewerEntry[] };
            if (m.i === deps.instanceId || !hub.rooms.has(m.id)) return;
            let r = remoteViewers.get(m.id);
            if (!r) remoteViewers.set(m.id, (r = new Map()));
            r.set(m.i, { viewers: m.v, at: Date.now() });
          } catch (err) {
            log.warn({ err }, 'bad video viewers message');
          }
        }),
      );
      timer = setInterval(() => {
        try {
          everySecond();
        } catch (err) {
          log.warn({ err }, 'video viewers tick failed');
        }
      }, VIEWERS_EVERY_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      for (const t of endTimers.values()) clearTimeout(t);
      endTimers.clear();
      for (const u of unsubscribe.splice(0)) await u().catch(() => {});
    },
    forget(sessionId: string) {
      cache.delete(sessionId);
      localViewers.delete(sessionId);
      remoteViewers.delete(sessionId);
      const t = endTimers.get(sessionId);
      if (t) clearTimeout(t);
      endTimers.delete(sessionId);
    },
  };
}
export type VideoLive = ReturnType<typeof createVideoLive>;
