import { randomUUID } from 'node:crypto';
import {
  compareQuestions,
  questionContentSchema,
  QUESTION_RATE_MAX,
  QUESTION_RATE_WINDOW_MS,
  type Question,
  type UpdateQuestionBody,
} from '@rstream/protocol';
import type { Logger } from 'pino';
import { AppError, conflict, validationError } from '../../errors.js';
import type { Hub } from '../../realtime/hub.js';
import type { SessionRow } from '../sessions/sessions-repo.js';
import { isUuid, readSettings } from '../sessions/sessions-view.js';
import { createQuestionsAnnouncer } from './questions-announce.js';
import type { QuestionsFanout } from './questions-fanout.js';
import type { QuestionPatch, QuestionRow, QuestionsRepo } from './questions-repo.js';
import { listenerMaySee, toQuestion, type Viewer } from './questions-view.js';

export interface QuestionsServiceDeps {
  repo: QuestionsRepo;
  hub: Hub;
  fanout: QuestionsFanout;
  log: Logger;
  /** vote counts are sent at most this often per question (votes from a big audience would be N²) */
  voteCoalesceMs?: number;
  rate?: { max: number; windowMs: number };
}

export const questionsDisabled = () =>
  new AppError(403, 'QUESTIONS_DISABLED', 'Questions are turned off in this session.');
export const questionNotFound = () =>
  new AppError(404, 'QUESTION_NOT_FOUND', 'No such question in this session.');
const sessionEnded = () => conflict('SESSION_ENDED', 'The session has ended.');

/** "Same text" for duplicate detection: case and spacing do not count. */
const sameText = (a: string, b: string) =>
  a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();

const isUniqueViolation = (e: unknown) => (e as { code?: string } | null)?.code === '23505';

