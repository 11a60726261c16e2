import { useSpeakerT } from './strings';

/**
 * Said while the latest update carried `degraded` (Redis down: this instance cannot reach the
 * others, so the counts cover only its own listeners). A status region: read out once when it
 * appears, not on every update; colour is not the only sign (an icon and words).
 */
export function DegradedNotice({ compact = false }: { compact?: boolean }) {
  const st = useSpeakerT();
  return (
    <div
      role="status"
      data-testid="degraded-notice"
      className={`flex items-start gap-2 rounded-xl border-2 border-dashed border-amber-700 bg-amber-50 text-amber-950 ${compact ? 'mb-2 px-3 py-1 text-sm' : 'px-4 py-2'}`}
    >
      <span aria-hidden className="font-black">
        ◐
      </span>
      <span>
        <strong className="font-bold">{st('sp.degradedShort')}:</strong> {st('sp.degraded')}
      </span>
    </div>
  );
}
