import { describe, expect, it } from 'vitest';
import type { ParticipantRow, SessionRow } from '../features/sessions/sessions-repo.js';
import { Room } from './room.js';

const START = Date.parse('2026-01-01T10:00:00Z');
const session = (status: SessionRow['status'] = 'live'): SessionRow => ({
  id: 's1',
  code: 'ACDEFG',
  host_id: 'h',
  title: 't',
  mode: 'presentation',
  status,
  settings: {},
  created_at: new Date(START),
  started_at: new Date(START),
  ended_at: null,
  participant_seq: 2,
  host_name: 'H',
  participant_count: 2,
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

describe('Room per-second aggregates', () => {
  it('records the state of the last tick inside each second, never a later one', () => {
    const room = new Room(session(), [participant('a', 1)], START);
    room.recordSeconds(START + 100);
    room.setLevel('a', 2, START + 300);
    room.recordSeconds(START + 350);
    room.setLevel('a', 5, START + 1010); // arrives in second 1, before the first tick of second 1
    room.recordSeconds(START + 1100);
    room.recordSeconds(START + 2100);
    const rows = room.takePending()!.seconds;
    expect(rows.map((r) => [r.t_sec, r.avg])).toEqual([
      [0, 2],
      [1, 5],
    ]);
  });

  it('fills seconds without ticks with the last state and closes the last second at the end', () => {
    const room = new Room(session(), [participant('a', 1)], START);
    room.setLevel('a', 4, START + 10);
    room.recordSeconds(START + 500);
    room.recordSeconds(START + 3500); // stalled for three seconds
    room.recordSeconds(START + 3900, true);
    const rows = room.takePending()!.seconds;
    expect(rows.map((r) => [r.t_sec, r.n, r.avg])).toEqual([
      [0, 1, 4],
      [1, 1, 4],
      [2, 1, 4],
      [3, 1, 4],
    ]);
  });
});

describe('Room presence', () => {
  it('stops counting a listener after the grace period and restores the level on return', () => {
    const room = new Room(session(), [participant('a', 1)], START);
    const client = { ws: {} as never, role: 'listener' as const, participantId: 'a' };
    room.connect(client);
    room.setLevel('a', 3, START);
    room.disconnect(client, START + 1000);
    room.sweepPresence(START + 1500, 1000);
    expect(room.tally.n).toBe(1);
    room.sweepPresence(START + 2001, 1000);
    expect(room.tally.n).toBe(0);
    expect(room.changed.get('a')).toBeNull();
    room.connect(client);
    expect(room.tally.get('a')).toBe(3);
  });
});

describe('Room partial tallies of other instances', () => {
  it('merges remote partials and expires them', () => {
    const room = new Room(session(), [participant('a', 1), participant('b', 2)], START);
    room.setLevel('a', 1, START);
    room.applyRemote('other', { s: 's1', c: [0, 0, 0, 0, 1], f: [['b', 5]] }, START, 3000);
    expect(room.merged()).toEqual({ n: 2, avg: 3, counts: [1, 0, 0, 0, 1] });
    expect(room.allLevels().sort()).toEqual([
      ['a', 1],
      ['b', 5],
    ]);
    room.expireRemotes(START + 3001);
    expect(room.merged().n).toBe(1);
    expect(room.changed.get('b')).toBeNull();
  });

  it('publishes full levels for small rooms and a heartbeat while listeners count', () => {
    const room = new Room(session(), [participant('a', 1)], START);
    expect(room.partialForPublish(START, 1000)).toBeNull();
    room.setLevel('a', 4, START);
    expect(room.partialForPublish(START, 1000)).toEqual({ s: 's1', c: [0, 0, 0, 1, 0], f: [['a', 4]] });
    expect(room.partialForPublish(START + 500, 1000)).toBeNull();
    expect(room.partialForPublish(START + 1000, 1000)?.c).toEqual([0, 0, 0, 1, 0]);
  });
});

describe('Room sockets per participant', () => {
  it('tracks each participant’s open sockets across tabs', () => {
    const room = new Room(session(), [participant('a', 1)], START);
    const tab1 = { ws: {} as never, role: 'listener' as const, participantId: 'a' };
    const tab2 = { ws: {} as never, role: 'listener' as const, participantId: 'a' };
    room.connect(tab1);
    room.connect(tab2);
    expect([...room.clientsOf('a')]).toEqual([tab1, tab2]);
    room.disconnect(tab1);
    expect([...room.clientsOf('a')]).toEqual([tab2]);
    room.disconnect(tab2);
    expect(room.clientsOf('a').size).toBe(0);
    expect(room.clientsOf('nobody').size).toBe(0);
  });
});
