import type { ReactNode } from 'react';

interface Props {
  name: string;
  value: string;
  checked: boolean;
  disabled?: boolean;
  onSelect: () => void;
  title: string;
  description: string;
  badge?: string;
  icon?: ReactNode;
  testId?: string;
}

/** A radio button dressed as a card: arrow keys move between cards like any radio group. */
export function ChoiceCard({
  name,
  value,
  checked,
  disabled,
  onSelect,
  title,
  description,
  badge,
  icon,
  testId,
}: Props) {
  return (
    <label
      data-testid={testId}
      className={`relative flex cursor-pointer flex-col gap-2 rounded-2xl border-2 bg-white p-5 transition-colors has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-[#1a73e8] ${
        checked ? 'border-brand ring-2 ring-brand/30' : 'border-line hover:border-slate-400'
      } ${disabled ? 'cursor-not-allowed bg-slate-50 opacity-70 hover:border-line' : ''}`}
    >
      <input
        type="radio"
        name={name}
        value={value}
        checked={checked}
        disabled={disabled}
        onChange={onSelect}
        className="sr-only"
      />
      <span className="flex items-center justify-between gap-2">
        <span className="flex items-center gap-2 text-lg font-bold">
          {icon && <span className="text-brand">{icon}</span>}
          {title}
        </span>
        {checked && (
          <span
            aria-hidden
            className="flex h-6 w-6 items-center justify-center rounded-full bg-brand text-sm text-white"
          >
            ✓
          </span>
        )}
      </span>
      <span className="text-sm text-muted">{description}</span>
      {badge && (
        <span className="self-start rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-bold uppercase tracking-wide text-amber-900">
          {badge}
        </span>
      )}
    </label>
  );
}

export interface Choice<V extends string> {
  value: V;
  icon?: ReactNode;
  title: string;
  description: string;
  testId?: string;
}

/** One radio group of cards, two to a row on wide screens: the card whose value is `selected` is checked. */
export function ChoiceCards<V extends string>({
  name,
  choices,
  selected,
  onSelect,
}: {
  name: string;
  choices: readonly Choice<V>[];
  selected: V;
  onSelect: (value: V) => void;
}) {
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {choices.map((c) => (
        <ChoiceCard
          key={c.value}
          name={name}
          value={c.value}
          icon={c.icon}
          checked={selected === c.value}
          onSelect={() => onSelect(c.value)}
          title={c.title}
          description={c.description}
          testId={c.testId}
        />
      ))}
    </div>
  );
}
