import { useEffect, useRef, useState } from 'react';
import { QUESTION_MAX_LENGTH } from '@rstream/protocol/light';
import { Button, buttonClass } from '../../ui/Button';
import { isTypingTarget } from '../../ui/hooks';
import { HandIcon } from './icons';
import type { QT } from './strings';

interface Props {
  qt: QT;
  /** false: shows why asking is not possible instead of the box */
  canAsk: boolean;
  closedReason: string | null;
  onAsk: (content: string) => Promise<{ pending: boolean; duplicate: boolean }>;
  describeError: (err: unknown) => string;
}

/** Q opens the box (not while typing elsewhere), Enter sends, Esc cancels. */
export function QuestionBox({ qt, canAsk, closedReason, onAsk, describeError }: Props) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!canAsk) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'q' && e.key !== 'Q') return;
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || isTypingTarget(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      e.preventDefault();
      setOpen(true);
      setStatus(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canAsk]);

  useEffect(() => {
    if (!open) return;
    // On a phone the box must come up above the fixed footer and the keyboard, not behind them.
    inputRef.current?.focus({ preventScroll: true });
    inputRef.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [open]);

  // "Your question was sent" says it, then fades: it is news, not a state. Errors stay.
  useEffect(() => {
    if (status?.kind !== 'ok') return;
    const id = setTimeout(() => setStatus(null), 5000);
    return () => clearTimeout(id);
  }, [status]);

  const close = () => {
    setOpen(false);
    setText('');
    openerRef.current?.focus();
  };

  const send = async () => {
    const content = text.trim();
    if (!content || busy) return;
    setBusy(true);
    setStatus(null);
    try {
      const r = await onAsk(content);
      setStatus({
        kind: 'ok',
        text: qt(r.duplicate ? 'q.duplicate' : r.pending ? 'q.sentPending' : 'q.sent'),
      });
      setText('');
      setOpen(false);
      openerRef.current?.focus();
    } catch (err) {
      setStatus({ kind: 'error', text: describeError(err) });
    } finally {
      setBusy(false);
    }
  };

  if (!canAsk)
    return closedReason ? (
      <p className="text-sm text-muted" data-testid="questions-closed">
        {closedReason}
      </p>
    ) : null;

  return (
    <div>
      {open ? (
        <form
          className="flex flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <label htmlFor="question-input" className="sr-only">
            {qt('q.inputLabel')}
          </label>
          <div className="flex gap-2">
            <input
              id="question-input"
              ref={inputRef}
              data-testid="question-input"
              value={text}
              maxLength={QUESTION_MAX_LENGTH}
              autoComplete="off"
              enterKeyHint="send"
              placeholder={qt('q.placeholder')}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  e.preventDefault();
                  e.stopPropagation();
                  close();
                }
              }}
              className="min-w-0 flex-1 rounded-xl border-2 border-slate-400 px-3 py-2 text-base focus:border-brand"
            />
            <Button type="submit" disabled={busy || !text.trim()} data-testid="question-send">
              {qt(busy ? 'q.sending' : 'q.send')}
            </Button>
          </div>
          <div className="flex items-center justify-between text-xs text-muted">
            <span>{qt('q.chars', { n: text.length })}</span>
            <button type="button" className="underline" onClick={close}>
              {qt('q.cancel')} (Esc)
            </button>
          </div>
        </form>
      ) : (
        <button
          type="button"
          ref={openerRef}
          className={buttonClass('secondary', 'md', 'w-full')}
          onClick={() => {
            setOpen(true);
            setStatus(null);
          }}
          data-testid="question-open"
          aria-keyshortcuts="Q"
        >
          <HandIcon /> {qt('q.ask')}{' '}
          <kbd className="rounded border border-slate-400 px-1.5 text-xs">{qt('q.askKey')}</kbd>
        </button>
      )}
      <p
        role={status?.kind === 'error' ? 'alert' : 'status'}
        className={`mt-1 min-h-[1.25rem] text-sm ${status?.kind === 'error' ? 'font-semibold text-danger' : 'text-muted'}`}
        data-testid="question-status"
      >
        {status?.text ?? ''}
      </p>
    </div>
  );
}
