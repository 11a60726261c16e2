import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  createSession,
  goLive,
  join,
  speaker,
  startTestApp,
  WsClient,
  type TestApp,
} from '../helpers.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

type Msg = Record<string, unknown>;
const GRACE_MS = 2000;

/** Fault 1 of issue 11: a listener whose network silently dies (no FIN, no RST). */
describe.each(BACKENDS)('a half-dead listener socket on %s', (backend) => {
  let t: TestApp;
  let proxy: TcpProxy;
  const sockets: WsClient[] = [];
  beforeAll(async () => {
    t = await startTestApp(backend, { PRESENCE_GRACE_MS: String(GRACE_MS), TICK_MS: '100' });
    proxy = await startTcpProxy(Number(new URL(t.url).port));
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await proxy?.close();
    await t?.close();
  });

  it('stops counting within the presence grace, shows as disconnected, and comes back with its level', async () => {
    const host = await speaker(t.url);
    const s = await createSession(t.url, host.token);
    await goLive(t.url, host.token, s.id);
    const phone = await join(t.url, s.code, 'Phone');
    const sp = new WsClient(t.url, s.id, host.token);
    const listener = new WsClient(proxy.url, s.id, phone.participantToken);
    sockets.push(sp, listener);
    await listener.next((m) => m.type === 'welcome');
    listener.send({ type: 'understanding:set', level: 4 });
    await sp.next((m) => m.type === 'understanding:update' && m.n === 1 && m.avg === 4);

    const frozenAt = Date.now();
    proxy.freeze();
    await sp.nextNew((m) => m.type === 'understanding:update' && m.n === 0, GRACE_MS * 4);
    const stoppedAfter = Date.now() - frozenAt;
    console.log(`[measure] frozen listener stopped counting after ${stoppedAfter} ms (grace ${GRACE_MS} ms)`);
    // the grace counts from the last traffic, not from when the server noticed
    expect(stoppedAfter).toBeLessThan(GRACE_MS + 1000);
    const roster = (await sp.next(
      (m) =>
        m.type === 'participants' &&
        (m.participants as Msg[]).some(
          (p) => p.participantId === phone.participantId && p.connected === false,
        ),
      GRACE_MS * 2,
    )) as { participants: Msg[] };
    expect(roster.participants.find((p) => p.participantId === phone.participantId)?.connected).toBe(false);

    // The phone finds the network again and reconnects: same level, counted again.
    const back = new WsClient(proxy.url, s.id, phone.participantToken);
    sockets.push(back);
    const welcome = await back.next((m) => m.type === 'welcome');
    expect(welcome.level).toBe(4);
    await sp.nextNew((m) => m.type === 'understanding:update' && m.n === 1 && m.avg === 4, 5000);
  }, 30_000);

  it('still keeps a normally closed listener counted during the grace, then drops it', async () => {
    const host = await speaker(t.url);
    const s = await createSession(t.url, host.token);
    await goLive(t.url, host.token, s.id);
    const p = await join(t.url, s.code, 'Closer');
    const sp = new WsClient(t.url, s.id, host.token);
    const l = new WsClient(t.url, s.id, p.participantToken);
    sockets.push(sp);
    await l.next((m) => m.type === 'welcome');
    l.send({ type: 'understanding:set', level: 2 });
    await sp.next((m) => m.type === 'understanding:update' && m.n === 1);
    const closedAt = Date.now();
    l.close();
    await sp.nextNew((m) => m.type === 'understanding:update' && m.n === 0, GRACE_MS * 4);
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(GRACE_MS - 150);
  }, 30_000);
});
