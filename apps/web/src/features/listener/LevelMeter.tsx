import type { Dispatch, KeyboardEvent, PointerEvent } from 'react';
import { useI18n } from '../../app/i18n';
import { LevelBadge } from '../../ui/LevelBadge';
import { LEVELS, LEVEL_COLORS, LEVEL_TEXT, isLevel, levelKey, type LevelValue } from '../../ui/levels';
import type { MeterAction, MeterState } from './meter-reducer';

interface Props {
  state: MeterState;
  dispatch: Dispatch<MeterAction>;
  disabled: boolean;
}

/** Five large buttons and a slider. Momentary style: press and hold; letting go returns to 3. */
export function LevelMeter({ state, dispatch, disabled }: Props) {
  const { t } = useI18n();
  const momentary = state.style === 'momentary';
  const level = state.level;
  const labelFor = (l: LevelValue) => `${l}: ${t(levelKey(l))}`;

  const holdHandlers = (l: LevelValue) =>
    momentary
      ? {
          onPointerDown: (e: PointerEvent<HTMLButtonElement>) => {
            if (e.button !== 0) return;
            e.currentTarget.setPointerCapture?.(e.pointerId);
            dispatch({ type: 'hold', level: l, source: 'button' });
          },
          onPointerUp: () => dispatch({ type: 'release', source: 'button' }),
          onPointerCancel: () => dispatch({ type: 'release', source: 'button' }),
          onKeyDown: (e: KeyboardEvent<HTMLButtonElement>) => {
            if ((e.key === 'Enter' || e.key === ' ') && !e.repeat) {
              e.preventDefault();
              e.stopPropagation();
              dispatch({ type: 'hold', level: l, source: 'button' });
            }
          },
          onKeyUp: (e: KeyboardEvent<HTMLButtonElement>) => {
            if (e.key === 'Enter' || e.key === ' ') dispatch({ type: 'release', source: 'button' });
          },
          onContextMenu: (e: { preventDefault: () => void }) => e.preventDefault(),
        }
      : { onClick: () => dispatch({ type: 'set', level: l }) };

  return (
    <section
      aria-labelledby="meter-title"
      className="rounded-2xl border border-line bg-white p-4 shadow-sm sm:p-6"
      data-testid="level-meter"
    >
      <div className="mb-1 flex items-start justify-between gap-3">
        <h2 id="meter-title" className="text-lg font-bold">
          {t('listener.meter.title')}
        </h2>
        <div className="flex items-center gap-2" data-testid="my-level" data-level={level ?? ''}>
          <span className="sr-only">{t('listener.myLevel')}:</span>
          <LevelBadge level={level} size="lg" />
        </div>
      </div>
      <p className="mb-4 text-base font-semibold text-muted" id="meter-caption">
        {t('listener.meter.caption')}
      </p>

      <div
        role="group"
        aria-labelledby="meter-title"
        aria-describedby="meter-caption"
        className="grid grid-cols-5 gap-2 sm:gap-3"
      >
        {LEVELS.map((l) => {
          const pressed = level === l;
          return (
            <button
              key={l}
              type="button"
              data-testid={`level-button-${l}`}
              aria-pressed={pressed}
              aria-label={labelFor(l)}
              disabled={disabled}
              {...holdHandlers(l)}
              className={`flex aspect-square max-h-28 w-full touch-none select-none flex-col items-center justify-center rounded-2xl border-2 text-3xl font-black transition-transform sm:text-4xl ${
                pressed
                  ? 'scale-105 border-ink shadow-lg ring-4 ring-ink/25'
                  : 'border-black/15 hover:scale-[1.03]'
              } disabled:scale-100 disabled:opacity-40`}
              style={{ background: LEVEL_COLORS[l], color: LEVEL_TEXT[l] }}
            >
              {l}
              {pressed && <span aria-hidden className="mt-0.5 h-1.5 w-6 rounded-full bg-current" />}
            </button>
          );
        })}
      </div>
      <div className="mt-1 flex justify-between text-xs font-semibold text-muted sm:text-sm" aria-hidden>
        <span>{t('level.1')}</span>
        <span>{t('level.5')}</span>
      </div>

      <label htmlFor="level-slider" className="sr-only">
        {t('listener.slider')}
      </label>
      <input
        id="level-slider"
        data-testid="level-slider"
        type="range"
        min={1}
        max={5}
        step={1}
        value={level ?? 3}
        disabled={disabled}
        aria-valuetext={isLevel(level) ? labelFor(level) : t('listener.noLevel')}
        onChange={(e) => {
          const v = Number(e.target.value);
          dispatch(momentary ? { type: 'hold', level: v, source: 'slider' } : { type: 'set', level: v });
        }}
        onPointerUp={() => momentary && dispatch({ type: 'release', source: 'slider' })}
        onKeyUp={() => momentary && dispatch({ type: 'release', source: 'slider' })}
        onBlur={() => momentary && dispatch({ type: 'release', source: 'slider' })}
        className="mt-4 h-10 w-full cursor-pointer accent-brand disabled:cursor-not-allowed"
      />

      <p className="mt-2 text-sm text-muted">
        {momentary ? t('listener.momentaryHint') : t('listener.stickyHint')}
      </p>
      <p aria-live="polite" aria-atomic="true" className="sr-only" data-testid="level-announcer">
        {isLevel(level) ? t('listener.announce', { level, label: t(levelKey(level)) }) : ''}
      </p>
    </section>
  );
}
