import { useEffect, useRef, useState } from 'react';
import type { Question } from '@rstream/protocol';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import type { RealtimeClient } from '../../realtime/client';
import { Button } from '../../ui/Button';
import { LevelBadge } from '../../ui/LevelBadge';
import { formatDuration } from '../../ui/format';
import { PinIcon } from './icons';
import { useQuestionsT, type QT } from './strings';
import { questionError, questionsApi, useQuestions } from './useQuestions';

const FRESH_MS = 8000;

interface Props {
  sessionId: string;
  client: RealtimeClient | null;
  enabled: boolean;
  /** an invited presenter's participant token; the host's account otherwise */
  bearer?: string;
  /** the session has ended: the questions are shown, nothing can be answered, pinned or hidden */
  readOnly?: boolean;
}

/** The speaker's questions: sorted by votes or time, new ones highlighted, answer/hide/pin/approve. */
export function QuestionsPanel({ sessionId, client, enabled, bearer, readOnly }: Props) {
  const qt = useQuestionsT();
  const { t } = useI18n();
  const q = useQuestions({ sessionId, role: 'speaker', bearer, client });
  const { questions, unread, fresh, lastArrived } = q.snapshot;
  const [error, setError] = useState<string | null>(null);
  const [showHidden, setShowHidden] = useState(false);
  // Open questions first: what is answered moves down (the sort holds within each group).
  const visible = [
    ...questions.filter((x) => x.status === 'open'),
    ...questions.filter((x) => x.status === 'answered'),
  ];
  const hidden = questions.filter((x) => x.status === 'hidden');

  // The highlight fades after a while.
  useEffect(() => {
    if (fresh.size === 0) return;
    const ids = [...fresh];
    const timer = setTimeout(() => ids.forEach((id) => q.store.unfresh(id)), FRESH_MS);
    return () => clearTimeout(timer);
  }, [fresh, q.store]);

  const act = async (id: string, body: Parameters<typeof q.update>[1]) => {
    setError(null);
    try {
      await q.update(id, body);
    } catch (err) {
      setError(questionError(err, qt, (e) => errorMessage(e, t)));
    }
  };

  const exportCsv = async () => {
    const token = await api.freshAccessToken();
    const res = await fetch(questionsApi(sessionId).exportUrl('csv'), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (!res.ok) return setError(qt('q.err.QUESTION_NOT_FOUND'));
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `questions-${sessionId}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <section
      aria-labelledby="questions-title"
      className="rounded-2xl border border-line bg-white p-4 shadow-sm"
      data-testid="questions-panel"
      onPointerDown={() => q.store.markRead()}
      onFocus={() => q.store.markRead()}
    >
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <h2 id="questions-title" className="text-lg font-bold">
          {qt('q.title')} <span className="font-normal text-muted">({visible.length})</span>
        </h2>
        {unread > 0 && (
          <span
            data-testid="questions-unread"
            data-count={unread}
            className="rounded-full bg-[#d55e00] px-2 py-0.5 text-xs font-bold text-white"
          >
            {qt('q.unread', { n: unread })}
          </span>
        )}
        <div role="group" aria-label={qt('q.sortBy')} className="ml-auto flex gap-1">
          {(['votes', 'time'] as const).map((s) => (
            <Button
              key={s}
              size="sm"
              variant={q.sort === s ? 'primary' : 'secondary'}
              aria-pressed={q.sort === s}
              onClick={() => q.setSort(s)}
              data-testid={`questions-sort-${s}`}
            >
              {qt(s === 'votes' ? 'q.sort.votes' : 'q.sort.time')}
            </Button>
          ))}
        </div>
      </div>
      {!enabled && <p className="mb-2 text-sm text-muted">{qt('q.off')}</p>}
      {error && (
        <p role="alert" className="mb-2 text-sm font-semibold text-danger">
          {error}
        </p>
      )}
      <p aria-live="polite" aria-atomic="true" className="sr-only" data-testid="questions-announcer">
        {lastArrived ? qt('q.announce', { q: lastArrived.content }) : ''}
      </p>
      {visible.length === 0 ? (
        <p className="text-muted">{qt('q.none')}</p>
      ) : (
        <ol className="flex max-h-[32rem] flex-col gap-2 overflow-y-auto" data-testid="questions-list">
          {visible.map((item) => (
            <SpeakerItem
              key={item.id}
              q={item}
              fresh={fresh.has(item.id)}
              qt={qt}
              act={act}
              readOnly={readOnly}
            />
          ))}
        </ol>
      )}
      <div className="mt-3 flex flex-wrap items-center gap-2 text-sm">
        {hidden.length > 0 && (
          <Button
            size="sm"
            variant="ghost"
            aria-expanded={showHidden}
            onClick={() => setShowHidden((v) => !v)}
          >
            {qt('q.showHidden', { n: hidden.length })}
          </Button>
        )}
        {questions.length > 0 && !bearer && (
          <Button
            size="sm"
            variant="ghost"
            className="ml-auto"
            onClick={() => void exportCsv()}
            data-testid="questions-export"
          >
            ⤓ {qt('q.export')}
          </Button>
        )}
      </div>
      {showHidden && (
        <ol className="mt-2 flex flex-col gap-2 opacity-70">
          {hidden.map((item) => (
            <SpeakerItem key={item.id} q={item} fresh={false} qt={qt} act={act} readOnly={readOnly} />
          ))}
        </ol>
      )}
    </section>
  );
}

function SpeakerItem({
  q,
  fresh,
  qt,
  act,
  readOnly,
}: {
  q: Question;
  fresh: boolean;
  qt: QT;
  act: (id: string, body: Parameters<ReturnType<typeof useQuestions>['update']>[1]) => Promise<void>;
  readOnly?: boolean;
}) {
  const [answer, setAnswer] = useState('');
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const run = async (body: Parameters<typeof act>[1]) => {
    setBusy(true);
    await act(q.id, body);
    setBusy(false);
  };
  const answered = q.status === 'answered';
  const pending = !q.approved && q.status !== 'hidden';
  return (
    <li
      data-testid="question-item"
      data-question-id={q.id}
      data-votes={q.votes}
      data-status={q.status}
      data-pinned={q.pinned}
      data-approved={q.approved}
      data-fresh={fresh}
      className={`rounded-xl border p-3 transition-shadow ${q.pinned ? 'border-brand bg-sky-50' : 'border-line'} ${fresh ? 'ring-4 ring-amber-400/70' : ''} ${answered ? 'bg-slate-50' : ''}`}
    >
      <div className="flex items-start gap-3">
        <div
          className="flex min-w-[3rem] flex-col items-center rounded-lg bg-slate-100 px-2 py-1"
          aria-label={qt('q.votes', { n: q.votes })}
        >
          <span className="text-xl font-black leading-none" data-testid="question-votes">
            {q.votes}
          </span>
          <span aria-hidden className="text-[10px] text-muted">
            ▲
          </span>
        </div>
        <div className="min-w-0 flex-1">
          <p
            className="whitespace-pre-wrap break-words text-base font-semibold"
            data-testid="question-content"
          >
            {q.content}
          </p>
          <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted">
            {q.pinned && (
              <span className="inline-flex items-center gap-1 font-bold text-brand">
                <PinIcon /> {qt('q.pinned')}
              </span>
            )}
            {fresh && <span className="font-bold text-amber-700">{qt('q.new')}</span>}
            {pending && (
              <span className="rounded bg-amber-100 px-1.5 font-bold text-amber-900">{qt('q.pending')}</span>
            )}
            {answered && (
              <span className="rounded bg-emerald-100 px-1.5 font-bold text-emerald-900">
                ✓ {qt('q.answered')}
              </span>
            )}
            <span>{q.askerName ?? qt('q.anonymous')}</span>
            <span>
              · {q.t === null ? qt('q.beforeStart') : qt('q.askedAt', { time: formatDuration(q.t) })}
            </span>
            {q.askerLevel != null && (
              <span className="inline-flex items-center gap-1" title={qt('q.level', { level: q.askerLevel })}>
                · <LevelBadge level={q.askerLevel} size="sm" label={qt('q.level', { level: q.askerLevel })} />
              </span>
            )}
          </p>
          {answered && q.answer && (
            <p className="mt-1 rounded-lg bg-emerald-50 px-2 py-1 text-sm" data-testid="question-answer">
              <span className="font-bold">{qt('q.answer')}:</span> {q.answer}
            </p>
          )}
        </div>
      </div>
      {/* Once the session has ended there is nothing left to answer, pin or hide. */}
      <div
        className="mt-2 flex flex-wrap items-center gap-1.5"
        hidden={readOnly}
        data-testid="question-actions"
      >
        {pending && (
          <Button
            size="sm"
            disabled={busy}
            onClick={() => void run({ approved: true })}
            data-testid="question-approve"
          >
            {qt('q.approve')}
          </Button>
        )}
        {!answered && q.status !== 'hidden' && (
          <form
            className="flex min-w-[12rem] flex-1 gap-1.5"
            onSubmit={(e) => {
              e.preventDefault();
              void run({ status: 'answered', ...(answer.trim() ? { answer: answer.trim() } : {}) });
            }}
          >
            <input
              ref={inputRef}
              data-testid="question-answer-input"
              value={answer}
              maxLength={2000}
              onChange={(e) => setAnswer(e.target.value)}
              placeholder={qt('q.answerPlaceholder')}
              aria-label={qt('q.answerLabel', { q: q.content.slice(0, 60) })}
              className="min-w-0 flex-1 rounded-lg border border-slate-400 px-2 py-1 text-sm"
            />
            <Button type="submit" size="sm" disabled={busy} data-testid="question-mark-answered">
              ✓ {qt('q.markAnswered')}
            </Button>
          </form>
        )}
        {answered && (
          <Button
            size="sm"
            variant="secondary"
            disabled={busy}
            onClick={() => void run({ status: 'open' })}
            data-testid="question-reopen"
          >
            {qt('q.reopen')}
          </Button>
        )}
        {q.status !== 'hidden' && (
          <Button
            size="sm"
            variant="secondary"
            disabled={busy}
            aria-pressed={q.pinned}
            onClick={() => void run({ pinned: !q.pinned })}
            data-testid="question-pin"
          >
            <PinIcon /> {qt(q.pinned ? 'q.unpin' : 'q.pin')}
          </Button>
        )}
        <Button
          size="sm"
          variant="ghost"
          disabled={busy}
          onClick={() => void run({ status: q.status === 'hidden' ? 'open' : 'hidden' })}
          data-testid="question-hide"
        >
          {qt(q.status === 'hidden' ? 'q.show' : 'q.hide')}
        </Button>
      </div>
    </li>
  );
}
