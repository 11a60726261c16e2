import { useI18n } from '../app/i18n';
import { Dialog } from './Dialog';

export interface Shortcut {
  keys: string[];
  label: string;
  disabled?: boolean;
}

export function HelpDialog({
  open,
  onClose,
  shortcuts,
  note,
}: {
  open: boolean;
  onClose: () => void;
  shortcuts: Shortcut[];
  note?: string;
}) {
  const { t } = useI18n();
  return (
    <Dialog open={open} onClose={onClose} title={t('help.title')} testId="help-dialog">
      <table className="w-full">
        <tbody>
          {shortcuts.map((s) => (
            <tr
              key={s.label}
              className={`border-b border-line last:border-0 ${s.disabled ? 'text-slate-500' : ''}`}
            >
              <td className="py-2 pr-4 whitespace-nowrap">
                {s.keys.map((k) => (
                  <kbd
                    key={k}
                    className="mr-1 inline-block min-w-8 rounded-md border border-slate-400 bg-slate-50 px-2 py-0.5 text-center font-mono text-sm shadow-[0_1px_0_#94a3b8]"
                  >
                    {k}
                  </kbd>
                ))}
              </td>
              <td className="py-2">{s.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {note && <p className="mt-4 text-sm text-muted">{note}</p>}
    </Dialog>
  );
}
