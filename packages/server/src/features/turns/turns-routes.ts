import { listenersSeeWholeGraph, type TurnsResponse } from '@rstream/protocol';
import type { FastifyInstance } from 'fastify';
import type { Guards } from '../../http/caller.js';
import { readSettings } from '../sessions/sessions-service.js';
import type { TurnsService } from './turns-service.js';

type IdParams = { Params: { id: string } };

/** Listeners who may not see the graph see who spoke when, not how it was received. */
function withoutFigures(r: TurnsResponse): TurnsResponse {
  return {
    ...r,
    turns: r.turns.map((t) => ({ ...t, avg: null, n: 0, delta: null })),
    speakers: r.speakers.map((s) => ({ ...s, avg: null, best: null, worst: null })),
  };
}

export function registerTurnRoutes(app: FastifyInstance, deps: { guards: Guards; turns: TurnsService }) {
  app.get<IdParams>('/api/sessions/:id/turns', async (req) => {
    const caller = await deps.guards.requireSessionCaller(req, req.params.id);
    const result = await deps.turns.list(caller.session);
    const seesFigures = caller.speaker || listenersSeeWholeGraph(readSettings(caller.session.settings));
    return seesFigures ? result : withoutFigures(result);
  });
}
