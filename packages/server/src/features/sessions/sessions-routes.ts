import {
  createSessionBodySchema,
  joinBodySchema,
  joinCodeSchema,
  updateMeBodySchema,
  updateSessionBodySchema,
} from '@rstream/protocol';
import { forbidden, sessionNotFound } from '../../errors.js';
import { baseUrlOf } from '../../http/caller.js';
import type { FeatureApp } from '../../http/feature.js';
import { parse } from '../../http/validate.js';
import { readSettings, toParticipant, toPublicSession, toSession } from './sessions-service.js';

type IdParams = { Params: { id: string } };

/** The guards and the hub are read when a request arrives (their plugins register later). */
export function registerSessionRoutes(app: FeatureApp) {
  const { sessions, config } = app;
  const base = (req: Parameters<typeof baseUrlOf>[0]) => baseUrlOf(req, config);

  app.post('/api/sessions', async (req, reply) => {
    const claims = await app.guards.requireUser(req);
    const session = await sessions.create(claims.userId, parse(createSessionBodySchema, req.body), base(req));
    return reply.code(201).send(session);
  });

  app.get('/api/sessions', async (req) => {
    const claims = await app.guards.requireUser(req);
    return { sessions: await sessions.list(claims.userId, base(req)) };
  });

  app.post('/api/sessions/join', { config: { rateLimit: app.rateLimits.join } }, async (req) =>
    sessions.join(parse(joinBodySchema, req.body)),
  );

  // Limited like join: each answer reveals a session's title and host (http/limits.ts adds the lock-out).
  app.get<{ Params: { code: string } }>(
    '/api/sessions/code/:code',
    { config: { rateLimit: app.rateLimits.join } },
    async (req) => {
      const code = joinCodeSchema.safeParse(req.params.code);
      if (!code.success) throw sessionNotFound();
      return sessions.getPublicByCode(code.data);
    },
  );

  app.get<IdParams>('/api/sessions/:id', async (req) => {
    const caller = await app.guards.requireSessionCaller(req, req.params.id);
    return caller.speaker ? toSession(caller.session, base(req)) : toPublicSession(caller.session);
  });

  app.put<IdParams>('/api/sessions/:id', async (req) => {
    // An invited presenter may start and end the session, nothing else (docs/security.md).
    const caller = await app.guards.requireSessionCaller(req, req.params.id);
    const body = parse(updateSessionBodySchema, req.body);
    if (caller.kind === 'participant') {
      if (!caller.speaker || body.title !== undefined || body.settings !== undefined) {
        throw forbidden('Only the session’s host can change its settings.');
      }
      return sessions.update(caller.session.host_id, caller.session.id, body, base(req));
    }
    return sessions.update(caller.claims.userId, req.params.id, body, base(req));
  });

  app.delete<IdParams>('/api/sessions/:id', async (req, reply) => {
    const { claims } = await app.guards.requireHost(req, req.params.id);
    await sessions.remove(claims.userId, req.params.id);
    return reply.code(204).send();
  });

  app.get<IdParams>('/api/sessions/:id/me', async (req) => {
    const { participant, session } = await app.guards.requireParticipant(req, req.params.id);
    return {
      participant: {
        ...toParticipant(participant, false),
        displayName: participant.display_name,
        anonymous: participant.anonymous,
      },
      session: toPublicSession(session),
    };
  });

  app.put<IdParams>('/api/sessions/:id/me', async (req) => {
    const { participant } = await app.guards.requireParticipant(req, req.params.id);
    const body = parse(updateMeBodySchema, req.body);
    const row = await sessions.rename(participant, body.displayName);
    return {
      participant: { ...toParticipant(row, false), displayName: row.display_name, anonymous: row.anonymous },
    };
  });

  app.get<IdParams>('/api/sessions/:id/participants', async (req) => {
    const caller = await app.guards.requireSessionCaller(req, req.params.id);
    const participants = await sessions.listParticipants(
      caller.session,
      app.hub.liveParticipants(caller.session.id),
    );
    if (caller.speaker) return { participants };
    if (readSettings(caller.session.settings).anonymous)
      throw forbidden('Listeners are anonymous in this session.');
    // Listeners see who is there, not how others are doing.
    return { participants: participants.map((p) => ({ ...p, level: null })) };
  });
}
