import type {
  VideoViewerEntry,
  VideoViewerMessage,
  VideoViewersMessage,
  ViewerState,
} from '@rstream/protocol';
import type { Logger } from 'pino';
import { fromOtherInstances, type Bus } from '../../platform/bus.js';
import type { Hub } from '../../realtime/hub.js';
import { writeFrame } from '../../realtime/frame.js';
import { frameOf } from '../../realtime/messages.js';
import type { Room } from '../../realtime/room.js';
import type { RoomClient } from '../../realtime/room-types.js';
import { isVideo, type Cached } from './video-state.js';
import { positionAt } from './video-timeline.js';

export const CH_VIEWERS = 'rstream:video:viewers';
/** A viewer report (or another instance's list) older than this is dropped. */
const VIEWER_STALE_MS = 6000;
const READY_STATES: ReadonlySet<ViewerState> = new Set(['ready', 'playing', 'paused']);

interface ViewerReport {
  state: ViewerState;
  positionMs: number;
  at: number;
  name: string | null;
}

/**
 * The viewers' own player states (`video:viewer`: ready, playing, buffering, needs_tap…), merged
 * across instances (each publishes its own listeners' every second) and sent to the speakers as
 * `video:viewers` when the picture changed. A viewer's state never moves the group.
 */
export function createVideoViewers(deps: {
  hub: Hub;
  bus: Bus;
  instanceId: string;
  log: Logger;
  /** the group's state as this instance knows it */
  stateOf(sessionId: string): Cached | undefined;
}) {
  const { hub, bus, log } = deps;
  /** session → participant → this instance's listeners' reports */
  const localViewers = new Map<string, Map<string, ViewerReport>>();
  /** session → instance → its viewers */
  const remoteViewers = new Map<string, Map<string, { viewers: VideoViewerEntry[]; at: number }>>();
  const viewersChanged = new Set<string>();
  const lastViewersSent = new Map<string, string>();

  function report(room: Room, client: RoomClient, msg: VideoViewerMessage) {
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
    const c = deps.stateOf(room.id);
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
  function everySecond(now: number) {
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
  }

  /** Another instance's viewers, through the bus. */
  const onBus = fromOtherInstances<{ id: string; i: string; v: VideoViewerEntry[] }>(
    deps.instanceId,
    (err) => log.warn({ err }, 'bad video viewers message'),
    (m) => {
      if (!hub.rooms.has(m.id)) return;
      let r = remoteViewers.get(m.id);
      if (!r) remoteViewers.set(m.id, (r = new Map()));
      r.set(m.i, { viewers: m.v, at: Date.now() });
    },
  );

  return {
    report,
    everySecond,
    onBus,
    forget(sessionId: string) {
      localViewers.delete(sessionId);
      remoteViewers.delete(sessionId);
      lastViewersSent.delete(sessionId);
    },
  };
}