export function createQuestionsService(deps: QuestionsServiceDeps) {
  const { repo, hub, fanout } = deps;
  const rate = deps.rate ?? { max: QUESTION_RATE_MAX, windowMs: QUESTION_RATE_WINDOW_MS };

  const { announce, scheduleVoteUpdate, forgetVotes, ownCopy, anonymousOf, flushPending } =
    createQuestionsAnnouncer({
      repo,
      fanout,
      log: deps.log,
      coalesceMs: deps.voteCoalesceMs ?? 200,
    });

  async function loadVisible(session: SessionRow, viewer: Viewer, questionId: string): Promise<QuestionRow> {
    const row = isUuid(questionId) ? await repo.findInSession(session.id, questionId) : undefined;
    if (!row) throw questionNotFound();
    if (viewer.kind === 'listener' && !listenerMaySee(row, viewer.participantId)) throw questionNotFound();
    return row;
  }

  return {
    /**
     * A participant asks. The same text twice in a row is one question (returned, created: false).
     * Stores when in the session it was asked and the asker's level at that moment.
     */
    async ask(
      session: SessionRow,
      participantId: string,
      rawContent: string,
    ): Promise<{ question: Question; created: boolean }> {
      const parsed = questionContentSchema.safeParse(rawContent);
      if (!parsed.success) throw validationError(parsed.error, 'question');
      const content = parsed.data;
      if (session.status === 'ended') throw sessionEnded();
      const settings = readSettings(session.settings);
      if (!settings.questionsEnabled) throw questionsDisabled();
      const room = await hub.getRoom(session.id);
      const askedAt = Date.now();
      const t =
        session.status === 'live' && session.started_at
          ? Math.max(0, askedAt - new Date(session.started_at).getTime())
          : null;

      const result = await repo.transaction(async (r) => {
        const asker = await r.lockParticipant(participantId);
        if (!asker) throw new AppError(403, 'FORBIDDEN', 'Only participants of this session ask questions.');
        const last = await r.lastOfParticipant(session.id, participantId);
        if (last && sameText(last.content, content)) return { row: last, created: false };
        const recent = await r.recentAskTimes(participantId, rate.windowMs);
        if (recent.times.length >= rate.max) {
          const retryAfterMs = Math.max(
            1,
            recent.times[recent.times.length - rate.max]! + rate.windowMs - recent.now,
          );
          throw new AppError(
            429,
            'RATE_LIMITED',
            `At most ${rate.max} questions per ${rate.windowMs / 1000} s; try again in ${Math.ceil(retryAfterMs / 1000)} s.`,
            { retryAfterMs },
          );
        }
        const row = await r.insert({
          id: randomUUID(),
          session_id: session.id,
          participant_id: participantId,
          content,
          approved: !settings.questionsModeration,
          t_ms: t,
          asker_level: room?.levelOf(participantId) ?? asker.level,
        });
        return { row, created: true };
      });

      if (result.created) announce(session, null, result.row);
      else
        fanout.publish({
          sessionId: session.id,
          personal: [
            { participantId, message: { type: 'question:new', question: ownCopy(session, result.row) } },
          ],
        });
      return { question: ownCopy(session, result.row), created: result.created };
    },

    async list(session: SessionRow, viewer: Viewer, sort: 'votes' | 'time' = 'votes'): Promise<Question[]> {
      const sessionAnonymous = anonymousOf(session);
      const rows = await repo.listOfSession(session.id);
      const me = viewer.participantId;
      const voted = me ? await repo.votedBy(session.id, me) : new Set<string>();
      const out: Question[] = [];
      for (const row of rows) {
        if (viewer.kind === 'listener' && !listenerMaySee(row, viewer.participantId)) continue;
        out.push(
          toQuestion(row, {
            sessionAnonymous,
            audience: viewer.kind,
            mine: me ? row.participant_id === me : undefined,
            votedByMe: me ? voted.has(row.id) : undefined,
          }),
        );
      }
      return out.sort(compareQuestions(sort));
    },

    /** The speaker answers, hides, pins or approves. */
    async update(session: SessionRow, questionId: string, body: UpdateQuestionBody): Promise<Question> {
      const before = await loadVisible(session, { kind: 'speaker', participantId: null }, questionId);
      const patch: QuestionPatch = {};
      const answer = body.answer === undefined ? undefined : body.answer || null;
      if (answer !== undefined) patch.answer = answer;
      const status = body.status ?? (answer ? 'answered' : undefined);
      if (status !== undefined) patch.status = status;
      const finalStatus = status ?? before.status;
      if (status === 'answered') {
        patch.answered_at =
          before.status === 'answered' && before.answered_at ? before.answered_at : new Date();
        patch.approved = true;
      } else if (status !== undefined) {
        patch.answered_at = null;
      }
      if (body.approved !== undefined) patch.approved = body.approved;
      if (finalStatus === 'hidden') patch.pinned = false;
      if (body.pinned !== undefined) {
        if (body.pinned && finalStatus === 'hidden')
          throw conflict('INVALID_STATUS_CHANGE', 'A hidden question cannot be pinned; show it first.');
        patch.pinned = body.pinned;
        if (body.pinned) patch.approved = true;
      }
      if (body.approved === false && finalStatus === 'answered') {
        throw conflict(
          'INVALID_STATUS_CHANGE',
          'An answered question is shown to everyone; it cannot be unapproved.',
        );
      }

      let unpinned: QuestionRow[] = [];
      let after: QuestionRow;
      try {
        ({ after, unpinned } = await repo.transaction(async (r) => {
          const ids = patch.pinned ? await r.unpinOthers(session.id, before.id) : [];
          const others = (await Promise.all(ids.map((id) => r.find(id)))).filter(
            (x): x is QuestionRow => x !== undefined,
          );
          const updated = await r.update(before.id, patch);
          if (!updated) throw questionNotFound();
          return { after: updated, unpinned: others };
        }));
      } catch (e) {
        if (isUniqueViolation(e))
          throw conflict(
            'INVALID_STATUS_CHANGE',
            'Another question was pinned at the same moment; try again.',
          );
        throw e;
      }
      for (const u of unpinned) announce(session, { ...u, pinned: true }, u, false);
      announce(session, before, after);
      return toQuestion(after, { sessionAnonymous: anonymousOf(session), audience: 'speaker' });
    },

    /** One vote per participant and question; voting twice changes nothing (idempotent). */
    async vote(
      session: SessionRow,
      participantId: string,
      questionId: string,
      on: boolean,
    ): Promise<{ question: Question; voted: boolean }> {
      if (session.status === 'ended') throw sessionEnded();
      if (!readSettings(session.settings).questionsEnabled) throw questionsDisabled();
      const row = await loadVisible(session, { kind: 'listener', participantId }, questionId);
      if (on && row.status === 'hidden') throw questionNotFound();
      const changed = await repo.transaction((r) =>
        on ? r.addVote(row.id, participantId) : r.removeVote(row.id, participantId),
      );
      if (changed) scheduleVoteUpdate(session, row.id);
      const after = (await repo.find(row.id)) ?? row;
      const question = toQuestion(after, {
        sessionAnonymous: anonymousOf(session),
        audience: 'listener',
        mine: after.participant_id === participantId,
        votedByMe: on,
      });
      return { question, voted: on };
    },

    /** Everything the session collected, the speaker's view, in the order asked. */
    async export(session: SessionRow): Promise<Question[]> {
      const sessionAnonymous = anonymousOf(session);
      const rows = await repo.listOfSession(session.id);
      return rows.map((row) => toQuestion(row, { sessionAnonymous, audience: 'speaker' }));
    },

    /**
     * A participant erased themselves (`participant.erasing`): their questions are deleted and
     * every viewer drops them (`question:removed`). Their votes on others' questions go with their
     * row; the counts stay (anonymous tallies).
     */
    async eraseParticipant(sessionId: string, participantId: string): Promise<number> {
      const ids = await repo.deleteOfParticipant(sessionId, participantId);
      for (const questionId of ids) {
        forgetVotes(questionId);
        const message = { type: 'question:removed' as const, questionId };
        fanout.publish({ sessionId, speakers: message, listeners: message });
      }
      return ids.length;
    },

    /** Sends vote counts still waiting and stops the timer. */
    async close(): Promise<void> {
      await flushPending();
    },
  };
}
export type QuestionsService = ReturnType<typeof createQuestionsService>;
