import { useState, type FormEvent } from 'react';
import { useI18n } from '../../app/i18n';

interface Props {
  name: string;
  onSave: (name: string) => Promise<void>;
}

/** My display name, editable in place (Enter saves, Esc cancels). */
export function NameEditor({ name, onSave }: Props) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next = draft.trim();
    if (!next || next === name) {
      setEditing(false);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSave(next);
      setEditing(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (!editing) {
    return (
      <button
        type="button"
        onClick={() => {
          setDraft(name);
          setEditing(true);
        }}
        className="group inline-flex max-w-full items-center gap-1.5 rounded-md px-1.5 py-0.5 text-left hover:bg-white/15"
        aria-label={`${t('listener.editName')}: ${name}`}
        data-testid="my-name"
      >
        <span className="truncate font-semibold">{name}</span>
        <span aria-hidden className="text-sm opacity-80 group-hover:opacity-100">
          ✎
        </span>
      </button>
    );
  }

  return (
    <form onSubmit={submit} className="flex items-center gap-1.5">
      <input
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
        maxLength={40}
        autoFocus
        aria-label={t('listener.myName')}
        aria-invalid={error ? true : undefined}
        disabled={busy}
        className="w-40 rounded-md border border-white/60 bg-white px-2 py-0.5 text-ink"
        data-testid="my-name-input"
      />
      <button
        type="submit"
        disabled={busy}
        className="rounded-md bg-white px-2 py-0.5 text-sm font-semibold text-brand"
      >
        {t('common.save')}
      </button>
      {error && (
        <span role="alert" className="text-sm text-orange-200">
          {error}
        </span>
      )}
    </form>
  );
}
