import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay } from './backoff';
import { RealtimeClient, type RealtimeOptions, type WebSocketLike } from './client';

class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  closedWith: number | null = null;
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  constructor(
    readonly url: string,
    readonly protocols?: string[],
  ) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000) {
    this.closedWith = code;
    this.readyState = 3;
  }
  // server side helpers
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) } as MessageEvent);
  }
  welcome(level: number | null = null) {
    this.receive({
      type: 'welcome',
      protocolVersion: 1,
      role: 'listener',
      participantId: 'p1',
      level,
      serverTime: 0,
      tickMs: 250,
    });
  }
  serverClose(code: number) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' } as CloseEvent);
  }
}

const last = () => FakeSocket.all[FakeSocket.all.length - 1]!;
let clock = 0;

function make(extra: Partial<RealtimeOptions> = {}) {
  const client = new RealtimeClient({
    sessionId: 's 1',
    token: 'tok/1',
    origin: 'ws://test',
    WebSocketImpl: FakeSocket,
    random: () => 1, // upper bound of the jitter: deterministic delays
    pingIntervalMs: 5000,
    now: () => clock,
    watchNetwork: false,
    ...extra,
  });
  const messages: unknown[] = [];
  client.onMessage((m) => messages.push(m));
  return { client, messages };
}

beforeEach(() => {
  FakeSocket.all = [];
  clock = 0;
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('backoffDelay', () => {
  it('doubles from 0.5 s up to 10 s with jitter in the upper half', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((a) => backoffDelay(a, () => 1))).toEqual([
      500, 1000, 2000, 4000, 8000, 10000, 10000,
    ]);
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(10, () => 0)).toBe(5000);
  });
});

