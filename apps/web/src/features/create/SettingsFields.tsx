import { useId, useState, type InputHTMLAttributes } from 'react';
import { GRAPH_VISIBILITY, SIGNAL_STYLES, type SessionSettings } from '@rstream/protocol';
import { useI18n } from '../../app/i18n';
import { Checkbox, inputClass } from '../../ui/form';

interface Props {
  value: SessionSettings;
  onChange: (next: SessionSettings) => void;
  disabled?: boolean;
}

const legendClass = 'mb-2 font-semibold';
const boxClass = 'rounded-xl border border-line bg-white p-4';

/** Every session setting, shared by the create flow and the speaker's settings dialog. */
export function SettingsFields({ value, onChange, disabled }: Props) {
  const { t } = useI18n();
  const id = useId();
  const set = <K extends keyof SessionSettings>(key: K, v: SessionSettings[K]) =>
    onChange({ ...value, [key]: v });
  const durationOn = value.plannedDurationMin !== null;

  return (
    <fieldset disabled={disabled} className="flex flex-col gap-4">
      <div className={boxClass}>
        <Checkbox
          label={t('settings.anonymous')}
          hint={t('settings.anonymous.desc')}
          checked={value.anonymous}
          onChange={(e) => set('anonymous', e.target.checked)}
          data-testid="setting-anonymous"
        />
      </div>

      <fieldset className={boxClass}>
        <legend className={`${legendClass} float-left w-full`}>{t('settings.graph')}</legend>
        <div className="clear-both flex flex-wrap gap-x-6 gap-y-2">
          {GRAPH_VISIBILITY.map((g) => (
            <label key={g} className="flex items-center gap-2">
              <input
                type="radio"
                name={`${id}-graph`}
                className="h-5 w-5 accent-brand"
                checked={value.graphVisibility === g}
                onChange={() => set('graphVisibility', g)}
              />
              {t(`settings.graph.${g}`)}
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset className={boxClass}>
        <legend className={`${legendClass} float-left w-full`}>{t('settings.duration')}</legend>
        <div className="clear-both flex flex-wrap items-center gap-4">
          <label className="flex items-center gap-2">
            <NumberInput
              min={1}
              max={1440}
              integer
              disabled={!durationOn}
              value={value.plannedDurationMin ?? 60}
              onCommit={(n) => set('plannedDurationMin', n)}
              aria-label={`${t('settings.duration')} (${t('settings.duration.minutes')})`}
              data-testid="setting-duration"
            />
            <span>{t('settings.duration.minutes')}</span>
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              className="h-5 w-5 accent-brand"
              checked={!durationOn}
              onChange={(e) => set('plannedDurationMin', e.target.checked ? null : 60)}
            />
            {t('settings.duration.none')}
          </label>
        </div>
      </fieldset>

      <div className={boxClass}>
        <Checkbox
          label={t('settings.warning')}
          checked={value.warning.enabled}
          onChange={(e) => set('warning', { ...value.warning, enabled: e.target.checked })}
        />
        <div className="mt-3 flex flex-wrap items-end gap-4 pl-8">
          <label className="flex flex-col text-sm font-medium">
            {t('settings.warning.threshold')}
            <NumberInput
              min={1}
              max={5}
              step={0.1}
              disabled={!value.warning.enabled}
              value={value.warning.threshold}
              onCommit={(n) => set('warning', { ...value.warning, threshold: n })}
            />
          </label>
          <label className="flex flex-col text-sm font-medium">
            {t('settings.warning.duration')}
            <NumberInput
              min={1}
              max={600}
              integer
              disabled={!value.warning.enabled}
              value={value.warning.durationSec}
              onCommit={(n) => set('warning', { ...value.warning, durationSec: n })}
            />
          </label>
        </div>
      </div>

      <fieldset className={boxClass}>
        <legend className={`${legendClass} float-left w-full`}>{t('settings.signal')}</legend>
        <div className="clear-both grid gap-3 sm:grid-cols-2">
          {SIGNAL_STYLES.map((s) => (
            <label
              key={s}
              className={`flex gap-3 rounded-lg border-2 p-3 ${value.signalStyle === s ? 'border-brand bg-sky-50' : 'border-line'}`}
            >
              <input
                type="radio"
                name={`${id}-signal`}
                className="mt-1 h-5 w-5 shrink-0 accent-brand"
                checked={value.signalStyle === s}
                onChange={() => set('signalStyle', s)}
                data-testid={`setting-signal-${s}`}
              />
              <span>
                <span className="block font-semibold">{t(`settings.signal.${s}`)}</span>
                <span className="block text-sm text-muted">{t(`settings.signal.${s}.desc`)}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      <div className={`${boxClass} flex flex-col gap-3`}>
        <Checkbox
          label={t('settings.questions')}
          checked={value.questionsEnabled}
          onChange={(e) => set('questionsEnabled', e.target.checked)}
        />
        {value.questionsEnabled && (
          <div className="pl-8">
            <Checkbox
              label={t('settings.moderation')}
              checked={value.questionsModeration}
              onChange={(e) => set('questionsModeration', e.target.checked)}
            />
          </div>
        )}
        <Checkbox
          label={t('settings.recording')}
          hint={t('settings.recording.later')}
          checked={value.recordingEnabled}
          onChange={(e) => set('recordingEnabled', e.target.checked)}
        />
      </div>
    </fieldset>
  );
}

type NumberInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'min' | 'max'> & {
  value: number;
  min: number;
  max: number;
  integer?: boolean;
  onCommit: (n: number) => void;
};

/** Keeps what is typed ("2." on the way to "2.5") and commits only numbers within range. */
function NumberInput({ value, min, max, integer, onCommit, className = '', ...rest }: NumberInputProps) {
  const [text, setText] = useState(String(value));
  const [prev, setPrev] = useState(value);
  if (value !== prev) {
    setPrev(value);
    if (Number(text) !== value) setText(String(value));
  }
  return (
    <input
      type="number"
      inputMode={integer ? 'numeric' : 'decimal'}
      min={min}
      max={max}
      step={integer ? 1 : undefined}
      className={`${inputClass} w-24 ${className}`}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const n = Number(e.target.value);
        if (e.target.value !== '' && Number.isFinite(n) && n >= min && n <= max)
          onCommit(integer ? Math.round(n) : n);
      }}
      onBlur={() => setText(String(value))}
      {...rest}
    />
  );
}
