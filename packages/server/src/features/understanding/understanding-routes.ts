import { historyQuerySchema, historyResponseSchema, setUnderstandingBodySchema } from '@rstream/protocol';
import { z } from 'zod';
import { badRequest, forbidden } from '../../errors.js';
import type { FeatureApp } from '../../http/feature.js';

const idParams = z.object({ id: z.string().describe('session id') });
const tags = ['understanding'];

/** The guards and the hub are read when a request arrives (their plugins register later). */
export function registerUnderstandingRoutes(app: FeatureApp) {
  const { understanding, sessions } = app;

  // The HTTP fallback of the WebSocket `understanding:set`.
  app.post(
    '/api/sessions/:id/understanding',
    {
      schema: {
        tags,
        summary: 'Signal one’s understanding 1–5 (listeners; the WebSocket is the usual way)',
        params: idParams,
        body: setUnderstandingBodySchema,
        response: { 202: setUnderstandingBodySchema },
      },
    },
    async (req, reply) => {
      const { participant } = await app.guards.requireParticipant(req, req.params.id);
      // As on the WebSocket: presenters watch the graph, they are not counted in it.
      if (participant.role !== 'listener') throw forbidden('Only listeners signal their understanding.');
      const { level } = req.body;
      await app.hub.setLevelById(participant.session_id, participant.id, level);
      return reply.code(202).send({ level });
    },
  );

  app.get(
    '/api/sessions/:id/understanding',
    {
      schema: {
        tags,
        summary: 'The history graph (per-listener lines for the speakers)',
        params: idParams,
        querystring: historyQuerySchema,
        response: { 200: historyResponseSchema },
      },
    },
    async (req) => {
      const caller = await app.guards.requireSessionCaller(req, req.params.id);
      const q = req.query;
      const viewer = caller.speaker ? 'host' : 'listener';
      const withParticipants = viewer === 'host' && q.participants !== '0' && q.participants !== 'false';
      const participants = withParticipants ? await sessions.listParticipantRows(caller.session.id) : [];
      if (q.axis && q.axis !== 'session') {
        const axis = understanding.axis(q.axis);
        if (!axis)
          throw badRequest(`No ${q.axis} axis for this session.`, [{ path: 'axis', message: 'unknown' }]);
        return axis(
          caller.session,
          participants,
          { from: q.from, to: q.to, step: q.step, withParticipants },
          viewer,
        );
      }
      return understanding.history(
        caller.session,
        participants,
        { from: q.from, to: q.to, step: q.step, withParticipants },
        viewer,
      );
    },
  );
}
