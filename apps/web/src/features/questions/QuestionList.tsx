import { useState } from 'react';
import type { Question } from '@rstream/protocol';
import { formatDuration } from '../../ui/format';
import { PinIcon } from './icons';
import type { QT } from './strings';

interface Props {
  qt: QT;
  questions: Question[];
  fresh: ReadonlySet<string>;
  lastArrived: Question | null;
  canVote: boolean;
  onVote: (id: string, on: boolean) => Promise<void>;
}

/** The questions a listener may see: votes with one click, answers, my own marked. */
export function QuestionList({ qt, questions, fresh, lastArrived, canVote, onVote }: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const vote = async (q: Question) => {
    setBusy(q.id);
    try {
      await onVote(q.id, !q.votedByMe);
    } catch {
      // The count stays as it was; the next update shows the truth.
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <p aria-live="polite" aria-atomic="true" className="sr-only" data-testid="questions-announcer">
        {lastArrived
          ? qt(lastArrived.status === 'answered' ? 'q.announceAnswered' : 'q.announce', {
              q: lastArrived.content,
            })
          : ''}
      </p>
      {questions.length === 0 ? (
        <p className="text-muted">{canVote ? qt('q.noneListener') : qt('q.none')}</p>
      ) : (
        <ol className="flex flex-col gap-2" data-testid="questions-list">
          {questions.map((q) => {
            const answered = q.status === 'answered';
            const pending = !q.approved && q.status !== 'hidden';
            return (
              <li
                key={q.id}
                data-testid="question-item"
                data-question-id={q.id}
                data-votes={q.votes}
                data-status={q.status}
                data-mine={q.mine === true}
                data-pinned={q.pinned}
                className={`flex items-start gap-3 rounded-xl border p-3 ${q.pinned ? 'border-brand bg-sky-50' : 'border-line'} ${
                  fresh.has(q.id) ? 'ring-2 ring-amber-400/70' : ''
                } ${q.status === 'hidden' ? 'opacity-60' : ''}`}
              >
                <button
                  type="button"
                  data-testid="question-vote"
                  aria-pressed={q.votedByMe === true}
                  aria-label={`${qt(q.votedByMe ? 'q.unvote' : 'q.vote')} (${qt('q.votes', { n: q.votes })})`}
                  disabled={!canVote || busy === q.id || q.status === 'hidden' || pending}
                  onClick={() => void vote(q)}
                  className={`flex min-h-[3rem] min-w-[3rem] flex-col items-center justify-center rounded-lg border-2 px-2 font-black transition-colors disabled:opacity-50 ${
                    q.votedByMe
                      ? 'border-brand bg-brand text-white'
                      : 'border-slate-400 bg-white text-ink hover:bg-slate-100'
                  }`}
                >
                  <span aria-hidden className="text-xs leading-none">
                    ▲
                  </span>
                  <span className="text-lg leading-tight">{q.votes}</span>
                </button>
                <div className="min-w-0 flex-1">
                  <p className="whitespace-pre-wrap break-words font-semibold" data-testid="question-content">
                    {q.content}
                  </p>
                  <p className="mt-1 flex flex-wrap gap-x-2 gap-y-1 text-xs text-muted">
                    {q.pinned && (
                      <span className="inline-flex items-center gap-1 font-bold text-brand">
                        <PinIcon /> {qt('q.pinned')}
                      </span>
                    )}
                    {q.mine && (
                      <span
                        className="rounded bg-indigo-100 px-1.5 font-bold text-indigo-900"
                        data-testid="question-mine"
                      >
                        {qt('q.mine')}
                      </span>
                    )}
                    {pending && (
                      <span
                        className="rounded bg-amber-100 px-1.5 font-bold text-amber-900"
                        data-testid="question-pending"
                      >
                        {qt('q.pending')}
                      </span>
                    )}
                    {q.status === 'hidden' && <span className="font-bold">{qt('q.hiddenMine')}</span>}
                    {answered && (
                      <span className="rounded bg-emerald-100 px-1.5 font-bold text-emerald-900">
                        ✓ {qt('q.answered')}
                      </span>
                    )}
                    {q.askerName && !q.mine && <span>{q.askerName}</span>}
                    {q.t !== null && <span>{formatDuration(q.t)}</span>}
                  </p>
                  {answered && q.answer && (
                    <p
                      className="mt-1 rounded-lg bg-emerald-50 px-2 py-1 text-sm"
                      data-testid="question-answer"
                    >
                      <span className="font-bold">{qt('q.answer')}:</span> {q.answer}
                    </p>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}
