import {
  createSessionBodySchema,
  joinBodySchema,
  joinCodeSchema,
  joinResponseSchema,
  meResponseSchema,
  participantListSchema,
  publicSessionSchema,
  sessionListSchema,
  sessionSchema,
  updateMeBodySchema,
  updateMeResponseSchema,
  updateSessionBodySchema,
} from '@rstream/protocol';
import { z } from 'zod';
import { forbidden, sessionNotFound } from '../../errors.js';
import { baseUrlOf } from '../../http/caller.js';
import type { FeatureApp } from '../../http/feature.js';
import { readSettings, toParticipant, toPublicSession, toSession } from './sessions-view.js';

const idParams = z.object({ id: z.string().describe('session id') });
const tags = ['sessions'];
const noContent = { 204: z.null().describe('No content') };

/** The guards and the hub are read when a request arrives (their plugins register later). */
export function registerSessionRoutes(app: FeatureApp) {
  const { sessions, config } = app;
  const base = (req: Parameters<typeof baseUrlOf>[0]) => baseUrlOf(req, config);

  app.post(
    '/api/sessions',
    {
      schema: {
        tags,
        summary: 'Create a session (speakers)',
        body: createSessionBodySchema,
        response: { 201: sessionSchema },
      },
    },
    async (req, reply) => {
      const claims = await app.guards.requireUser(req);
      const session = await sessions.create(claims.userId, req.body, base(req));
      return reply.code(201).send(session);
    },
  );

  app.get(
    '/api/sessions',
    { schema: { tags, summary: 'The caller’s own sessions', response: { 200: sessionListSchema } } },
    async (req) => {
      const claims = await app.guards.requireUser(req);
      return { sessions: await sessions.list(claims.userId, base(req)) };
    },
  );

  app.post(
    '/api/sessions/join',
    {
      config: { rateLimit: app.rateLimits.join },
      schema: {
        tags,
        summary: 'Join by code: a participant token',
        body: joinBodySchema,
        response: { 200: joinResponseSchema },
      },
    },
    async (req) => sessions.join(req.body),
  );

  // Limited like join: each answer reveals a session's title and host (http/limits.ts adds the lock-out).
  app.get(
    '/api/sessions/code/:code',
    {
      config: { rateLimit: app.rateLimits.join },
      schema: {
        tags,
        summary: 'What anyone holding the code may see before joining',
        params: z.object({ code: z.string() }),
        response: { 200: publicSessionSchema },
      },
    },
    async (req) => {
      const code = joinCodeSchema.safeParse(req.params.code);
      if (!code.success) throw sessionNotFound();
      return sessions.getPublicByCode(code.data);
    },
  );

  app.get(
    '/api/sessions/:id',
    {
      schema: {
        tags,
        summary: 'The session: in full for its speakers, the public part for listeners',
        params: idParams,
        response: { 200: sessionSchema.or(publicSessionSchema) },
      },
    },
    async (req) => {
      const caller = await app.guards.requireSessionCaller(req, req.params.id);
      return caller.speaker ? toSession(caller.session, base(req)) : toPublicSession(caller.session);
    },
  );

  app.put(
    '/api/sessions/:id',
    {
      schema: {
        tags,
        summary: 'Change title/settings (host) or start/end it (host, presenter)',
        params: idParams,
        body: updateSessionBodySchema,
        response: { 200: sessionSchema },
      },
    },
    async (req) => {
      // An invited presenter may start and end the session, nothing else (docs/security.md).
      const caller = await app.guards.requireSessionCaller(req, req.params.id);
      const body = req.body;
      if (caller.kind === 'participant') {
        if (!caller.speaker || body.title !== undefined || body.settings !== undefined) {
          throw forbidden('Only the session’s host can change its settings.');
        }
        return sessions.update(caller.session.host_id, caller.session.id, body, base(req));
      }
      return sessions.update(caller.claims.userId, req.params.id, body, base(req));
    },
  );

  app.delete(
    '/api/sessions/:id',
    {
      schema: {
        tags,
        summary: 'Delete the session and all its data (host)',
        params: idParams,
        response: noContent,
      },
    },
    async (req, reply) => {
      const { claims } = await app.guards.requireHost(req, req.params.id);
      await sessions.remove(claims.userId, req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/sessions/:id/me',
    {
      schema: {
        tags,
        summary: 'The calling participant',
        params: idParams,
        response: { 200: meResponseSchema },
      },
    },
    async (req) => {
      const { participant, session } = await app.guards.requireParticipant(req, req.params.id);
      return {
        participant: {
          ...toParticipant(participant, false),
          displayName: participant.display_name,
          anonymous: participant.anonymous,
        },
        session: toPublicSession(session),
      };
    },
  );

  app.put(
    '/api/sessions/:id/me',
    {
      schema: {
        tags,
        summary: 'Rename oneself (participants)',
        params: idParams,
        body: updateMeBodySchema,
        response: { 200: updateMeResponseSchema },
      },
    },
    async (req) => {
      const { participant } = await app.guards.requireParticipant(req, req.params.id);
      const row = await sessions.rename(participant, req.body.displayName);
      return {
        participant: {
          ...toParticipant(row, false),
          displayName: row.display_name,
          anonymous: row.anonymous,
        },
      };
    },
  );

  app.delete(
    '/api/sessions/:id/participants/me',
    {
      schema: {
        tags,
        summary:
          'Erase oneself from the session (participants): name, signals, questions and votes go; the anonymous per-second aggregates stay; open sockets close with 4410',
        params: idParams,
        response: noContent,
      },
    },
    async (req, reply) => {
      const { participant } = await app.guards.requireParticipant(req, req.params.id);
      await sessions.eraseParticipant(participant);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/sessions/:id/participants',
    {
      schema: {
        tags,
        summary: 'Who is there (listeners see no levels, and nobody in an anonymous session)',
        params: idParams,
        response: { 200: participantListSchema },
      },
    },
    async (req) => {
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
    },
  );
}
