import { useEffect, useMemo, useRef } from 'react';
import type { Question } from '@rstream/protocol';
import { formatDuration } from '../../ui/format';
import { usePlaybackT } from './strings';

/** Questions asked within this window around the cursor are highlighted. */
export const NEAR_BEFORE_MS = 45_000;
export const NEAR_AFTER_MS = 15_000;

/** The last question asked at or before t (the one the pane keeps in view); -1 before the first. */
export function activeQuestionIndex(sorted: readonly { t: number | null }[], t: number): number {
  let found = -1;
  for (let i = 0; i < sorted.length; i++) {
    const qt = sorted[i]?.t;
    if (qt === null || qt === undefined || qt > t) break;
    found = i;
  }
  return found;
}

interface Props {
  questions: Question[];
  cursorT: number;
  onSeek: (t: number) => void;
}

/** Questions in the order they were asked, following the playback. */
export function PlaybackQuestions({ questions, cursorT, onSeek }: Props) {
  const pt = usePlaybackT();
  const listRef = useRef<HTMLOListElement>(null);
  const userScrolledAt = useRef(0);
  const sorted = useMemo(
    () =>
      questions
        .filter((q) => q.t !== null && q.status !== 'hidden' && q.content)
        .sort((a, b) => (a.t ?? 0) - (b.t ?? 0)),
    [questions],
  );
  const active = activeQuestionIndex(sorted, cursorT);

  // Scroll the pane (not the page) to the current question, unless the person just scrolled it.
  useEffect(() => {
    const list = listRef.current;
    if (!list || Date.now() - userScrolledAt.current < 4000) return;
    const item = list.querySelector<HTMLElement>(`[data-index="${Math.max(0, active)}"]`);
    if (!item) return;
    const top = item.offsetTop - list.offsetTop - list.clientHeight / 3;
    list.scrollTo({ top: Math.max(0, top), behavior: 'smooth' });
  }, [active]);

  return (
    <section
      aria-labelledby="pb-questions"
      className="flex min-h-0 flex-col rounded-2xl border border-line bg-white p-4 shadow-sm"
    >
      <h2 id="pb-questions" className="mb-2 text-lg font-bold">
        {pt('pb.questions')} <span className="text-base font-normal text-muted">({sorted.length})</span>
      </h2>
      {sorted.length === 0 ? (
        <p className="text-muted">{pt('pb.questionsNone')}</p>
      ) : (
        <ol
          ref={listRef}
          onWheel={() => (userScrolledAt.current = Date.now())}
          onTouchMove={() => (userScrolledAt.current = Date.now())}
          className="relative flex max-h-[36vh] flex-col gap-2 overflow-y-auto pr-1"
          data-testid="playback-questions"
        >
          {sorted.map((q, i) => {
            const qt = q.t ?? 0;
            const near = qt >= cursorT - NEAR_BEFORE_MS && qt <= cursorT + NEAR_AFTER_MS;
            return (
              <li
                key={q.id}
                data-index={i}
                data-testid="playback-question"
                data-near={near}
                aria-current={i === active ? 'true' : undefined}
                className={`rounded-xl border p-3 transition-colors ${
                  near ? 'border-amber-400 bg-amber-50' : 'border-line'
                } ${i === active ? 'ring-2 ring-amber-400' : ''}`}
              >
                <button
                  type="button"
                  onClick={() => onSeek(qt)}
                  className="mb-1 rounded-md bg-slate-100 px-2 py-0.5 font-mono text-sm font-semibold tabular-nums text-slate-700 hover:bg-slate-200"
                  aria-label={pt('pb.questionAt', { time: formatDuration(qt) })}
                >
                  ▶ {formatDuration(qt)}
                </button>
                <p className="whitespace-pre-wrap break-words">{q.content}</p>
                <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-muted">
                  <span>{pt('pb.votes', { n: q.votes })}</span>
                  {q.askerName && <span>{q.askerName}</span>}
                  {q.status === 'answered' && (
                    <span className="font-semibold text-emerald-800">{pt('pb.answered')}</span>
                  )}
                </p>
                {q.answer && <p className="mt-1 border-l-2 border-emerald-600 pl-2 text-sm">{q.answer}</p>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
