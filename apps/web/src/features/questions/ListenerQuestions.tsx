import { useEffect } from 'react';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import type { RealtimeClient } from '../../realtime/client';
import { QuestionBox } from './QuestionBox';
import { QuestionList } from './QuestionList';
import { PinnedQuestion } from './PinnedQuestion';
import { useQuestionsT } from './strings';
import { questionError, useQuestions } from './useQuestions';

interface Props {
  sessionId: string;
  participantToken: string;
  client: RealtimeClient | null;
  enabled: boolean;
  ended: boolean;
  /** where the pinned question is shown (the top of the listener's screen) */
  pinnedSlot?: HTMLElement | null;
}

/** The listener's question box and the questions everyone may see. */
export function ListenerQuestions({
  sessionId,
  participantToken,
  client,
  enabled,
  ended,
  pinnedSlot,
}: Props) {
  const qt = useQuestionsT();
  const { t } = useI18n();
  const q = useQuestions({ sessionId, role: 'listener', bearer: participantToken, client, enabled });
  const { fresh } = q.snapshot;
  // The highlight of newly arrived questions fades after a while.
  useEffect(() => {
    if (fresh.size === 0) return;
    const ids = [...fresh];
    const timer = setTimeout(() => ids.forEach((id) => q.store.unfresh(id)), 8000);
    return () => clearTimeout(timer);
  }, [fresh, q.store]);
  const describe = (err: unknown) => questionError(err, qt, (e) => errorMessage(e, t));
  if (!enabled && q.snapshot.questions.length === 0) return null;
  const canAsk = enabled && !ended;
  return (
    <>
      <PinnedQuestion slot={pinnedSlot ?? null} questions={q.snapshot.questions} qt={qt} />
      <section
        aria-labelledby="listener-questions-title"
        className="rounded-2xl border border-line bg-white p-4 shadow-sm"
        data-testid="listener-questions"
      >
        <h2 id="listener-questions-title" className="mb-2 text-lg font-bold">
          {qt('q.title')} <span className="font-normal text-muted">({q.snapshot.questions.length})</span>
        </h2>
        <QuestionBox
          qt={qt}
          canAsk={canAsk}
          closedReason={!enabled ? qt('q.off') : ended ? qt('q.ended') : null}
          describeError={describe}
          onAsk={async (content) => {
            const r = await q.ask(content);
            return { pending: !r.question.approved, duplicate: r.duplicate === true };
          }}
        />
        <QuestionList
          qt={qt}
          questions={q.snapshot.questions}
          fresh={q.snapshot.fresh}
          lastArrived={q.snapshot.lastArrived}
          canVote={canAsk}
          onVote={async (id, on) => {
            await q.vote(id, on);
          }}
        />
      </section>
    </>
  );
}
