import fp from 'fastify-plugin';
import { wsOriginAllowed } from '../http/ws-origin.js';
import { createClientIp, trustedProxies } from '../http/client-ip.js';
import { createConnectionLimit } from './connection-limit.js';
import { createGateway, type Gateway } from './gateway.js';
import { Hub } from './hub.js';
import { livePersistence } from './live-config.js';
import { registerLiveMetrics } from './live-metrics.js';
import { createMessageRegistry, type MessageRegistry } from './registry.js';
import type { WsAccessEvent } from '../platform/log-types.js';

declare module 'fastify' {
  interface FastifyInstance {
    hub: Hub;
    gateway: Gateway;
    /** The client message types: features add theirs with `app.wsMessages.register({...})`. */
    wsMessages: MessageRegistry;
  }
}

/** WebSocket refusals that are security events: bad token, not allowed, too many connections. */
const WS_DENIALS = new Set([4401, 4403, 4429]);

/**
 * The live layer: the hub (rooms, tick, batched persistence) and the WebSocket gateway. The hub
 * learns about session and participant changes from the domain events; nothing calls it back
 * through a late-bound reference. Starts with the app, stops before the HTTP server closes.
 */
export const realtimePlugin = fp(
  async (app) => {
    const { config, metrics, logs, logger: log, events } = app;
    const hub = new Hub({
      tickMs: config.TICK_MS,
      presenceGraceMs: config.PRESENCE_GRACE_MS,
      log,
      sessions: app.sessions,
      understanding: app.understanding,
      onTick: (duration, lag) => {
        metrics.tickDuration.observe(duration / 1000);
        metrics.tickLag.observe(lag / 1000);
        logs.tick(duration, lag);
      },
      cluster: app.distributed ? { bus: app.bus, locks: app.locks, instanceId: app.instanceId } : undefined,
      persistence: livePersistence(config),
    });
    registerLiveMetrics(metrics.registry, hub);
    events.on('session.changed', ({ session }) => hub.sessionChanged(session));
    events.on('session.deleted', ({ sessionId }) => hub.sessionDeleted(sessionId));
    events.on('participant.changed', ({ participant }) => hub.participantChanged(participant));
    events.on('participant.erasing', ({ sessionId, participantId }) =>
      hub.participantErased(sessionId, participantId),
    );

    const exempt =
      config.WS_CONNECTION_LIMIT_EXEMPT.trim() === 'none' ? [] : config.WS_CONNECTION_LIMIT_EXEMPT.split(',');
    const connections = createConnectionLimit(config.WS_MAX_CONNECTIONS_PER_IP, exempt);
    const wsMessages = createMessageRegistry();
    const gateway = createGateway({
      hub,
      sessions: app.sessions,
      tokens: app.tokens,
      log,
      onMessage: () => metrics.wsMessagesIn.inc(),
      messages: wsMessages,
      admit: (ip) => connections.admit(ip),
      release: (ip) => connections.release(ip),
      userAllowed: app.guards.userAllowed,
      // refused connections (4401/4403/4429) also enter the security trail
      accessLog: (e: WsAccessEvent) => {
        logs.accessLogWs(e);
        if (e.event === 'reject' && e.code !== undefined && WS_DENIALS.has(e.code)) {
          app.audit.recordLater({
            type: 'ws_denied',
            outcome: 'denied',
            sessionId: e.sessionId ?? null,
            ip: e.ip ?? null,
            userAgent: e.userAgent ?? null,
            requestId: e.connId ?? null,
            details: { code: e.code, reason: e.reason },
          });
        }
      },
    });
    const clientIp = createClientIp(trustedProxies(config));
    app.server.on('upgrade', (req, socket, head) => {
      const ip = clientIp(req); // behind TRUSTED_PROXIES only, rightmost untrusted hop
      if (!wsOriginAllowed(config, req)) {
        // issue 17: a page of another site may not open a socket with the visitor's credentials
        logs.accessLogWs({
          event: 'reject',
          code: 403,
          reason: 'origin not allowed',
          ip,
          url: req.url,
          userAgent: req.headers['user-agent'],
        });
        socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        socket.destroy();
        return;
      }
      if (!gateway.handleUpgrade(req, socket, head, ip)) {
        socket.write('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        socket.destroy();
      }
    });
    app.decorate('hub', hub);
    app.decorate('gateway', gateway);
    app.decorate('wsMessages', wsMessages);
    app.addHook('onReady', async () => hub.start());
    // Open sockets would hold the HTTP server open: they go before it closes. The hub stops in
    // onClose, which runs after the onClose of every plugin registered later (the features).
    app.addHook('preClose', async () => gateway.close());
    // The drain retries for SHUTDOWN_DRAIN_MS and spills the rest (main.ts exits 1 then).
    app.addHook('onClose', async () => void (await hub.stop(config.SHUTDOWN_DRAIN_MS)));
  },
  {
    name: 'realtime',
    fastify: '5.x',
    decorators: { fastify: ['sessions', 'understanding', 'tokens', 'guards', 'audit', 'logs'] },
  },
);
