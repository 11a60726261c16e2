import { listenersSeeWholeGraph, turnsResponseSchema, type TurnsResponse } from '@rstream/protocol';
import { z } from 'zod';
import type { FeatureApp } from '../../http/feature.js';
import { readSettings } from '../sessions/sessions-view.js';

const sessionParams = z.object({ id: z.string().describe('session id') });

/** Listeners who may not see the graph see who spoke when, not how it was received. */
function withoutFigures(r: TurnsResponse): TurnsResponse {
  return {
    ...r,
    turns: r.turns.map((t) => ({ ...t, avg: null, n: 0, delta: null })),
    speakers: r.speakers.map((s) => ({ ...s, avg: null, best: null, worst: null })),
  };
}

export function registerTurnRoutes(app: FeatureApp) {
  const { guards, turns } = app;
  app.get(
    '/api/sessions/:id/turns',
    {
      schema: {
        tags: ['turns'],
        summary:
          'Discussion turns with per-turn figures (speaker excluded, reaction lag applied) and per-speaker totals',
        params: sessionParams,
        response: { 200: turnsResponseSchema },
      },
    },
    async (req) => {
      const caller = await guards.requireSessionCaller(req, req.params.id);
      const result = await turns.list(caller.session);
      const seesFigures = caller.speaker || listenersSeeWholeGraph(readSettings(caller.session.settings));
      return seesFigures ? result : withoutFigures(result);
    },
  );
}
