import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Participant, Session } from '@rstream/protocol';
import type { RealtimeClient } from '../../realtime/client';
import type { LevelMap } from '../../realtime/participant-levels';
import { Button } from '../../ui/Button';
import { formatAverage, formatDuration } from '../../ui/format';
import { inputClass } from '../../ui/form';
import { isTypingTarget } from '../../ui/hooks';
import { colourIndex } from './turn-bands';
import { MaterialsLinks } from './MaterialsLinks';
import { speakerChoices } from './speaker-names';
import { useDiscussionT } from './strings';
import { useTurnsSnapshot, type TurnsStore } from './turns-store';

/**
 * The facilitator's screen: the speakers as buttons (keys 1–9 for the first nine, 0 ends the
 * turn), the current turn with its running figure, names added on the fly.
 */
export function FacilitatorPanel({
  session,
  store,
  client,
  participants,
  levels,
  nowT,
  live,
}: {
  session: Session;
  store: TurnsStore;
  client: RealtimeClient | null;
  participants: readonly Participant[];
  /** each participant's current level (the speaker view's) */
  levels: LevelMap;
  nowT: number;
  live: boolean;
}) {
  const t = useDiscussionT();
  const snap = useTurnsSnapshot(store);
  const discussion = session.settings.discussion;
  const [added, setAdded] = useState<string[]>([]);
  const [name, setName] = useState('');
  const choices = speakerChoices(discussion?.speakers ?? [], participants, added);
  const current = snap.current;
  const keys = choices.map((c) => c.participantId ?? c.value);

  useEffect(() => store.sample(levels, nowT), [store, levels, nowT]);

  const start = (value: string) => client?.send({ type: 'turn:start', speaker: value });
  const end = () => client?.send({ type: 'turn:end' });

  const ref = useRef({ choices, live });
  useEffect(() => {
    ref.current = { choices, live };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || isTypingTarget(e.target)) return;
      if (document.querySelector('dialog[open]') || !ref.current.live) return;
      if (e.key === '0') {
        e.preventDefault();
        client?.send({ type: 'turn:end' });
        return;
      }
      if (!/^[1-9]$/.test(e.key)) return;
      const choice = ref.current.choices[Number(e.key) - 1];
      if (!choice) return;
      e.preventDefault();
      client?.send({ type: 'turn:start', speaker: choice.value });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [client]);

  const add = (e: FormEvent) => {
    e.preventDefault();
    const n = name.trim().slice(0, 64);
    if (!n) return;
    setAdded((a) => (a.includes(n) ? a : [...a, n]));
    setName('');
  };

  const isCurrent = (c: { value: string; participantId: string | null; label: string }) =>
    current !== null &&
    (c.participantId ? current.participantId === c.participantId : current.speaker === c.label);

  return (
    <section
      aria-labelledby="fac-title"
      className="rounded-2xl border border-line bg-white p-4 shadow-sm"
      data-testid="facilitator-panel"
    >
      <div className="mb-3 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="fac-title" className="text-lg font-bold">
            {t('d.panel.title')}
          </h2>
          <p className="text-sm text-muted">{t('d.panel.keys')}</p>
        </div>
        <div
          className="min-w-56 rounded-xl border border-line bg-slate-50 px-4 py-2"
          role="status"
          aria-live="polite"
          data-testid="current-turn"
        >
          {current ? (
            <>
              <p className="font-bold">
                {t('d.current', { name: current.speaker })}{' '}
                <span className="font-normal tabular-nums text-muted">
                  {t('d.current.since', { time: formatDuration(Math.max(0, nowT - current.startT)) })}
                </span>
              </p>
              <p className="text-sm">
                {t('d.panel.running')}:{' '}
                <strong className="text-xl tabular-nums" data-testid="running-avg">
                  {formatAverage(snap.running?.avg ?? null)}
                </strong>{' '}
                <span className="text-muted">
                  {t('d.panel.runningHint', {
                    n: snap.running?.n ?? 0,
                    lag: Math.round(snap.reactionLagMs / 100) / 10,
                  })}
                </span>
              </p>
            </>
          ) : (
            <p className="text-muted">{t('d.panel.none')}</p>
          )}
        </div>
      </div>
      {choices.length === 0 && <p className="mb-2 text-sm text-muted">{t('d.panel.noSpeakers')}</p>}
      <div className="flex flex-wrap gap-2">
        {choices.map((c, i) => {
          const on = isCurrent(c);
          const colour = colourIndex(c.participantId ?? c.value, keys);
          return (
            <button
              key={c.value}
              type="button"
              disabled={!live}
              aria-pressed={on}
              onClick={() => start(c.value)}
              data-testid="speaker-button"
              data-colour={colour}
              className={`inline-flex min-h-12 items-center gap-2 rounded-xl border-2 px-4 py-2 text-base font-semibold transition-colors disabled:opacity-50 ${
                on ? 'border-brand bg-brand text-white' : 'border-line bg-white hover:border-slate-500'
              }`}
            >
              {i < 9 && (
                <kbd
                  className={`rounded px-1.5 text-xs font-bold ${on ? 'bg-white/25' : 'bg-slate-200 text-ink'}`}
                >
                  {i + 1}
                </kbd>
              )}
              {c.label}
            </button>
          );
        })}
        <Button variant="secondary" onClick={end} disabled={!live || !current} data-testid="end-turn">
          <kbd className="rounded bg-slate-200 px-1.5 text-xs font-bold">0</kbd> {t('d.panel.end')}
        </Button>
      </div>
      <form onSubmit={add} className="mt-3 flex max-w-md gap-2">
        <input
          className={inputClass}
          value={name}
          maxLength={64}
          placeholder={t('d.speakers.placeholder')}
          aria-label={t('d.panel.addName')}
          onChange={(e) => setName(e.target.value)}
          data-testid="add-speaker-input"
        />
        <Button
          type="submit"
          variant="secondary"
          disabled={!name.trim()}
          className="shrink-0 whitespace-nowrap"
        >
          {t('d.speakers.add')}
        </Button>
      </form>
      <MaterialsLinks
        links={discussion?.links ?? []}
        sessionId={store.sessionId}
        bearer={store.bearer}
        client={client}
        canUpload={store.bearer === undefined}
      />
    </section>
  );
}
