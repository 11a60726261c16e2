// The two kinds of listener client the load generator drives: R-Stream's WebSocket protocol, and
// the Socket.IO baseline. Both report welcome, updates (server timestamp + sequence) and close.
import { io } from 'socket.io-client';
import WebSocket from 'ws';

/**
 * @param {{kind: 'rstream'|'socketio', url: string, wsUrl?: string, sessionId?: string}} target
 * @param {{token?: string, index: number}} who
 * @param {{onWelcome(): void, onUpdate(ts: number, seq: number, msg: object): void, onClose(reason: string): void}} on
 */
export function openClient(target, who, on) {
  return target.kind === 'rstream' ? rstreamClient(target, who, on) : socketIoClient(target, who, on);
}

function rstreamClient(target, who, on) {
  const url = `${target.wsUrl}/ws/sessions/${target.sessionId}?token=${encodeURIComponent(who.token)}`;
  // permessage-deflate stays off on the client as well (the toolchain notes: on = p99 10 s at 5,000).
  const ws = new WebSocket(url, {
    perMessageDeflate: false,
    skipUTF8Validation: true,
    handshakeTimeout: 60_000,
  });
  let closed = false;
  ws.on('message', (data) => {
    const m = JSON.parse(data);
    if (m.type === 'understanding:update') on.onUpdate(m.ts, m.seq, m);
    else if (m.type === 'welcome') on.onWelcome();
  });
  ws.on('error', () => {});
  ws.on('close', (code, reason) => {
    if (closed) return;
    closed = true;
    on.onClose(`${code} ${reason}`);
  });
  return {
    send(level) {
      if (ws.readyState === WebSocket.OPEN) ws.send(`{"type":"understanding:set","level":${level}}`);
    },
    bytesRead: () => ws._socket?.bytesRead ?? 0,
    close() {
      closed = true;
      ws.terminate();
    },
  };
}

function socketIoClient(target, who, on) {
  const s = io(target.url, {
    transports: ['websocket'],
    perMessageDeflate: false,
    reconnection: false,
    forceNew: true, // one connection per listener, not one multiplexed Manager
    timeout: 60_000,
    auth: { i: who.index, role: who.role ?? 'listener' },
  });
  let closed = false;
  s.on('welcome', () => on.onWelcome());
  s.on('agg', (m) => on.onUpdate(m.ts, m.seq, m));
  const close = (why) => {
    if (closed) return;
    closed = true;
    on.onClose(String(why));
  };
  s.on('disconnect', close);
  s.on('connect_error', (e) => close(e?.message ?? 'connect_error'));
  return {
    send(level) {
      if (s.connected) s.emit('level', level);
    },
    bytesRead: () => s.io.engine?.transport?.ws?._socket?.bytesRead ?? 0,
    close() {
      closed = true;
      s.disconnect();
    },
  };
}
