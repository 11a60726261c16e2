import type { Participant, PublicSession } from '@rstream/protocol';
import type { RealtimeClient } from '../../realtime/client';
import { Button } from '../../ui/Button';
import { formatDuration } from '../../ui/format';
import { MaterialsLinks } from './MaterialsLinks';
import { speakerChoices } from './speaker-names';
import { useDiscussionT } from './strings';
import { TurnsList } from './TurnsList';
import { useTurnsSnapshot, type TurnsStore } from './turns-store';

/** A participant's phone in a discussion: who is speaking, "I am speaking", the materials. */
export function PhoneTurns({
  session,
  store,
  client,
  myId,
  participants,
  nowT,
  live,
}: {
  session: PublicSession;
  store: TurnsStore;
  client: RealtimeClient | null;
  myId: string | null;
  participants: readonly Participant[];
  nowT: number;
  live: boolean;
}) {
  const t = useDiscussionT();
  const snap = useTurnsSnapshot(store);
  const discussion = session.settings.discussion;
  const anyone = discussion?.facilitator === 'none';
  const current = snap.current;
  const mine = current !== null && myId !== null && current.participantId === myId;
  const others = speakerChoices(discussion?.speakers ?? [], participants, []).filter(
    (c) => c.participantId !== myId,
  );
  return (
    <section
      aria-label={t('d.panel.title')}
      className="rounded-2xl border border-line bg-white p-3 shadow-sm sm:p-4"
      data-testid="phone-turns"
    >
      <p className="font-bold" role="status" aria-live="polite" data-testid="current-turn">
        {current ? (
          <>
            {mine ? t('d.current.me') : t('d.current', { name: current.speaker })}{' '}
            <span className="font-normal tabular-nums text-muted">
              {t('d.current.since', { time: formatDuration(Math.max(0, nowT - current.startT)) })}
            </span>
          </>
        ) : (
          <span className="font-normal text-muted">{t('d.panel.none')}</span>
        )}
      </p>
      {anyone && live && myId && (
        <>
          <Button
            size="lg"
            className="mt-2 w-full"
            variant={mine ? 'secondary' : 'primary'}
            onClick={() => client?.send(mine ? { type: 'turn:end' } : { type: 'turn:start', speaker: myId })}
            data-testid="i-am-speaking"
          >
            {mine ? t('d.phone.done') : t('d.phone.speaking')}
          </Button>
          {others.length > 0 && (
            <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
              <span className="text-muted">{t('d.phone.other')}</span>
              {others.slice(0, 12).map((c) => (
                <button
                  key={c.value}
                  type="button"
                  className="rounded-full border border-line px-3 py-1 font-semibold hover:border-slate-500 aria-pressed:border-brand aria-pressed:bg-brand aria-pressed:text-white"
                  aria-pressed={current?.participantId === c.participantId && c.participantId !== null}
                  onClick={() => client?.send({ type: 'turn:start', speaker: c.value })}
                >
                  {c.label}
                </button>
              ))}
            </div>
          )}
        </>
      )}
      {!anyone && <p className="mt-1 text-sm text-muted">{t('d.phone.facilitated')}</p>}
      <MaterialsLinks
        links={discussion?.links ?? []}
        sessionId={store.sessionId}
        bearer={store.bearer}
        client={client}
      />
    </section>
  );
}

/** The turns list, kept up to date (figures when the caller may see the graph). */
export function LiveTurnsList({ store }: { store: TurnsStore }) {
  const snap = useTurnsSnapshot(store);
  return <TurnsList turns={snap.turns} speakers={snap.speakers} reactionLagMs={snap.reactionLagMs} />;
}