describe('RealtimeClient', () => {
  it('connects with the token in Sec-WebSocket-Protocol (not the URL) and reports open', async () => {
    const { client } = make();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    expect(last().url).toBe('ws://test/ws/sessions/s%201');
    expect(last().protocols).toEqual(['rstream', 'bearer.tok/1']);
    expect(client.getSnapshot().state).toBe('connecting');
    last().open();
    expect(client.getSnapshot().state).toBe('open');
  });

  it('reconnects with growing delays and resets after a welcome', async () => {
    const { client } = make();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    last().serverClose(1006);
    expect(client.getSnapshot().state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(499);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(2);
    last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeSocket.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(3);
    last().open();
    last().welcome();
    last().serverClose(1001);
    await vi.advanceTimersByTimeAsync(500);
    expect(FakeSocket.all).toHaveLength(4);
  });

  it.each([4401, 4403, 4404])('does not reconnect after close code %i', async (code) => {
    const { client } = make();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    last().open();
    last().serverClose(code);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(client.getSnapshot()).toMatchObject({ state: 'closed', fatalCode: code });
  });

  it('treats 4000 as the session ending, not as an error', async () => {
    const { client } = make();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    last().serverClose(4000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(client.getSnapshot()).toMatchObject({ state: 'closed', ended: true, fatalCode: null });
  });

  it('retries once with a forced fresh token on 4401 when asked to', async () => {
    const token = vi.fn(async ({ force }: { force: boolean }) => (force ? 'fresh' : 'stale'));
    const { client } = make({ token, retryAuthOnce: true });
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    last().serverClose(4401);
    await vi.advanceTimersByTimeAsync(0);
    expect(last().protocols).toEqual(['rstream', 'bearer.fresh']);
    last().serverClose(4401);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(2);
    expect(client.getSnapshot().fatalCode).toBe(4401);
  });

  it('queues only the latest level while disconnected and it beats welcome.level', async () => {
    const { client, messages } = make();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    last().open();
    last().welcome(2);
    expect(client.setLevel(4)).toBe('sent');
    last().serverClose(1006);
    expect(client.setLevel(1)).toBe('queued');
    expect(client.setLevel(5)).toBe('queued');
    expect(client.getSnapshot().pendingLevel).toBe(5);
    await vi.advanceTimersByTimeAsync(500);
    const socket = last();
    socket.open();
    expect(socket.sent.filter((m) => (m as { type: string }).type === 'understanding:set')).toEqual([]);
    socket.welcome(4);
    const sets = socket.sent.filter((m) => (m as { type: string }).type === 'understanding:set');
    expect(sets).toEqual([{ type: 'understanding:set', level: 5 }]);
    expect(messages.at(-1)).toMatchObject({ type: 'welcome', level: 5 });
    expect(client.getSnapshot().pendingLevel).toBeNull();
  });

  it('passes the restored level through when nothing was queued', async () => {
    const { client, messages } = make();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    last().open();
    last().welcome(3);
    expect(messages.at(-1)).toMatchObject({ type: 'welcome', level: 3 });
    expect(last().sent.some((m) => (m as { type: string }).type === 'understanding:set')).toBe(false);
  });

  it('pings every interval, measures latency, and drops a silent connection', async () => {
    const { client } = make();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    const socket = last();
    socket.open();
    socket.welcome();
    const ping = socket.sent.at(-1) as { type: string; id: number };
    expect(ping.type).toBe('ping');
    clock = 42;
    socket.receive({ type: 'pong', id: ping.id, serverTime: 1 });
    expect(client.getSnapshot().latencyMs).toBe(42);
    await vi.advanceTimersByTimeAsync(5000);
    expect((socket.sent.at(-1) as { type: string }).type).toBe('ping');
    // no pong from now on
    clock += 5000;
    await vi.advanceTimersByTimeAsync(5000);
    clock += 5000;
    await vi.advanceTimersByTimeAsync(5000);
    clock += 6000;
    await vi.advanceTimersByTimeAsync(5000);
    expect(socket.closedWith).not.toBeNull();
    expect(client.getSnapshot().state).toBe('reconnecting');
  });

  it('ignores junk frames and stays closed after close()', async () => {
    const { client, messages } = make();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    last().open();
    last().onmessage?.({ data: 'not json' } as MessageEvent);
    last().receive({ nope: 1 });
    expect(messages).toEqual([]);
    client.close();
    expect(last().closedWith).toBe(1000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(client.getSnapshot().state).toBe('closed');
  });
});

describe('RealtimeClient: connection truth', () => {
  /** Advances the fake clock and timers together by `ms` in 250 ms steps. */
  async function elapse(ms: number) {
    for (let left = ms; left > 0; left -= 250) {
      clock += Math.min(250, left);
      await vi.advanceTimersByTimeAsync(Math.min(250, left));
    }
  }

  it('notices a silent drop within the silence deadline while traffic flowed before', async () => {
    const { client } = make({ pingIntervalMs: 3000, silenceTimeoutMs: 8000 });
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    const socket = last();
    socket.open();
    socket.welcome(3);
    await elapse(2000);
    socket.receive({ type: 'pong', id: 1, serverTime: 1 });
    // From here the link is frozen: nothing arrives, nothing closes.
    await elapse(7500);
    expect(client.getSnapshot().state).toBe('open');
    await elapse(1500);
    expect(socket.closedWith).not.toBeNull();
    expect(client.getSnapshot().state).toBe('reconnecting');
  });

  it('gives up on a handshake that never completes and tries again', async () => {
    make({ silenceTimeoutMs: 8000 }).client.connect();
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeSocket.all).toHaveLength(1);
    await elapse(9000);
    expect(FakeSocket.all[0]!.closedWith).not.toBeNull();
    await elapse(1000);
    expect(FakeSocket.all.length).toBeGreaterThan(1);
  });

  it('re-sends the latest level after any reconnect, even one "sent" into a dead socket', async () => {
    const { client, messages } = make();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    last().open();
    last().welcome(2);
    // Pressed while the socket still looked open: written into the void.
    expect(client.setLevel(5)).toBe('sent');
    last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(500);
    const second = last();
    second.open();
    second.welcome(2); // the server never got the 5
    expect(second.sent).toContainEqual({ type: 'understanding:set', level: 5 });
    expect(messages.at(-1)).toMatchObject({ type: 'welcome', level: 5 });
  });

  it('validates what it receives and reports a protocol mismatch once', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { client, messages } = make();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    last().open();
    last().welcome();
    const update = {
      type: 'understanding:update',
      t: 1,
      ts: 1,
      seq: 1,
      avg: 3,
      n: 1,
      counts: [0, 0, 1, 0, 0],
    };
    last().receive(update);
    expect(messages.at(-1)).toEqual(update);
    last().receive({ ...update, counts: [0, 0, 'x', 0, 0] });
    last().receive({ type: 'video:unknown' });
    expect(messages.at(-1)).toEqual(update);
    expect(client.getSnapshot().protocolMismatch).toBe(
      'understanding:update: counts.2 expected integer, got string',
    );
    expect(errors).toHaveBeenCalledTimes(1);
    errors.mockRestore();
  });

  it('flags a welcome from another protocol version', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { client } = make();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    last().open();
    last().receive({
      type: 'welcome',
      protocolVersion: 99,
      role: 'listener',
      participantId: 'p',
      level: null,
      serverTime: 0,
      tickMs: 250,
    });
    expect(client.getSnapshot().protocolMismatch).toMatch(/protocol 99/);
    errors.mockRestore();
  });

  it('can still carry the token as ?token= for servers that do not read the header', async () => {
    make({ tokenTransport: 'url' }).client.connect();
    await vi.advanceTimersByTimeAsync(0);
    expect(last().url).toBe('ws://test/ws/sessions/s%201?token=tok%2F1');
    expect(last().protocols).toBeUndefined();
  });
});
