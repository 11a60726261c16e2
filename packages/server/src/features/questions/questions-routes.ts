import {
  askQuestionBodySchema,
  questionListSchema,
  questionResponseSchema,
  questionsExportQuerySchema,
  questionsExportSchema,
  questionsQuerySchema,
  updateQuestionBodySchema,
  voteResponseSchema,
} from '@rstream/protocol';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { forbidden } from '../../errors.js';
import type { SessionCaller } from '../../http/caller.js';
import type { FeatureApp } from '../../http/feature.js';
import { toCsv, type Viewer } from './questions-view.js';

const sessionParams = z.object({ id: z.string().describe('session id') });
const questionParams = sessionParams.extend({ questionId: z.string().describe('question id') });
const tags = ['questions'];

/** The host and invited presenters are the speakers' side; everyone else is a listener. */
export function viewerOf(caller: SessionCaller): Viewer {
  if (caller.kind === 'host') return { kind: 'speaker', participantId: null };
  if (caller.participant.role === 'presenter')
    return { kind: 'speaker', participantId: caller.participant.id };
  return { kind: 'listener', participantId: caller.participant.id };
}

/**
 * /api/sessions/:id/questions/*. Each route's schema is its validation, its serialisation and its
 * entry in /api/openapi.json; who may call it is checked first thing in the handler.
 */
export function registerQuestionRoutes(app: FeatureApp) {
  const { guards, questions } = app;

  const requireSpeaker = async (req: FastifyRequest, sessionId: string) => {
    const caller = await guards.requireSessionCaller(req, sessionId);
    if (viewerOf(caller).kind !== 'speaker') throw forbidden('Only the speaker can do this.');
    return caller;
  };

  app.post(
    '/api/sessions/:id/questions',
    {
      schema: {
        tags,
        summary: 'Ask (participants); the same text again answers 200 with the existing question',
        params: sessionParams,
        body: askQuestionBodySchema,
        response: { 200: questionResponseSchema, 201: questionResponseSchema },
      },
    },
    async (req, reply) => {
      const caller = await guards.requireSessionCaller(req, req.params.id);
      if (caller.kind !== 'participant')
        throw forbidden('Questions are asked by participants; join the session to ask.');
      const { question, created } = await questions.ask(
        caller.session,
        caller.participant.id,
        req.body.content,
      );
      return reply.code(created ? 201 : 200).send(created ? { question } : { question, duplicate: true });
    },
  );

  app.get(
    '/api/sessions/:id/questions',
    {
      schema: {
        tags,
        summary: 'The questions as this caller may see them',
        params: sessionParams,
        querystring: questionsQuerySchema,
        response: { 200: questionListSchema },
      },
    },
    async (req) => {
      const caller = await guards.requireSessionCaller(req, req.params.id);
      return { questions: await questions.list(caller.session, viewerOf(caller), req.query.sort) };
    },
  );

  app.get(
    '/api/sessions/:id/questions/export',
    {
      schema: {
        tags,
        summary: 'Every question of the session, as JSON or CSV (host)',
        params: sessionParams,
        querystring: questionsExportQuerySchema,
        response: { 200: questionsExportSchema.or(z.string().describe('text/csv')) },
      },
    },
    async (req, reply) => {
      const caller = await guards.requireSessionCaller(req, req.params.id);
      if (caller.kind !== 'host') throw forbidden('Only the session’s host can export its questions.');
      const list = await questions.export(caller.session);
      const name = `questions-${caller.session.code}`;
      if (req.query.format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(toCsv(list));
      }
      return reply.header('content-disposition', `attachment; filename="${name}.json"`).send({
        session: { id: caller.session.id, code: caller.session.code, title: caller.session.title },
        questions: list,
      });
    },
  );

  app.put(
    '/api/sessions/:id/questions/:questionId',
    {
      schema: {
        tags,
        summary: 'Answer, hide, pin or approve (host and presenters)',
        params: questionParams,
        body: updateQuestionBodySchema,
        response: { 200: questionResponseSchema },
      },
    },
    async (req) => {
      const caller = await requireSpeaker(req, req.params.id);
      return { question: await questions.update(caller.session, req.params.questionId, req.body) };
    },
  );

  for (const [method, on] of [
    ['POST', true],
    ['DELETE', false],
  ] as const) {
    app.route({
      method,
      url: '/api/sessions/:id/questions/:questionId/vote',
      schema: {
        tags,
        summary: on ? 'Vote for a question (participants)' : 'Take one’s vote back',
        params: questionParams,
        response: { 200: voteResponseSchema },
      },
      handler: async (req) => {
        const caller = await guards.requireSessionCaller(req, req.params.id);
        if (caller.kind !== 'participant') throw forbidden('Votes come from participants.');
        return questions.vote(caller.session, caller.participant.id, req.params.questionId, on);
      },
    });
  }
}
