import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { ParticipantRow, SessionRow } from '../features/sessions/sessions-repo.js';
import type { LiveBatch } from '../features/understanding/understanding-repo.js';
import { PersistQueue } from './persist-queue.js';
import { Room } from './room.js';
import { type RoomClient } from './room-types.js';

const START = Date.parse('2026-01-01T10:00:00Z');
const session = (): SessionRow => ({
  id: 's1',
  code: 'ACDEFG',
  host_id: 'h',
  title: 't',
  mode: 'presentation',
  status: 'live',
  settings: {},
  created_at: new Date(START),
  started_at: new Date(START),
  ended_at: null,
  participant_seq: 3,
  host_name: 'H',
  participant_count: 3,
});
const participant = (id: string, ordinal: number): ParticipantRow => ({
  id,
  session_id: 's1',
  token_hash: `h-${id}`,
  display_name: id,
  anonymous: false,
  role: 'listener',
  ordinal,
  level: null,
  joined_at: new Date(START),
  last_seen_at: null,
});
const listener = (id: string): RoomClient => ({ ws: {} as never, role: 'listener', participantId: id });

describe('Room state machine: presence', () => {
  it('counts the grace from when a dead socket was last heard of, not from when it was noticed', () => {
    const room = new Room(session(), [participant('a', 1)], START);
    const c = listener('a');
    room.connect(c);
    room.setLevel('a', 4, START);
    room.disconnect(c, START + 1000); // last traffic at +1 s, found dead later
    room.sweepPresence(START + 2999, 2000);
    expect(room.tally.n).toBe(1);
    room.sweepPresence(START + 3000, 2000);
    expect(room.tally.n).toBe(0);
    expect(room.levelOf('a')).toBe(4); // kept for the return
    room.connect(listener('a'));
    expect(room.tally.get('a')).toBe(4);
  });
});

describe('Room state machine: merge across instances', () => {
  it('counts a listener once when it moved here while the old instance still reports it', () => {
    const room = new Room(session(), [participant('a', 1), participant('b', 2), participant('c', 3)], START);
    // B (dead or not yet expired) still reports a and b
    room.applyRemote(
      'B',
      {
        s: 's1',
        c: [0, 2, 0, 0, 0],
        f: [
          ['a', 2],
          ['b', 2],
        ],
      },
      START,
      3500,
    );
    room.connect(listener('a')); // a reconnected here: level carried over from B
    expect(room.tally.get('a')).toBe(2);
    expect(room.merged()).toEqual({ n: 2, avg: 2, counts: [0, 2, 0, 0, 0] });
    room.setLevel('a', 5, START + 10);
    expect(room.merged()).toEqual({ n: 2, avg: 3.5, counts: [0, 1, 0, 0, 1] });
    expect(room.allLevels().sort()).toEqual([
      ['a', 5],
      ['b', 2],
    ]);
    room.expireRemotes(START + 3501);
    expect(room.merged().n).toBe(1);
  });

  it('counts a listener in its grace here where it is connected now (the other instance)', () => {
    const room = new Room(session(), [participant('a', 1)], START);
    const c = listener('a');
    room.connect(c);
    room.setLevel('a', 3, START);
    room.disconnect(c, START + 100); // in grace here…
    room.applyRemote('B', { s: 's1', c: [0, 0, 0, 1, 0], f: [['a', 4]] }, START + 200, 3500); // …connected on B
    expect(room.merged()).toEqual({ n: 1, avg: 4, counts: [0, 0, 0, 1, 0] });
    expect(room.allLevels()).toEqual([['a', 4]]);
  });

  it('falls back to counts when a large sender’s level map is incomplete (deltas missed)', () => {
    const room = new Room(session(), [participant('a', 1)], START);
    room.applyRemote('B', { s: 's1', c: [0, 0, 300, 0, 0], d: [['x', 3]] }, START, 3500);
    expect(room.merged().n).toBe(300);
  });

  it('queues merged rows as lease holder and its own counts as a partial otherwise', () => {
    const room = new Room(session(), [participant('a', 1)], START);
    room.connect(listener('a'));
    room.setLevel('a', 2, START);
    room.applyRemote('B', { s: 's1', c: [0, 0, 0, 0, 1], f: [['z', 5]] }, START, 3500);
    room.recordSeconds(START + 100, false, 'partial');
    room.recordSeconds(START + 1100, false, 'merged');
    room.recordSeconds(START + 2100, false, 'merged');
    const batch = room.takePending()!;
    expect(batch.partials.map((p) => [p.t_sec, p.c2, p.c5])).toEqual([[0, 1, 0]]);
    expect(batch.seconds.map((s) => [s.t_sec, s.n])).toEqual([[1, 2]]);
  });
});

describe('PersistQueue', () => {
  const setup = (fail: () => boolean, maxBacklogRows = 1000) => {
    const spillDir = mkdtempSync(path.join(tmpdir(), 'rstream-spill-'));
    const written: LiveBatch[] = [];
    const lines: string[] = [];
    const q = new PersistQueue({
      write: async (b) => {
        if (fail()) throw new Error('connect ECONNREFUSED');
        written.push(b);
        return true;
      },
      log: pino({ level: 'info' }, { write: (l: string) => void lines.push(l) }),
      maxBacklogRows,
      spillDir,
    });
    return { q, written, lines, spillDir };
  };
  const signal = (i: number) => ({ session_id: 's1', participant_id: 'p', t_ms: i, level: 1 + (i % 5) });

  it('retries a failed batch under one id, logs the incident once, and writes it when the database is back', async () => {
    let down = true;
    const { q, written, lines } = setup(() => down);
    q.add({ signals: [signal(1)], seconds: [], levels: [['p', 2]] });
    await q.flush(true);
    q.add({ signals: [signal(2)], seconds: [], levels: [] });
    await q.flush(true);
    await q.flush(true);
    expect(q.stats.persistFailures).toBe(3);
    expect(lines.filter((l) => l.includes('"persist_failed"'))).toHaveLength(1);
    expect(q.rows).toBe(3);
    down = false;
    await q.flush(true);
    expect(q.rows).toBe(0);
    expect(written.flatMap((b) => b.signals).map((s) => s.t_ms)).toEqual([1, 2]);
    expect(written[0]!.spillId).toMatch(/-/); // the retried batch kept the id of its first failure
    expect(lines.filter((l) => l.includes('"persist_recovered"'))).toHaveLength(1);
  });

  it('spills above the bound and at the end of the drain, and replays the files', async () => {
    let down = true;
    const { q, written, spillDir } = setup(() => down, 100);
    q.add({ signals: Array.from({ length: 150 }, (_, i) => signal(i)), seconds: [], levels: [] });
    await q.flush(true);
    expect(q.stats.spilledRows).toBe(150);
    expect(q.rows).toBe(0);
    q.add({ signals: [signal(999)], seconds: [], levels: [] });
    const r = await q.drain(300);
    expect(r.spilled).toBe(1);
    expect(readdirSync(spillDir).filter((f) => f.endsWith('.json'))).toHaveLength(2);
    down = false;
    expect(await q.replaySpills()).toEqual({ files: 2, rows: 151 });
    expect(written.flatMap((b) => b.signals)).toHaveLength(151);
    expect(readdirSync(spillDir)).toEqual([]);
  });
});
