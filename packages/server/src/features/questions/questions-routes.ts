import {
  askQuestionBodySchema,
  questionsExportQuerySchema,
  questionsQuerySchema,
  updateQuestionBodySchema,
} from '@rstream/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden } from '../../errors.js';
import type { Guards, SessionCaller } from '../../http/caller.js';
import { parse } from '../../http/validate.js';
import type { QuestionsService } from './questions-service.js';
import { toCsv, type Viewer } from './questions-view.js';

type IdParams = { Params: { id: string } };
type QuestionParams = { Params: { id: string; questionId: string } };

/** The host and invited presenters are the speakers' side; everyone else is a listener. */
export function viewerOf(caller: SessionCaller): Viewer {
  if (caller.kind === 'host') return { kind: 'speaker', participantId: null };
  if (caller.participant.role === 'presenter')
    return { kind: 'speaker', participantId: caller.participant.id };
  return { kind: 'listener', participantId: caller.participant.id };
}

export function registerQuestionRoutes(
  app: FastifyInstance,
  deps: { guards: Guards; questions: QuestionsService },
) {
  const { guards, questions } = deps;

  const requireSpeaker = async (req: FastifyRequest, sessionId: string) => {
    const caller = await guards.requireSessionCaller(req, sessionId);
    if (viewerOf(caller).kind !== 'speaker') throw forbidden('Only the speaker can do this.');
    return caller;
  };

  app.post<IdParams>('/api/sessions/:id/questions', async (req, reply) => {
    const caller = await guards.requireSessionCaller(req, req.params.id);
    if (caller.kind !== 'participant')
      throw forbidden('Questions are asked by participants; join the session to ask.');
    const { content } = parse(askQuestionBodySchema, req.body);
    const { question, created } = await questions.ask(caller.session, caller.participant.id, content);
    // The same text again is the same question: 200 with the existing one.
    return reply.code(created ? 201 : 200).send(created ? { question } : { question, duplicate: true });
  });

  app.get<IdParams>('/api/sessions/:id/questions', async (req) => {
    const caller = await guards.requireSessionCaller(req, req.params.id);
    const q = parse(questionsQuerySchema, req.query, 'query');
    return { questions: await questions.list(caller.session, viewerOf(caller), q.sort) };
  });

  app.get<IdParams>('/api/sessions/:id/questions/export', async (req, reply) => {
    const caller = await guards.requireSessionCaller(req, req.params.id);
    if (caller.kind !== 'host') throw forbidden('Only the session’s host can export its questions.');
    const { format } = parse(questionsExportQuerySchema, req.query, 'query');
    const list = await questions.export(caller.session);
    const name = `questions-${caller.session.code}`;
    if (format === 'csv') {
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.csv"`)
        .send(toCsv(list));
    }
    return reply.header('content-disposition', `attachment; filename="${name}.json"`).send({
      session: { id: caller.session.id, code: caller.session.code, title: caller.session.title },
      questions: list,
    });
  });

  app.put<QuestionParams>('/api/sessions/:id/questions/:questionId', async (req) => {
    const caller = await requireSpeaker(req, req.params.id);
    const body = parse(updateQuestionBodySchema, req.body);
    return { question: await questions.update(caller.session, req.params.questionId, body) };
  });

  const vote = (on: boolean) => async (req: FastifyRequest<QuestionParams>) => {
    const caller = await guards.requireSessionCaller(req, req.params.id);
    if (caller.kind !== 'participant') throw forbidden('Votes come from participants.');
    return questions.vote(caller.session, caller.participant.id, req.params.questionId, on);
  };
  app.post<QuestionParams>('/api/sessions/:id/questions/:questionId/vote', vote(true));
  app.delete<QuestionParams>('/api/sessions/:id/questions/:questionId/vote', vote(false));
}
