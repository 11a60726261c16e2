import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  CLOSE_CODES,
  pingMessageSchema,
  understandingSetMessageSchema,
  WS_MAX_MESSAGE_BYTES,
  type ServerMessage,
} from '@rstream/protocol';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { AppError } from '../errors.js';
import type { AccessClaims, AccessTokens } from '../features/auth/access-token.js';
import { looksLikeJwt } from '../features/auth/access-token.js';
import { isUuid } from '../features/sessions/sessions-service.js';
import type { SessionsService } from '../features/sessions/sessions-service.js';
import { sha256 } from '../platform/crypto.js';
import type { WsAccessEvent } from '../platform/logger.js';
import type { Hub } from './hub.js';
import { errorMessage, pongMessage, serialize } from './messages.js';
import {
  createMessageRegistry,
  MAX_MESSAGE_COST,
  type MessageRegistration,
  type MessageRegistry,
} from './registry.js';
import type { Room, RoomClient } from './room.js';

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

/** The core message types, answered by the gateway and the hub themselves. */
function coreMessages(hub: Hub): MessageRegistration<never>[] {
  const ping: MessageRegistration<{ type: 'ping'; id: string | number }> = {
    type: 'ping',
    schema: pingMessageSchema,
    roles: ['host', 'presenter', 'listener'],
    handle: ({ reply }, msg) => reply(pongMessage(msg.id, Date.now())),
  };
  const understandingSet: MessageRegistration<{ type: 'understanding:set'; level: number }> = {
    type: 'understanding:set',
    schema: understandingSetMessageSchema,
    roles: ['listener'],
    forbiddenMessage: 'Only listeners signal their understanding.',
    handle: ({ room, client }, msg) => {
      if (client.participantId) hub.setLevel(room, client.participantId, msg.level);
    },
  };
  return [ping, understandingSet] as unknown as MessageRegistration<never>[];
}

export function createGateway(deps: GatewayDeps) {
  const registry = deps.messages ?? createMessageRegistry();
  for (const m of coreMessages(deps.hub)) registry.register(m);
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: HARD_MAX_PAYLOAD,
    clientTracking: true,
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

  function sendError(ws: WebSocket, code: string, message: string) {
    ws.send(serialize(errorMessage(code, message)));
  }

  function failed(ws: WebSocket, type: string, e: unknown) {
    if (e instanceof AppError) return sendError(ws, e.code, e.message);
    deps.log.error({ err: e, type }, 'ws message failed');
    sendError(ws, 'INTERNAL', 'Something went wrong.');
  }

  /** Handles one client message; `take(cost)` charges the socket's rate bucket (false: over it). */
  function handleMessage(
    room: Room,
    client: RoomClient,
    data: RawData,
    isBinary: boolean,
    take: (cost: number) => boolean,
  ) {
    deps.onMessage?.();
    deps.hub.stats.messagesIn++;
    const size = Array.isArray(data) ? data.reduce((a, b) => a + b.length, 0) : (data as Buffer).byteLength;
    let json: unknown;
    let error: [string, string] | null = null;
    if (isBinary) error = ['BAD_MESSAGE', 'Send JSON text frames.'];
    else if (size > WS_MAX_MESSAGE_BYTES)
      error = ['PAYLOAD_TOO_LARGE', `Messages are limited to ${WS_MAX_MESSAGE_BYTES} bytes.`];
    else {
      try {
        json = JSON.parse(data.toString());
      } catch {
        error = ['BAD_MESSAGE', 'Messages must be JSON.'];
      }
    }
    const type = (json as { type?: unknown } | null)?.type;
    const reg = !error && typeof type === 'string' ? registry.get(type) : undefined;
    if (!take(reg?.cost ?? 1)) return;
    if (error) return sendError(client.ws, error[0], error[1]);
    if (!reg) {
      return sendError(
        client.ws,
        'UNKNOWN_MESSAGE',
        `Unknown message type; expected one of ${registry.types().join(', ')}.`,
      );
    }
    const parsed = reg.schema.safeParse(json);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join('.') || reg.type).join(', ');
      return sendError(client.ws, 'VALIDATION_FAILED', `Invalid ${reg.type}: ${fields}`);
    }
    if (!reg.roles.includes(client.role)) {
      return sendError(
        client.ws,
        'FORBIDDEN',
        reg.forbiddenMessage ?? `${reg.type} may be sent by: ${reg.roles.join(', ')}.`,
      );
    }
    const ws = client.ws;
    const reply = (m: ServerMessage) => ws.send(serialize(m));
    try {
      const result = reg.handle({ room, client, reply }, parsed.data);
      if (result instanceof Promise) result.catch((e: unknown) => failed(ws, reg.type, e));
    } catch (e) {
      failed(ws, reg.type, e);
    }
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ip: string): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = PATH_RE.exec(url.pathname);
    if (!match) return false;
    const sessionId = decodeURIComponent(match[1]!);
    const token = url.searchParams.get('token');
    const admitted = deps.admit ? deps.admit(ip) : true;
    const connId = randomUUID();
    const path = url.pathname;
    const userAgent = req.headers['user-agent'];
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
            const raw = (ws as unknown as { _socket?: { bytesRead: number; bytesWritten: number } })._socket;
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
          ws.once('close', () => deps.hub.leave(joinedRoom, joined));
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
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}
export type Gateway = ReturnType<typeof createGateway>;
