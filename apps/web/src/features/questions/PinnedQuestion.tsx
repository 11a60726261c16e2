import { createPortal } from 'react-dom';
import type { Question } from '@rstream/protocol';
import { PinIcon } from './icons';
import type { QT } from './strings';

/**
 * What the speaker pinned, at the top of the listener's screen (rendered into the page's slot
 * above the level buttons), so it is seen without scrolling down to the questions.
 */
export function PinnedQuestion({
  slot,
  questions,
  qt,
}: {
  slot: HTMLElement | null;
  questions: readonly Question[];
  qt: QT;
}) {
  const pinned = questions.filter((q) => q.pinned && q.status !== 'hidden');
  if (!slot || pinned.length === 0) return null;
  return createPortal(
    <section
      aria-label={qt('q.pinned')}
      data-testid="pinned-question"
      className="rounded-2xl border-2 border-brand bg-sky-50 px-4 py-3 shadow-sm"
    >
      {pinned.map((q) => (
        <div key={q.id} className="flex items-start gap-2" data-question-id={q.id}>
          <span className="mt-0.5 inline-flex shrink-0 items-center gap-1 text-sm font-bold text-brand">
            <PinIcon /> {qt('q.pinned')}
          </span>
          <p className="min-w-0 whitespace-pre-wrap break-words font-semibold">{q.content}</p>
        </div>
      ))}
    </section>,
    slot,
  );
}
