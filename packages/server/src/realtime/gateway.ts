import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { CLOSE_CODES } from '@rstream/protocol';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData } from 'ws';
import type { AccessClaims, AccessTokens } from '../features/auth/access-token.js';
import { looksLikeJwt } from '../features/auth/access-token.js';
import { isUuid } from '../features/sessions/sessions-view.js';
import type { SessionsService } from '../features/sessions/sessions-service.js';
import { sha256 } from '../platform/crypto.js';
import type { WsAccessEvent } from '../platform/log-types.js';
import { createHeartbeat, heartbeatFor } from './heartbeat.js';
import type { Hub } from './hub.js';
import { createDispatcher, registerCoreMessages } from './dispatch.js';
import { rawSocketOf } from './frame.js';
import { createMessageRegistry, MAX_MESSAGE_COST, type MessageRegistry } from './registry.js';
import type { Room } from './room.js';
import type { RoomClient } from './room-types.js';

const PATH_RE = /^\/ws\/sessions\/([^/?#]+)\/?$/;
/** Frames larger than this are refused by ws itself (close 1009); up to it we answer with an error. */
const HARD_MAX_PAYLOAD = 64 * 1024;
/** Messages a client may send before it is authenticated (they are queued, then handled). */
const PRE_AUTH_MAX_MESSAGES = 8;
/** Per-socket token bucket: sustained messages per second and burst. */
const RATE_PER_SEC = 20;
const RATE_BURST = MAX_MESSAGE_COST;
/** A client that keeps flooding after being told is disconnected. */
const RATE_STRIKES_BEFORE_CLOSE = 200;
/** TCP keepalive probes on idle sockets: the kernel notices a vanished peer even without pings. */
const TCP_KEEPALIVE_MS = 5000;

export interface GatewayDeps {
  /** The access log's connect / disconnect / reject lines (never with the token). */
  accessLog?: (event: WsAccessEvent) => void;
  hub: Hub;
  sessions: SessionsService;
  tokens: AccessTokens;
  log: Logger;
  /** Called for each connection attempt; false rejects it with 4429. */
  admit?: (ip: string) => boolean;
  release?: (ip: string) => void;
  /** Account checks for access tokens (exists, not disabled, sign-in not ended); false refuses with 4401. */
  userAllowed?: (claims: AccessClaims) => Promise<boolean>;
  onMessage?: () => void;
  /**
   * The client message types features registered (e.g. `question:ask`); the gateway adds its
   * core types (`ping`, `understanding:set`) to it. Absent: a registry of the core types only.
   */
  messages?: MessageRegistry;
}

type Auth =
  { ok: true; room: Room; client: Omit<RoomClient, 'ws'> } | { ok: false; code: number; reason: string };

/** The subprotocol a client names beside `bearer.<token>` (the token then stays out of the URL). */
export const WS_SUBPROTOCOL = 'rstream';

/** `Sec-WebSocket-Protocol: rstream, bearer.<token>` → the token (tokens are base64url / JWT, valid protocol tokens). */
export function tokenFromProtocols(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = header
    .split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith('bearer.'));
  return bearer ? bearer.slice('bearer.'.length) || null : null;
}

export function createGateway(deps: GatewayDeps) {
  const registry = deps.messages ?? createMessageRegistry();
  registerCoreMessages(registry, deps.hub);
  const heartbeat = createHeartbeat({
    ...heartbeatFor(deps.hub.presenceGraceMs),
    onDead: () => deps.hub.stats.deadSockets++,
  });
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: HARD_MAX_PAYLOAD,
    clientTracking: true,
    // a client that sends its token as `bearer.<token>` gets the `rstream` subprotocol back
    handleProtocols: (protocols) => (protocols.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false),
  });

  async function authenticate(sessionId: string, token: string | null): Promise<Auth> {
    if (!token) return { ok: false, code: CLOSE_CODES.BAD_TOKEN, reason: 'missing token' };
    if (!isUuid(sessionId))
      return { ok: false, code: CLOSE_CODES.NO_SUCH_SESSION, reason: 'no such session' };
    const room = await deps.hub.getRoom(sessionId);
    if (!room) return { ok: false, code: CLOSE_CODES.NO_SUCH_SESSION, reason: 'no such session' };
    if (looksLikeJwt(token)) {
      const claims = await deps.tokens.verify(token);
      if (!claims) return { ok: false, code: CLOSE_CODES.BAD_TOKEN, reason: 'invalid token' };
      if (deps.userAllowed && !(await deps.userAllowed(claims)))
        return { ok: false, code: CLOSE_CODES.BAD_TOKEN, reason: 'account not allowed' };
      // Only the host: admins get no view into other people's sessions (docs/security.md).
      if (room.row.host_id !== claims.userId)
        return { ok: false, code: CLOSE_CODES.NOT_ALLOWED, reason: 'not your session' };
      return { ok: true, room, client: { role: 'host', participantId: null } };
    }
    const hash = sha256(token);
    // With several instances the database may know a newer level than this room: re-read it.
    let participant = deps.hub.distributed ? undefined : room.participantByTokenHash(hash);
    if (!participant) {
      const row = await deps.sessions.findParticipantByToken(token);
      if (!row) return { ok: false, code: CLOSE_CODES.BAD_TOKEN, reason: 'invalid token' };
      if (row.session_id !== room.id)
        return { ok: false, code: CLOSE_CODES.NOT_ALLOWED, reason: 'token of another session' };
      room.addParticipant(row);
      participant = row;
    }
    return { ok: true, room, client: { role: participant.role, participantId: participant.id } };
  }

  const { handleMessage, sendError } = createDispatcher(registry, deps);

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ip: string): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = PATH_RE.exec(url.pathname);
    if (!match) return false;
    const sessionId = decodeURIComponent(match[1]!);
    const token = tokenFromProtocols(req.headers['sec-websocket-protocol']) ?? url.searchParams.get('token');
    const admitted = deps.admit ? deps.admit(ip) : true;
    const connId = randomUUID();
    const path = url.pathname;
    const userAgent = req.headers['user-agent'];
    (socket as Socket).setKeepAlive?.(true, TCP_KEEPALIVE_MS);
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!admitted) {
        deps.accessLog?.({
          event: 'reject',
          connId,
          url: path,
          sessionId,
          ip,
          userAgent,
          code: CLOSE_CODES.RATE_LIMITED,
          reason: 'too many connections',
        });
        ws.close(CLOSE_CODES.RATE_LIMITED, 'too many connections');
        return;
      }
      const openedAt = Date.now();
      heartbeat.track(ws);
      let messagesIn = 0;
      ws.once('close', () => deps.release?.(ip));
      const queued: [RawData, boolean][] = [];
      let client: RoomClient | null = null;
      let room: Room | null = null;
      let tokens = RATE_BURST;
      let lastRefill = Date.now();
      let strikes = 0;
      /** The socket's token bucket: false (and a warning now and then) when over the rate. */
      const take = (cost: number): boolean => {
        const now = Date.now();
        tokens = Math.min(RATE_BURST, tokens + ((now - lastRefill) / 1000) * RATE_PER_SEC);
        lastRefill = now;
        if (tokens < cost) {
          if (++strikes >= RATE_STRIKES_BEFORE_CLOSE) ws.close(CLOSE_CODES.RATE_LIMITED, 'rate limited');
          else if (strikes % 20 === 1) sendError(ws, 'RATE_LIMITED', 'Too many messages; slow down.');
          return false;
        }
        tokens -= cost;
        return true;
      };
      ws.on('message', (data, isBinary) => {
        messagesIn++;
        if (!client || !room) {
          if (queued.length >= PRE_AUTH_MAX_MESSAGES)
            ws.close(CLOSE_CODES.RATE_LIMITED, 'too many messages before authentication');
          else queued.push([data, isBinary]);
          return;
        }
        try {
          handleMessage(room, client, data, isBinary, take);
        } catch (err) {
          deps.log.error({ err }, 'ws message failed');
          sendError(ws, 'INTERNAL', 'Something went wrong.');
        }
      });
      ws.on('error', () => ws.terminate());
      authenticate(sessionId, token)
        .then((auth) => {
          if (ws.readyState !== ws.OPEN) return;
          if (!auth.ok) {
            deps.accessLog?.({
              event: 'reject',
              connId,
              url: path,
              sessionId,
              ip,
              userAgent,
              code: auth.code,
              reason: auth.reason,
            });
            ws.close(auth.code, auth.reason);
            return;
          }
          deps.accessLog?.({
            event: 'connect',
            connId,
            url: path,
            sessionId,
            role: auth.client.role,
            ip,
            userAgent,
          });
          if (deps.accessLog) {
            const raw = rawSocketOf(ws);
            ws.once('close', (code, reason) =>
              deps.accessLog?.({
                event: 'disconnect',
                connId,
                url: path,
                sessionId,
                role: auth.client.role,
                ip,
                code,
                reason: reason.toString(),
                durationMs: Date.now() - openedAt,
                bytesIn: raw?.bytesRead,
                bytesOut: raw?.bytesWritten,
                messagesIn,
              }),
            );
          }
          room = auth.room;
          client = { ws, ...auth.client };
          const joined = client;
          const joinedRoom = room;
          // A socket terminated for silence left when its traffic stopped, not when we noticed.
          ws.once('close', () => deps.hub.leave(joinedRoom, joined, heartbeat.silentSince(ws)));
          deps.hub.join(room, client);
          for (const [data, isBinary] of queued.splice(0)) handleMessage(room, client, data, isBinary, take);
        })
        .catch((err) => {
          deps.log.error({ err }, 'ws authentication failed');
          ws.close(1011, 'server error');
        });
    });
    return true;
  }

  return {
    wss,
    handleUpgrade,
    /** The registered client message types (the security matrix checks it against the protocol). */
    messageTypes: () => registry.types(),
    connectionCount: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        heartbeat.stop();
        // A close frame (1001), not a cut: clients learn the server is going away and resend on
        // the instance they reconnect to; what reached the server before it is handled and
        // drained. A socket that does not complete the close is cut after 1 s.
        for (const ws of wss.clients) ws.close(1001, 'server shutting down');
        const cut = setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
        }, 1000);
        wss.close(() => {
          clearTimeout(cut);
          resolve();
        });
      }),
  };
}
export type Gateway = ReturnType<typeof createGateway>;
