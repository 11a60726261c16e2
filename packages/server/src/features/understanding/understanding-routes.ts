import { historyQuerySchema, setUnderstandingBodySchema } from '@rstream/protocol';
import { forbidden } from '../../errors.js';
import type { FeatureApp } from '../../http/feature.js';
import { parse } from '../../http/validate.js';

type IdParams = { Params: { id: string } };

/** The guards and the hub are read when a request arrives (their plugins register later). */
export function registerUnderstandingRoutes(app: FeatureApp) {
  const { understanding, sessions } = app;

  // The HTTP fallback of the WebSocket `understanding:set`.
  app.post<IdParams>('/api/sessions/:id/understanding', async (req, reply) => {
    const { participant } = await app.guards.requireParticipant(req, req.params.id);
    // As on the WebSocket: presenters watch the graph, they are not counted in it.
    if (participant.role !== 'listener') throw forbidden('Only listeners signal their understanding.');
    const { level } = parse(setUnderstandingBodySchema, req.body);
    await app.hub.setLevelById(participant.session_id, participant.id, level);
    return reply.code(202).send({ level });
  });

  app.get<IdParams>('/api/sessions/:id/understanding', async (req) => {
    const caller = await app.guards.requireSessionCaller(req, req.params.id);
    const q = parse(historyQuerySchema, req.query, 'query');
    const viewer = caller.speaker ? 'host' : 'listener';
    const withParticipants = viewer === 'host' && q.participants !== '0' && q.participants !== 'false';
    const participants = withParticipants ? await sessions.listParticipantRows(caller.session.id) : [];
    return understanding.history(
      caller.session,
      participants,
      { from: q.from, to: q.to, step: q.step, withParticipants },
      viewer,
    );
  });
}
