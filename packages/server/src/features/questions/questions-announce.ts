import type { Question, ServerMessage } from '@rstream/protocol';
import type { Logger } from 'pino';
import type { SessionRow } from '../sessions/sessions-repo.js';
import { readSettings } from '../sessions/sessions-view.js';
import type { QuestionsFanout } from './questions-fanout.js';
import type { QuestionRow, QuestionsRepo } from './questions-repo.js';
import { rowVisibleToListeners, toQuestion } from './questions-view.js';

/**
 * What the questions feature sends: each change to every audience in its own shape, and vote
 * counts coalesced (at most one update per question every `coalesceMs`).
 */
export function createQuestionsAnnouncer(deps: {
  repo: Pick<QuestionsRepo, 'find'>;
  fanout: QuestionsFanout;
  log: Logger;
  coalesceMs: number;
}) {
  const { repo, fanout, coalesceMs } = deps;
  const pendingVotes = new Map<string, SessionRow>();
  let voteTimer: NodeJS.Timeout | null = null;

  const anonymousOf = (session: SessionRow) => readSettings(session.settings).anonymous;
  const audienceOf = (row: QuestionRow) => (row.asker_role === 'presenter' ? 'speaker' : 'listener');

  /** The asker's own copy: their view plus `mine`. */
  const ownCopy = (session: SessionRow, row: QuestionRow, votedByMe?: boolean) =>
    toQuestion(row, {
      sessionAnonymous: anonymousOf(session),
      audience: audienceOf(row),
      mine: true,
      votedByMe,
    });

  /**
   * Tells every audience what changed, each in its own shape: speakers always; listeners when they
   * could see the question before or can now (a withdrawn one arrives without its text); the asker
   * gets their own copy last.
   */
  function announce(
    session: SessionRow,
    before: QuestionRow | null,
    after: QuestionRow,
    personal = true,
  ): void {
    const sessionAnonymous = anonymousOf(session);
    const answeredNow = after.status === 'answered' && before?.status !== 'answered';
    const type = before === null ? 'question:new' : answeredNow ? 'question:answered' : 'question:updated';
    const visBefore = before !== null && rowVisibleToListeners(before);
    const visAfter = rowVisibleToListeners(after);
    const msg = (t: typeof type, question: Question) => ({ type: t, question }) as ServerMessage;
    let listeners: ServerMessage | undefined;
    if (visAfter || visBefore) {
      const t = visAfter && !visBefore ? 'question:new' : type;
      listeners = msg(t, toQuestion(after, { sessionAnonymous, audience: 'listener' }));
    }
    fanout.publish({
      sessionId: session.id,
      speakers: msg(type, toQuestion(after, { sessionAnonymous, audience: 'speaker' })),
      listeners,
      personal:
        personal && after.participant_id
          ? [{ participantId: after.participant_id, message: msg(type, ownCopy(session, after)) }]
          : [],
    });
  }

  async function flushVotes(): Promise<void> {
    voteTimer = null;
    const batch = [...pendingVotes];
    pendingVotes.clear();
    for (const [questionId, session] of batch) {
      const row = await repo.find(questionId);
      if (!row) continue;
      const sessionAnonymous = anonymousOf(session);
      fanout.publish({
        sessionId: session.id,
        speakers: {
          type: 'question:updated',
          question: toQuestion(row, { sessionAnonymous, audience: 'speaker' }),
        },
        listeners: rowVisibleToListeners(row)
          ? {
              type: 'question:updated',
              question: toQuestion(row, { sessionAnonymous, audience: 'listener' }),
            }
          : undefined,
      });
    }
  }

  function scheduleVoteUpdate(session: SessionRow, questionId: string): void {
    pendingVotes.set(questionId, session);
    voteTimer ??= setTimeout(() => {
      flushVotes().catch((err) => deps.log.error({ err }, 'sending vote counts failed'));
    }, coalesceMs);
  }

  /** Sends vote counts still waiting and stops the timer. */
  async function flushPending(): Promise<void> {
    if (voteTimer) clearTimeout(voteTimer);
    if (pendingVotes.size > 0) await flushVotes().catch(() => {});
    voteTimer = null;
  }

  /** A deleted question's vote count is not sent any more. */
  const forgetVotes = (questionId: string) => void pendingVotes.delete(questionId);

  return { announce, scheduleVoteUpdate, forgetVotes, ownCopy, anonymousOf, flushPending };
}
