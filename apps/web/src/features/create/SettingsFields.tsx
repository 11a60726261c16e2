import { useEffect, useId, useRef, useState, type InputHTMLAttributes } from 'react';
import { GRAPH_VISIBILITY, SIGNAL_STYLES, type SessionSettings } from '@rstream/protocol';
import { Checkbox, inputClass } from '../../ui/form';
import { FIELD_RANGES, rangeMessage, useCreateFormT, type FieldErrors, type FieldPath } from './strings';

interface Props {
  value: SessionSettings;
  onChange: (next: SessionSettings) => void;
  disabled?: boolean;
  /** messages from the server's VALIDATION_FAILED details, by field */
  errors?: FieldErrors;
  /** a field's typed value became invalid (true) or valid again (false) */
  onInvalidChange?: (path: FieldPath, invalid: boolean) => void;
}

const legendClass = 'mb-2 font-semibold';
const boxClass = 'rounded-xl border border-line bg-white p-4';

/** Every session setting, shared by the create flow and the speaker's settings dialog. */
export function SettingsFields({ value, onChange, disabled, errors, onInvalidChange }: Props) {
  const ft = useCreateFormT();
  const id = useId();
  const field = (path: Exclude<FieldPath, 'title'>) => ({
    ...FIELD_RANGES[path],
    serverError: errors?.[path],
    onInvalid: (invalid: boolean) => onInvalidChange?.(path, invalid),
    'data-field': path,
  });
  const set = <K extends keyof SessionSettings>(key: K, v: SessionSettings[K]) =>
    onChange({ ...value, [key]: v });
  const durationOn = value.plannedDurationMin !== null;

  return (
    <fieldset disabled={disabled} className="flex flex-col gap-4">
      <div className={boxClass}>
        <Checkbox
          label={ft('settings.anonymous')}
          hint={ft('settings.anonymous.desc')}
          checked={value.anonymous}
          onChange={(e) => set('anonymous', e.target.checked)}
          data-testid="setting-anonymous"
        />
      </div>

      <fieldset className={boxClass}>
        <legend className={`${legendClass} float-left w-full`}>{ft('settings.graph')}</legend>
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
              {ft(`settings.graph.${g}`)}
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset className={boxClass}>
        <legend className={`${legendClass} float-left w-full`}>{ft('settings.duration')}</legend>
        <div className="clear-both flex flex-wrap items-center gap-4">
          <label className="flex items-center gap-2">
            <NumberInput
              {...field('settings.plannedDurationMin')}
              disabled={!durationOn}
              value={value.plannedDurationMin ?? 60}
              onCommit={(n) => set('plannedDurationMin', n)}
              aria-label={`${ft('settings.duration')} (${ft('settings.duration.minutes')})`}
              data-testid="setting-duration"
            />
            <span>{ft('settings.duration.minutes')}</span>
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              className="h-5 w-5 accent-brand"
              checked={!durationOn}
              onChange={(e) => set('plannedDurationMin', e.target.checked ? null : 60)}
            />
            {ft('settings.duration.none')}
          </label>
        </div>
      </fieldset>

      <div className={boxClass}>
        <Checkbox
          label={ft('settings.warning')}
          checked={value.warning.enabled}
          onChange={(e) => set('warning', { ...value.warning, enabled: e.target.checked })}
        />
        <div className="mt-3 flex flex-wrap items-end gap-4 pl-8">
          <div className="flex flex-col text-sm font-medium">
            <label htmlFor={`${id}-threshold`}>{ft('settings.warning.threshold')}</label>
            <NumberInput
              {...field('settings.warning.threshold')}
              id={`${id}-threshold`}
              step={0.1}
              disabled={!value.warning.enabled}
              value={value.warning.threshold}
              onCommit={(n) => set('warning', { ...value.warning, threshold: n })}
            />
          </div>
          <div className="flex flex-col text-sm font-medium">
            <label htmlFor={`${id}-warn-duration`}>{ft('settings.warning.duration')}</label>
            <NumberInput
              {...field('settings.warning.durationSec')}
              id={`${id}-warn-duration`}
              disabled={!value.warning.enabled}
              value={value.warning.durationSec}
              onCommit={(n) => set('warning', { ...value.warning, durationSec: n })}
            />
          </div>
        </div>
      </div>

      <fieldset className={boxClass}>
        <legend className={`${legendClass} float-left w-full`}>{ft('settings.signal')}</legend>
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
                <span className="block font-semibold">{ft(`settings.signal.${s}`)}</span>
                <span className="block text-sm text-muted">{ft(`settings.signal.${s}.desc`)}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      <div className={`${boxClass} flex flex-col gap-3`}>
        <Checkbox
          label={ft('settings.questions')}
          checked={value.questionsEnabled}
          onChange={(e) => set('questionsEnabled', e.target.checked)}
        />
        {value.questionsEnabled && (
          <div className="pl-8">
            <Checkbox
              label={ft('settings.moderation')}
              checked={value.questionsModeration}
              onChange={(e) => set('questionsModeration', e.target.checked)}
            />
          </div>
        )}
        <Checkbox
          label={ft('settings.recording')}
          hint={ft('settings.recording.later')}
          checked={value.recordingEnabled}
          onChange={(e) => set('recordingEnabled', e.target.checked)}
        />
      </div>
    </fieldset>
  );
}

type NumberInputProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onChange' | 'min' | 'max' | 'onInvalid'
> & {
  value: number;
  min: number;
  max: number;
  integer?: boolean;
  onCommit: (n: number) => void;
  /** the server refused this field (shown until the value is edited) */
  serverError?: string;
  onInvalid?: (invalid: boolean) => void;
  'data-field'?: string;
};

function parseWithin(text: string, min: number, max: number, integer?: boolean): number | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max) return null;
  if (integer && !Number.isInteger(n)) return null;
  return n;
}

/**
 * Keeps what is typed ("2." on the way to "2.5") and commits only numbers within range. A value
 * out of range stays as typed, marked, with the reason beside it — never silently put back.
 */
function NumberInput({
  value,
  min,
  max,
  integer,
  onCommit,
  serverError,
  onInvalid,
  className = '',
  disabled,
  id: givenId,
  ...rest
}: NumberInputProps) {
  const ft = useCreateFormT();
  const ownId = useId();
  const id = givenId ?? ownId;
  const [text, setText] = useState(String(value));
  const [prev, setPrev] = useState(value);
  const [edited, setEdited] = useState(false);
  if (value !== prev) {
    setPrev(value);
    if (Number(text) !== value) setText(String(value));
  }
  // A disabled field is not sent as typed: it holds its last good value.
  const invalid = !disabled && parseWithin(text, min, max, integer) === null;
  const reportRef = useRef(onInvalid);
  useEffect(() => {
    reportRef.current = onInvalid;
  });
  useEffect(() => {
    reportRef.current?.(invalid);
  }, [invalid]);
  useEffect(() => {
    if (disabled) setText(String(value));
    // only when the field is switched off
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [disabled]);
  useEffect(() => setEdited(false), [serverError]);
  const path = rest['data-field'] as Exclude<FieldPath, 'title'> | undefined;
  const message = invalid
    ? path
      ? rangeMessage(ft, path)
      : ft(integer ? 'cf.range.int' : 'cf.range.dec', { min, max })
    : serverError && !edited
      ? serverError
      : null;
  const msgId = `${id}-error`;
  return (
    <span className="inline-flex flex-col items-start">
      <input
        id={id}
        type="number"
        inputMode={integer ? 'numeric' : 'decimal'}
        min={min}
        max={max}
        step={integer ? 1 : undefined}
        className={`${inputClass} !w-24 ${message ? '!border-2 !border-danger' : ''} ${className}`}
        value={text}
        disabled={disabled}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? msgId : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setEdited(true);
          const n = parseWithin(e.target.value, min, max, integer);
          if (n !== null) onCommit(n);
        }}
        onBlur={() => {
          if (parseWithin(text, min, max, integer) !== null) setText(String(value));
        }}
        {...rest}
      />
      {message && (
        <span
          id={msgId}
          className="mt-1 block max-w-56 text-sm font-medium text-danger"
          data-testid="field-error"
        >
          {message}
        </span>
      )}
    </span>
  );
}
